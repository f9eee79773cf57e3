using MixtureModels.Components.Gaussian;

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
    public void FromData_is_the_mean_column_variance_over_K_to_the_2_over_D()
    {
        var x = TestData.Faithful();
        int n = x.GetLength(0), d = x.GetLength(1);
        double meanVariance = 0;
        for (int j = 0; j < d; j++)
        {
            // Two-pass population variance, written out here independently of the library.
            double mean = 0;
            for (int i = 0; i < n; i++)
            {
                mean += x[i, j];
            }

            mean /= n;
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                sum += (x[i, j] - mean) * (x[i, j] - mean);
            }

            meanVariance += sum / n / d;
        }

        var prior = CovariancePrior.FromData(x, 3, 2.5);

        prior.PseudoObservations.Should().Be(2.5);
        prior.Variance.Should().BeApproximately(meanVariance / Math.Pow(3, 2.0 / d), 1e-12 * meanVariance);
    }

    [Fact]
    public void FromData_skips_missing_entries()
    {
        double[,] withMissing = { { 1, 10 }, { double.NaN, 20 }, { 3, double.NaN }, { 5, 40 } };
        double[,] observedColumn0 = { { 1 }, { 3 }, { 5 } };
        double[,] observedColumn1 = { { 10 }, { 20 }, { 40 } };
        double expected = (CovariancePrior.FromData(observedColumn0, 1).Variance + CovariancePrior.FromData(observedColumn1, 1).Variance) / 2;

        CovariancePrior.FromData(withMissing, 1).Variance.Should().BeApproximately(expected, 1e-12 * expected);
        expected.Should().BeApproximately(((8.0 / 3) + (4200.0 / 27)) / 2, 1e-12, "population variances 8/3 and 4200/27");
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
    public void FromData_leaves_out_columns_never_observed_and_handles_one_column()
    {
        double[,] withEmptyColumn = { { 1, double.NaN }, { 3, double.NaN }, { 5, double.NaN } };
        double[,] one = { { 1 }, { 3 }, { 5 } };

        // Population variance of 1, 3, 5 is 8/3; K = 2 in one dimension divides it by 2² = 4.
        CovariancePrior.FromData(one, 2).Variance.Should().BeApproximately(8.0 / 3 / 4, 1e-15);
        CovariancePrior.FromData(withEmptyColumn, 2).Variance.Should().BeApproximately(8.0 / 3 / 4, 1e-15, "the empty column neither adds a zero nor counts as a dimension");
    }

    [Fact]
    public void FromData_reports_overflow_and_a_single_row()
    {
        double[,] huge = { { 1e300, 0 }, { -1e300, 1 } };
        var act = () => CovariancePrior.FromData(huge, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*overflows*Scale the data*").Which.ParamName.Should().Be("data");

        double[,] single = { { 1, 2 } };
        act = () => CovariancePrior.FromData(single, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*no spread*").Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void A_prior_whose_added_scatter_overflows_is_named_when_used()
    {
        var prior = new CovariancePrior(1e200, 1e200);
        var act = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 1, CovariancePrior = prior }).Fit(TestData.Faithful());
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*overflows*").Which.ParamName.Should().Be("Variance");
    }
}
