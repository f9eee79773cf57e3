namespace MixtureModels.Tests.Components.Gaussian;

public sealed class CovariancePriorTests
{
    [Theory]
    [InlineData(0.0, 1.0, "pseudoObservations")]
    [InlineData(-1.0, 1.0, "pseudoObservations")]
    [InlineData(double.NaN, 1.0, "pseudoObservations")]
    [InlineData(double.PositiveInfinity, 1.0, "pseudoObservations")]
    [InlineData(1.0, 0.0, "variance")]
    [InlineData(1.0, -2.0, "variance")]
    [InlineData(1.0, double.NaN, "variance")]
    public void Bad_settings_are_named(double alpha, double variance, string name)
    {
        // The constructor names its own parameters; the init accessors (a `with` expression) name the properties.
        var act = () => new CovariancePrior(alpha, variance);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
        var viaInit = () => new CovariancePrior(1, 1) with { PseudoObservations = alpha, Variance = variance };
        viaInit.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(char.ToUpperInvariant(name[0]) + name[1..]);
    }

    [Fact]
    public void FromData_skips_missing_entries_and_then_uses_the_diagonal_of_the_variances()
    {
        // Column means and variances (divisor n − 1, R's var) over the observed entries; K = 1 leaves them unscaled.
        double[,] withMissing = { { 1, 10 }, { double.NaN, 20 }, { 3, double.NaN }, { 5, 40 } };
        var prior = CovariancePrior.FromData(withMissing, 1);
        prior.GetMean()![0].Should().BeApproximately(3, 1e-15);
        prior.GetMean()![1].Should().BeApproximately(70.0 / 3, 1e-13);
        var scale = prior.GetScale()!;
        scale[0, 0].Should().BeApproximately(4, 1e-14);
        scale[1, 1].Should().BeApproximately(1400.0 / 6, 1e-12);
        scale[0, 1].Should().Be(0);
    }

    [Fact]
    public void FromData_rejects_data_without_spread_and_infinite_values()
    {
        double[,] constant = { { 2, 2 }, { 2, 2 }, { 2, 2 } };
        var act = () => CovariancePrior.FromData(constant, 2);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("data");

        double[,] infinite = { { 1, 2 }, { double.PositiveInfinity, 3 }, { 2, 2 } };
        act = () => CovariancePrior.FromData(infinite, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*Infinity at row 1, column 0*");

        act = () => CovariancePrior.FromData(TestData.Faithful(), 0);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("componentCount");
    }

    [Fact]
    public void FromData_names_a_column_never_observed_and_handles_one_column()
    {
        double[,] withEmptyColumn = { { 1, double.NaN }, { 3, double.NaN }, { 5, double.NaN } };
        double[,] one = { { 1 }, { 3 }, { 5 } };

        // Sample variance of 1, 3, 5 is 4; K = 2 in one dimension divides it by 2² = 4 (mclust's var(x)/G²).
        CovariancePrior.FromData(one, 2).GetScale()![0, 0].Should().BeApproximately(1, 1e-15);
        var act = () => CovariancePrior.FromData(withEmptyColumn, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*column 1 has 0 observed entries*").Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void FromData_reports_overflow_and_a_single_row()
    {
        double[,] huge = { { 1e300, 0 }, { -1e300, 1 } };
        var act = () => CovariancePrior.FromData(huge, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*overflows*Scale the data*").Which.ParamName.Should().Be("data");

        double[,] single = { { 1, 2 } };
        act = () => CovariancePrior.FromData(single, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*at least 2*").Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void A_prior_whose_added_scatter_overflows_is_named_when_used()
    {
        var prior = new CovariancePrior(1e200, 1e200);
        var act = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 1, CovariancePrior = prior }).Fit(TestData.Faithful());
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*overflows*").Which.ParamName.Should().Be("Variance");
    }
}
