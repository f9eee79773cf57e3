using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class CovariancePriorTests
{
    [Theory]
    [InlineData(0.0, 1.0, "PseudoObservations")]
    [InlineData(-1.0, 1.0, "PseudoObservations")]
    [InlineData(double.NaN, 1.0, "PseudoObservations")]
    [InlineData(double.PositiveInfinity, 1.0, "PseudoObservations")]
    [InlineData(1.0, 0.0, "Variance")]
    [InlineData(1.0, -2.0, "Variance")]
    [InlineData(1.0, double.NaN, "Variance")]
    public void Bad_settings_are_named(double alpha, double variance, string name)
    {
        var act = () => new CovariancePrior(alpha, variance);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }

    [Fact]
    public void FromData_is_the_mean_column_variance_over_K_to_the_2_over_D()
    {
        var x = TestData.Faithful();
        int n = x.GetLength(0), d = x.GetLength(1);
        double meanVariance = 0;
        for (int j = 0; j < d; j++)
        {
            // Two-pass sample variance, independent of the library's one-pass update.
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

            meanVariance += sum / (n - 1) / d;
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
        expected.Should().BeApproximately((4.0 + (700.0 / 3)) / 2, 1e-12, "sample variances 4 and 233.3");
    }

    [Fact]
    public void FromData_rejects_data_without_spread_and_infinite_values()
    {
        double[,] constant = { { 2, 2 }, { 2, 2 }, { 2, 2 } };
        var act = () => CovariancePrior.FromData(constant, 2);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("data");

        double[,] infinite = { { 1, 2 }, { double.PositiveInfinity, 3 }, { 2, 2 } };
        act = () => CovariancePrior.FromData(infinite, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*data[1, 0]*");

        act = () => CovariancePrior.FromData(TestData.Faithful(), 0);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("componentCount");
    }
}
