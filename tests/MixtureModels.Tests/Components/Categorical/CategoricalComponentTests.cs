using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Components.Categorical;

namespace MixtureModels.Tests.Components.Categorical;

public sealed class CategoricalComponentTests
{
    private static readonly double[] P = { 0.1, 0.25, 0.05, 0.4, 0.2 };

    [Fact]
    public void Log_density_is_the_log_of_the_level_probability_and_block_equals_single_row()
    {
        var c = CategoricalComponent.WithProbabilities(P);
        var rows = Enumerable.Range(0, 50).Select(i => (double)(i % P.Length)).ToArray();
        var block = new double[rows.Length];
        ((IComponent)c).LogDensity(rows, block);
        for (int n = 0; n < rows.Length; n++)
        {
            block[n].ShouldBeClose(Math.Log(P[(int)rows[n]]), 1e-14, $"row {n}");
            c.LogDensity(rows.AsSpan(n, 1)).Should().Be(block[n]);
        }
    }

    [Fact]
    public void Probabilities_sum_to_one_over_the_levels()
    {
        var c = CategoricalComponent.WithProbabilities(P);
        double total = 0;
        for (int l = 0; l < P.Length; l++)
        {
            total += Math.Exp(c.LogDensity(new[] { (double)l }));
        }

        total.Should().BeApproximately(1.0, 1e-14);
        c.Probabilities.ToArray().Sum().Should().BeApproximately(1.0, 1e-15);
        c.LogProbabilities.Length.Should().Be(P.Length);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(5.0)]
    [InlineData(1.5)]
    [InlineData(1e300)]
    public void Values_that_are_not_levels_have_log_density_minus_infinity(double x)
    {
        var c = CategoricalComponent.WithProbabilities(P);
        c.LogDensity(new[] { x }).Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void NaN_is_not_a_level_but_invalid_input_outside_MarginalLogDensity()
    {
        var c = CategoricalComponent.WithProbabilities(P);
        var act = () => c.LogDensity(new[] { double.NaN });
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
    }

    [Fact]
    public void A_probability_of_zero_is_allowed_and_never_sampled()
    {
        var c = CategoricalComponent.WithProbabilities(new[] { 0.5, 0.0, 0.5, 0.0 });
        c.LogDensity(new[] { 1.0 }).Should().Be(double.NegativeInfinity);
        var random = new Random(1);
        var one = new double[1];
        for (int i = 0; i < 5000; i++)
        {
            c.Sample(random, one);
            one[0].Should().BeOneOf(0.0, 2.0);
        }
    }

    [Fact]
    public void Sample_frequencies_match_the_probabilities_within_five_standard_errors()
    {
        const int N = 20000;
        var c = CategoricalComponent.WithProbabilities(P);
        var random = new Random(2);
        var counts = new int[P.Length];
        var one = new double[1];
        for (int i = 0; i < N; i++)
        {
            c.Sample(random, one);
            one[0].Should().Be(Math.Floor(one[0]));
            counts[(int)one[0]]++;
        }

        for (int l = 0; l < P.Length; l++)
        {
            ((double)counts[l] / N).Should().BeApproximately(P[l], 5 * Math.Sqrt(P[l] * (1 - P[l]) / N), $"level {l}");
        }
    }

    [Fact]
    public void Probabilities_are_renormalised_within_the_tolerance()
    {
        var c = CategoricalComponent.WithProbabilities(new[] { 0.5 + 4e-9, 0.5 });
        c.Probabilities[0].Should().BeApproximately(0.5, 1e-8);
        (c.Probabilities[0] + c.Probabilities[1]).Should().BeApproximately(1.0, 1e-15);
    }

    [Fact]
    public void Parameter_count_is_levels_minus_one()
    {
        CategoricalComponent.WithProbabilities(P).ParameterCount.Should().Be(4);
        CategoricalComponent.WithProbabilities(P).LevelCount.Should().Be(5);
        CategoricalComponent.WithProbabilities(P).Dimension.Should().Be(1);
        CategoricalComponent.WithProbabilities(new[] { 1.0 }).ParameterCount.Should().Be(0);
    }

    [Fact]
    public void Bad_probabilities_throw_naming_the_parameter_and_value()
    {
        var empty = () => CategoricalComponent.WithProbabilities(ReadOnlySpan<double>.Empty);
        var negative = () => CategoricalComponent.WithProbabilities(new[] { 1.25, -0.25 });
        var nan = () => CategoricalComponent.WithProbabilities(new[] { double.NaN, 1.0 });
        var sum = () => CategoricalComponent.WithProbabilities(new[] { 0.5, 0.6 });
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("probabilities");
        negative.Should().Throw<ArgumentException>().Where(e => e.ParamName == "probabilities" && e.Message.Contains("probabilities[1] = -0.25"));
        nan.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("NaN"));
        sum.Should().Throw<ArgumentException>().Where(e => e.ParamName == "probabilities" && e.Message.Contains(1.1.ToString("R", CultureInfo.InvariantCulture)));
    }
}
