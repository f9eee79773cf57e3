using System.Text;
using System.Text.Json.Nodes;
using MixtureModels.CustomComponent.VonMises;
using MixtureModels.Serialization;

namespace MixtureModels.ConsumerTests;

/// <summary>A user's family (von Mises) saved, loaded, shipped as statistics and fitted online, through the packed library's public API only.</summary>
public sealed class UserFamilySerializationTests
{
    [Fact]
    public void A_von_mises_model_saves_and_loads_bit_exactly()
    {
        var family = new VonMisesFamily();
        var data = WindData.Column(WindData.Raw);
        var model = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, new MixtureOptions { ComponentCount = 3, Seed = 1 }) { Start = WindData.Start() }.Fit(data);
        using var stream = new MemoryStream();
        MixtureModelSerializer.Save(model, stream, family);
        stream.Position = 0;
        var loaded = MixtureModelSerializer.Load(stream, family);

        loaded.LogDensity(data).Should().Equal(model.LogDensity(data));
        loaded.Components.Select(c => c.Concentration).Should().Equal(model.Components.Select(c => c.Concentration));
        loaded.Report.LowerBound.Should().Be(model.Report.LowerBound);
        loaded.BayesianInformationCriterion().Should().Be(model.BayesianInformationCriterion());

        var corrupted = JsonNode.Parse(stream.ToArray())!;
        corrupted["components"]![2]!["concentration"] = -1.0;
        FluentActions.Invoking(() => MixtureModelSerializer.Load(new MemoryStream(Encoding.UTF8.GetBytes(corrupted.ToJsonString())), family))
            .Should().Throw<InvalidDataException>().WithMessage("*$.components[2]*concentration*");
    }

    [Fact]
    public void Von_mises_statistics_travel_as_bytes_and_merge_like_the_originals()
    {
        var family = new VonMisesFamily();
        var angles = WindData.Raw;
        var first = family.CreateStatistics(null);
        var second = family.CreateStatistics(null);
        first.Accumulate(angles.AsSpan(0, 100), Enumerable.Repeat(0.5, 100).ToArray());
        second.Accumulate(angles.AsSpan(100), Enumerable.Repeat(1.0, angles.Length - 100).ToArray());
        byte[] message = StatisticsSerializer.SerializeToBytes([first, second], family);
        var received = StatisticsSerializer.Deserialize(message, family);
        received[1].SumSin.Should().Be(second.SumSin);
        received[0].TotalWeight.Should().Be(first.TotalWeight);
        StatisticsSerializer.SerializeToBytes(received, family).Should().Equal(message);

        FluentActions.Invoking(() => StatisticsSerializer.DeserializeSingle(message, family)).Should().Throw<InvalidDataException>().WithMessage("*$.count*");
    }

    [Fact]
    public void A_von_mises_mixture_is_fitted_online_from_blocks()
    {
        var family = new VonMisesFamily();
        var draws = WindData.Draws(12000, 5);
        var blocks = Enumerable.Range(0, 12).Select(b => WindData.Column(draws.Skip(b * 1000).Take(1000))).ToList();
        var start = new MixtureStart<VonMisesComponent>([0.4, 0.3, 0.3], [new VonMisesComponent(0.3, 4.0), new VonMisesComponent(1.8, 2.0), new VonMisesComponent(-1.5, 8.0)]);
        var batch = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, new MixtureOptions { ComponentCount = 3 }) { Start = start }.Fit(WindData.Column(draws));
        var online = new OnlineMixtureEstimator<VonMisesComponent, VonMisesStatistics>(family, new MixtureOptions { ComponentCount = 3 }) { Start = start };
        var model = online.Fit(blocks, epochs: 2);

        online.BlockCount.Should().Be(24);
        model.MeanLogLikelihood(WindData.Column(draws)).Should().BeGreaterThan(batch.MeanLogLikelihood(WindData.Column(draws)) - 2e-3);
    }
}
