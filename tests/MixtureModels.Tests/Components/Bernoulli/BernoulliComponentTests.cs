using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;

namespace MixtureModels.Tests.Components.Bernoulli;

public sealed class BernoulliComponentTests
{
    [Theory]
    [InlineData(1, 9)]
    [InlineData(3, 13)]
    [InlineData(4, 4)]
    [InlineData(7, 37)]
    [InlineData(8, 130)]
    [InlineData(16, 255)]
    [InlineData(33, 31)]
    public void Block_log_density_equals_the_naive_product_and_single_rows(int d, int rows)
    {
        var phi = BernoulliTestData.Probabilities(d, 100 + d);
        var component = BernoulliComponent.WithProbabilities(phi);
        var x = BernoulliTestData.Binary(rows, d, 200 + d);
        var block = new double[rows];
        ((IComponent)component).LogDensity(x, block);

        for (int n = 0; n < rows; n++)
        {
            var row = x.AsSpan(n * d, d);
            double expected = BernoulliTestData.NaiveLogDensity(row, phi);
            block[n].ShouldBeClose(expected, 1e-12, $"row {n}");
            component.LogDensity(row).ShouldBeClose(block[n], 1e-13, $"single row {n} vs block");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    public void Density_sums_to_one_over_all_binary_vectors(int d)
    {
        var component = BernoulliComponent.WithProbabilities(BernoulliTestData.Probabilities(d, 7 * d));
        int count = 1 << d;
        var all = new double[count * d];
        for (int v = 0; v < count; v++)
        {
            for (int i = 0; i < d; i++)
            {
                all[(v * d) + i] = (v >> i) & 1;
            }
        }

        var logDensity = new double[count];
        component.LogDensity(all, logDensity);

        logDensity.Sum(Math.Exp).Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Extreme_probabilities_keep_accurate_log_odds_and_a_finite_density()
    {
        var phi = new[] { 1e-10, 1 - 1e-10, 1e-300, 0.5 };
        var component = BernoulliComponent.WithProbabilities(phi);

        component.LogOdds[0].ShouldBeClose(Math.Log(1e-10) + 1e-10, 1e-15);
        component.LogOdds[1].ShouldBeClose(Math.Log(phi[1]) - Math.Log(1 - phi[1]), 1e-15); // 1 − phi[1] is exact
        component.LogOdds[2].ShouldBeClose(Math.Log(1e-300) + 1e-300, 1e-15);
        component.LogOdds[3].Should().Be(0);
        double allOnes = component.LogDensity(new double[] { 1, 1, 1, 1 });
        double.IsFinite(allOnes).Should().BeTrue();
        allOnes.ShouldBeClose(Math.Log(1e-10) + Math.Log(phi[1]) + Math.Log(1e-300) + Math.Log(0.5), 1e-13);
        double allZeros = component.LogDensity(new double[] { 0, 0, 0, 0 });
        allZeros.ShouldBeClose(-1e-10 - 5e-21 + Math.Log(1 - phi[1]) - 1e-300 + Math.Log(0.5), 1e-13);
    }

    [Fact]
    public void Properties_return_the_probabilities_and_parameter_count()
    {
        var phi = new[] { 0.1, 0.2, 0.7 };
        var component = BernoulliComponent.WithProbabilities(phi);
        phi[0] = 0.9; // the component keeps its own copy

        component.Probabilities.ToArray().Should().Equal(0.1, 0.2, 0.7);
        component.Dimension.Should().Be(3);
        component.ParameterCount.Should().Be(3);
        component.LogOdds.ToArray().Should().Equal(Math.Log(0.1) - Math.Log(1 - 0.1), Math.Log(0.2) - Math.Log(1 - 0.2), Math.Log(0.7) - Math.Log(1 - 0.7));
    }

    [Fact]
    public void Sample_column_means_are_within_five_standard_errors_of_the_probabilities()
    {
        var phi = new[] { 0.02, 0.3, 0.5, 0.77, 0.99 };
        var component = BernoulliComponent.WithProbabilities(phi);
        var random = new Random(42);
        const int draws = 20000;
        var sums = new double[phi.Length];
        var draw = new double[phi.Length];
        for (int n = 0; n < draws; n++)
        {
            component.Sample(random, draw);
            for (int i = 0; i < phi.Length; i++)
            {
                (draw[i] == 0 || draw[i] == 1).Should().BeTrue();
                sums[i] += draw[i];
            }
        }

        for (int i = 0; i < phi.Length; i++)
        {
            double standardError = Math.Sqrt(phi[i] * (1 - phi[i]) / draws);
            (sums[i] / draws).Should().BeApproximately(phi[i], 5 * standardError, $"column {i}");
        }
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed()
    {
        var component = BernoulliComponent.WithProbabilities(new[] { 0.3, 0.6 });
        var a = new double[2];
        var b = new double[2];
        var ra = new Random(5);
        var rb = new Random(5);
        for (int n = 0; n < 50; n++)
        {
            component.Sample(ra, a);
            component.Sample(rb, b);
            a.Should().Equal(b);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.25)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_probability_outside_the_open_unit_interval_is_rejected_with_index_and_value(double bad)
    {
        var phi = new[] { 0.5, 0.25, bad };

        var act = () => BernoulliComponent.WithProbabilities(phi);

        var e = act.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("probabilities");
        e.Message.Should().Contain($"probabilities[2] = {bad.ToString(System.Globalization.CultureInfo.InvariantCulture)}").And.Contain("strictly between 0 and 1");
    }

    [Fact]
    public void Empty_probabilities_and_bad_row_or_destination_lengths_are_rejected()
    {
        var empty = () => BernoulliComponent.WithProbabilities(ReadOnlySpan<double>.Empty);
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("probabilities");

        var component = BernoulliComponent.WithProbabilities(new[] { 0.5, 0.5 });
        var row = () => component.LogDensity(new double[] { 1, 0, 1 });
        row.Should().Throw<ArgumentException>().Which.Message.Should().Contain("row has length 3").And.Contain("dimension 2");
        var sample = () => component.Sample(new Random(1), new double[1]);
        sample.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        var noRandom = () => component.Sample(null!, new double[2]);
        noRandom.Should().Throw<ArgumentNullException>();
    }
}
