using MixtureModels.Components.Normal;

namespace MixtureModels.Tests.Components.Normal;

public sealed class NormalFamilyTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e8)]
    public void M_step_equals_the_brute_force_weighted_mle_plus_regularisation(double offset)
    {
        const int K = 3;
        const double Reg = 1e-6;
        var (rows, _) = NormalStatisticsTests.Data(500, 4, offset);
        var random = new Random(5);
        var r = new double[K][];
        for (int k = 0; k < K; k++)
        {
            r[k] = Enumerable.Range(0, rows.Length).Select(_ => random.NextDouble()).ToArray();
        }

        var family = new NormalFamily(Reg);
        var stats = new NormalStatistics[K];
        for (int k = 0; k < K; k++)
        {
            // Centre on a stale mean, as the engine does between iterations.
            stats[k] = family.CreateStatistics(NormalComponent.WithMeanVariance(offset + k - 1, 1));
            stats[k].Accumulate(rows, r[k]);
        }

        var components = new NormalComponent[K];
        family.Estimate(stats, components);

        for (int k = 0; k < K; k++)
        {
            // Two-pass brute force: weighted mean, then weighted squared deviations from it.
            double w = r[k].Sum();
            double mean = offset + (Enumerable.Range(0, rows.Length).Sum(n => r[k][n] * (rows[n] - offset)) / w);
            double variance = Enumerable.Range(0, rows.Length).Sum(n => r[k][n] * (rows[n] - mean) * (rows[n] - mean)) / w;
            components[k].Mean.Should().BeApproximately(mean, 1e-12 * Math.Max(1, Math.Abs(offset)), $"component {k}");
            components[k].Variance.ShouldBeClose(variance + Reg, 1e-9, $"component {k}");
            components[k].Variance.Should().BeGreaterThan(0.1, "the data spread is not lost to cancellation");
        }
    }

    [Fact]
    public void An_empty_component_keeps_its_reference_and_gets_the_regularisation_as_variance()
    {
        var family = new NormalFamily(0.5);
        var s = family.CreateStatistics(NormalComponent.WithMeanVariance(3, 2));
        var result = new NormalComponent[1];
        family.Estimate(new[] { s }, result);
        result[0].Mean.Should().Be(3);
        result[0].Variance.Should().Be(0.5);

        var noReference = family.CreateStatistics(null);
        family.Estimate(new[] { noReference }, result);
        result[0].Mean.Should().Be(0);
        double.IsFinite(result[0].LogDensity(new[] { 1.0 })).Should().BeTrue();
    }

    [Fact]
    public void A_collapsed_component_without_regularisation_throws_the_typed_exception()
    {
        var family = new NormalFamily(0);
        var s = family.CreateStatistics(null);
        s.Accumulate(new double[] { 2, 2, 2 }, new double[] { 1, 1, 1 });
        var empty = family.CreateStatistics(null);
        var result = new NormalComponent[2];
        var collapsed = () => family.Estimate(new[] { empty, s }, result);
        var e = collapsed.Should().Throw<CovarianceNotPositiveDefiniteException>().Which;
        e.ComponentIndex.Should().Be(0);
        e.Regularization.Should().Be(0);

        // With the default regularisation the same data gives σ² = 1e-6.
        var regularised = new NormalFamily();
        var s2 = regularised.CreateStatistics(null);
        s2.Accumulate(new double[] { 2, 2, 2 }, new double[] { 1, 1, 1 });
        regularised.Estimate(new[] { s2 }, result);
        result[0].Variance.ShouldBeClose(1e-6, 1e-9);
        result[0].Mean.Should().Be(2);
    }

    [Fact]
    public void ResetStatistics_recentres_on_the_current_mean()
    {
        var family = new NormalFamily();
        var s = (NormalStatistics)family.CreateStatistics(null);
        s.Accumulate(new double[] { 10, 11 }, new double[] { 1, 1 });
        family.ResetStatistics(s, NormalComponent.WithMeanVariance(-4, 1));
        s.Reference.Should().Be(-4);
        s.TotalWeight.Should().Be(0);
        s.WeightedSum.Should().Be(0);
        s.Scatter.Should().Be(0);
    }

    [Fact]
    public void Parameter_count_and_bad_arguments()
    {
        var family = new NormalFamily();
        family.Dimension.Should().Be(1);
        family.VarianceRegularization.Should().Be(1e-6);
        family.ParameterCount(4).Should().Be(8);

        var reg = () => new NormalFamily(-1e-3);
        reg.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "varianceRegularization" && e.Message.Contains("-0.001"));
        var result = new NormalComponent[1];
        var missing = () => family.Estimate(new NormalStatistics[] { null! }, result);
        missing.Should().Throw<ArgumentException>().WithMessage("*statistics[0] is null*");
        var shortDestination = () => family.Estimate(new[] { family.CreateStatistics(null) }, Span<NormalComponent>.Empty);
        shortDestination.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
    }
}
