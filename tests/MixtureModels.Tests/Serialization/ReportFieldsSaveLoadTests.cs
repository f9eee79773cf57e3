using System.Text;
using System.Text.Json.Nodes;
using MixtureModels.Components;

namespace MixtureModels.Tests.Serialization;

/// <summary>The report fields of the model search (n, entropy, row counts, degeneracy) are saved, checked and optional when read.</summary>
public sealed class ReportFieldsSaveLoadTests
{
    private static JsonObject Saved(out GaussianMixtureModel model)
    {
        model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 2 }).Fit(TestData.Faithful());
        using var stream = new MemoryStream();
        model.Save(stream);
        return JsonNode.Parse(stream.ToArray())!.AsObject();
    }

    private static GaussianMixtureModel Load(JsonObject json) =>
        GaussianMixtureModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));

    [Fact]
    public void A_file_without_the_fields_loads_with_the_criteria_unknown()
    {
        var json = Saved(out var model);
        var report = json["report"]!.AsObject();
        foreach (var name in new[] { "trainingWeight", "responsibilityEntropy", "componentRowCounts", "componentDegeneracies", "degenerateInitializations" })
        {
            report.Remove(name).Should().BeTrue(name);
        }

        var loaded = Load(json);
        loaded.LogDensity(TestData.Faithful()).Should().Equal(model.LogDensity(TestData.Faithful()));
        loaded.BayesianInformationCriterion().Should().Be(double.NaN);
        loaded.Report.ComponentDegeneracies.Should().BeEmpty();
        loaded.Report.DegenerateInitializations.Should().BeEmpty();
    }

    [Theory]
    [InlineData("componentRowCounts", "[1.0, 2.0, 3.0]", "$.report.componentRowCounts")]
    [InlineData("componentDegeneracies", "[0, 7]", "$.report.componentDegeneracies")]
    [InlineData("degenerateInitializations", "[0]", "$.report.degenerateInitializations")]
    public void A_corrupted_field_is_named(string name, string value, string path)
    {
        var json = Saved(out _);
        json["report"]![name] = JsonNode.Parse(value);
        var act = () => Load(json);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void The_fields_round_trip()
    {
        var json = Saved(out var model);
        var loaded = Load(json);
        loaded.Report.TrainingWeight.Should().Be(272);
        loaded.Report.ResponsibilityEntropy.Should().Be(model.Report.ResponsibilityEntropy);
        loaded.Report.ComponentDegeneracies.Should().Equal(ComponentDegeneracy.None, ComponentDegeneracy.None);
        loaded.AkaikeInformationCriterion().Should().Be(model.AkaikeInformationCriterion());
    }
}
