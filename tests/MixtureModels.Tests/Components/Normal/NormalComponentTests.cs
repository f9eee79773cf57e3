using MixtureModels.Components;
using MixtureModels.Components.Normal;

namespace MixtureModels.Tests.Components.Normal;

public sealed class NormalComponentTests
{
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-3.5, 0.01)]
    [InlineData(1e8, 250.0)]
    public void Log_density_equals_the_textbook_formula_and_block_equals_single_row(double mean, double variance)
    {
        var normal = NormalComponent.WithMeanVariance(mean, variance);
        var random = new Random(1);
        var rows = Enumerable.Range(0, 101).Select(_ => mean + (Math.Sqrt(variance) * 6 * (random.NextDouble() - 0.5))).ToArray();
        var block = new double[rows.Length];
        ((IComponent)normal).LogDensity(rows, block);
        for (int n = 0; n < rows.Length; n++)
        {
            double z = (rows[n] - mean) / Math.Sqrt(variance);
            double expected = Math.Log(Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI * variance));
            block[n].ShouldBeClose(expected, 1e-12, $"row {n}");
            normal.LogDensity(rows.AsSpan(n, 1)).ShouldBeClose(block[n], 1e-15);
        }
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(5.0, 0.04)]
    [InlineData(-100.0, 900.0)]
    public void Density_integrates_to_one(double mean, double variance)
    {
        var normal = NormalComponent.WithMeanVariance(mean, variance);
        double sigma = Math.Sqrt(variance);
        const int Intervals = 4000; // Simpson's rule over μ ± 12σ
        double a = mean - (12 * sigma);
        double h = 24 * sigma / Intervals;
        double sum = 0;
        for (int i = 0; i <= Intervals; i++)
        {
            double f = Math.Exp(normal.LogDensity(new[] { a + (i * h) }));
            sum += f * (i == 0 || i == Intervals ? 1 : (i % 2 == 1 ? 4 : 2));
        }

        (sum * h / 3).Should().BeApproximately(1.0, 1e-9);
    }

    [Theory]
    [InlineData(0.0, 1.0, 1)]
    [InlineData(-7.0, 0.25, 2)]
    [InlineData(1e6, 4e4, 3)]
    public void Samples_have_the_mean_and_variance_within_five_standard_errors(double mean, double variance, int seed)
    {
        const int N = 20000;
        var normal = NormalComponent.WithMeanVariance(mean, variance);
        var random = new Random(seed);
        var draws = new double[N];
        var one = new double[1];
        for (int i = 0; i < N; i++)
        {
            normal.Sample(random, one);
            draws[i] = one[0];
        }

        double m = draws.Average();
        double v = draws.Sum(x => (x - m) * (x - m)) / (N - 1);
        m.Should().BeApproximately(mean, 5 * Math.Sqrt(variance / N));
        v.Should().BeApproximately(variance, 5 * variance * Math.Sqrt(2.0 / N));
    }

    [Fact]
    public void Properties_and_parameter_count()
    {
        var normal = NormalComponent.WithMeanVariance(2, 9);
        normal.Mean.Should().Be(2);
        normal.Variance.Should().Be(9);
        normal.StandardDeviation.Should().Be(3);
        normal.Dimension.Should().Be(1);
        normal.ParameterCount.Should().Be(2);
    }

    [Theory]
    [InlineData(double.NaN, 1.0, "mean")]
    [InlineData(double.PositiveInfinity, 1.0, "mean")]
    [InlineData(0.0, 0.0, "variance")]
    [InlineData(0.0, -1.5, "variance")]
    [InlineData(0.0, double.NaN, "variance")]
    public void Bad_parameters_throw_naming_the_parameter_and_value(double mean, double variance, string parameter)
    {
        var act = () => NormalComponent.WithMeanVariance(mean, variance);
        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(parameter);
        double value = parameter == "mean" ? mean : variance;
        e.Message.Should().Contain($"{parameter} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void Wrong_lengths_throw()
    {
        var normal = NormalComponent.WithMeanVariance(0, 1);
        var single = () => normal.LogDensity(ReadOnlySpan<double>.Empty);
        var block = () => normal.LogDensity(new double[1], new double[2]);
        var sample = () => normal.Sample(new Random(1), new double[3]);
        single.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        block.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        sample.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
    }
}
