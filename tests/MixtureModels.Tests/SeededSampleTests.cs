using System.Text;
using System.Text.Json.Nodes;

namespace MixtureModels.Tests;

/// <summary><c>Sample(count)</c> draws from <c>new Random(options.Seed)</c>, on every fitted model kind, and the seed survives save and load.</summary>
public sealed class SeededSampleTests
{
    private static void ShouldEqual(MixtureSample actual, MixtureSample expected)
    {
        actual.Labels.Should().Equal(expected.Labels);
        actual.Rows.Cast<double>().Should().Equal(expected.Rows.Cast<double>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-5)]
    public void A_Gaussian_model_samples_from_the_seed_of_its_options(int seed)
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = seed }).Fit(TestData.Faithful());
        model.Report.Seed.Should().Be(seed);
        ShouldEqual(model.Sample(40), model.Sample(40, new Random(seed)));
        ShouldEqual(model.Sample(40), model.Sample(40));
    }

    [Fact]
    public void Different_seeds_give_different_draws()
    {
        var a = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = 1 }).Fit(TestData.Faithful());
        var b = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = 2 }).Fit(TestData.Faithful());
        a.Sample(20).Rows.Cast<double>().Should().NotEqual(b.Sample(20).Rows.Cast<double>());
    }

    [Fact]
    public void Bernoulli_variational_and_Student_t_models_sample_from_their_seed()
    {
        var binary = Serialization.SaveLoadFixtures.Binary(missing: false);
        var bernoulli = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, Seed = 9 }).Fit(binary);
        ShouldEqual(bernoulli.Sample(30), bernoulli.Sample(30, new Random(9)));

        var x = TestData.Iris(out _);
        var variational = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 3, Seed = 4 }).Fit(x);
        variational.Report.Seed.Should().Be(4);
        ShouldEqual(variational.Sample(30), variational.Sample(30, new Random(4)));

        var studentT = new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 2, Seed = 6 }).Fit(TestData.Faithful());
        ShouldEqual(studentT.Sample(30), studentT.Sample(30, new Random(6)));
    }

    [Fact]
    public void The_seed_is_saved_and_a_file_without_it_loads_with_seed_zero()
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = 23 }).Fit(TestData.Faithful());
        using var stream = new MemoryStream();
        model.Save(stream);
        var loaded = GaussianMixtureModel.Load(new MemoryStream(stream.ToArray()));
        loaded.Report.Seed.Should().Be(23);
        ShouldEqual(loaded.Sample(25), model.Sample(25));

        var json = JsonNode.Parse(stream.ToArray())!.AsObject();
        json["report"]!.AsObject().Remove("seed").Should().BeTrue();
        var old = GaussianMixtureModel.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString())));
        old.Report.Seed.Should().Be(0);
    }

    [Fact]
    public void A_count_below_one_is_rejected()
    {
        var model = new GaussianMixture(2).Fit(TestData.Faithful());
        ((Action)(() => model.Sample(0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("count");
        var variational = new BayesianGaussianMixture(2).Fit(TestData.Faithful());
        ((Action)(() => variational.Sample(-1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("count");
    }
}
