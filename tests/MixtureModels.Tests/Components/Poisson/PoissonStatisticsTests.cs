using MixtureModels.Components.Poisson;

namespace MixtureModels.Tests.Components.Poisson;

public sealed class PoissonStatisticsTests
{
    internal static (double[] Rows, double[] Weights) Data(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = random.Next(0, 40);
            weights[i] = i % 7 == 0 ? 0 : random.NextDouble() * 3;
        }

        return (rows, weights);
    }

    [Fact]
    public void Two_halves_merged_equal_all_at_once_and_the_brute_force_sums()
    {
        var (rows, weights) = Data(301, 1);
        var once = new PoissonStatistics();
        once.Accumulate(rows, weights);
        var a = new PoissonStatistics();
        var b = new PoissonStatistics();
        a.Accumulate(rows.AsSpan(0, 150), weights.AsSpan(0, 150));
        b.Accumulate(rows.AsSpan(150), weights.AsSpan(150));
        a.Merge(b);

        double w = 0;
        double s = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            w += weights[i];
            s += weights[i] * rows[i];
        }

        once.TotalWeight.ShouldBeClose(w, 1e-13);
        once.WeightedSum.ShouldBeClose(s, 1e-13);
        a.TotalWeight.ShouldBeClose(w, 1e-13);
        a.WeightedSum.ShouldBeClose(s, 1e-13);
        b.TotalWeight.Should().BeLessThan(w, "the merged-in accumulator is left unchanged");
        once.Dimension.Should().Be(1);
    }

    [Fact]
    public void FromValues_round_trips_and_merges_like_the_original()
    {
        var (rows, weights) = Data(100, 2);
        var original = new PoissonStatistics();
        original.Accumulate(rows, weights);

        var restored = PoissonStatistics.FromValues(original.TotalWeight, original.WeightedSum);
        restored.TotalWeight.Should().Be(original.TotalWeight);
        restored.WeightedSum.Should().Be(original.WeightedSum);

        var family = new PoissonFamily();
        var fromOriginal = new PoissonComponent[1];
        var fromRestored = new PoissonComponent[1];
        family.Estimate(new[] { original }, fromOriginal);
        family.Estimate(new[] { restored }, fromRestored);
        fromRestored[0].Rate.Should().Be(fromOriginal[0].Rate);
    }

    [Fact]
    public void Clear_empties_the_statistics()
    {
        var (rows, weights) = Data(20, 3);
        var s = new PoissonStatistics();
        s.Accumulate(rows, weights);
        s.Clear();
        s.TotalWeight.Should().Be(0);
        s.WeightedSum.Should().Be(0);
    }

    [Fact]
    public void Merging_null_throws()
    {
        var s = new PoissonStatistics();
        var act = () => s.Merge(null!);
        act.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("other");
    }

    [Theory]
    [InlineData(-1.0, 2.0, "totalWeight")]
    [InlineData(double.NaN, 2.0, "totalWeight")]
    [InlineData(1.0, -2.0, "weightedSum")]
    [InlineData(1.0, double.PositiveInfinity, "weightedSum")]
    public void FromValues_rejects_bad_values_naming_the_parameter(double totalWeight, double weightedSum, string parameter)
    {
        var act = () => PoissonStatistics.FromValues(totalWeight, weightedSum);
        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Rows_shorter_than_weights_throw()
    {
        var s = new PoissonStatistics();
        var act = () => s.Accumulate(new double[2], new double[3]);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
    }
}
