using MixtureModels.Components.Categorical;

namespace MixtureModels.Tests.Components.Categorical;

public sealed class CategoricalStatisticsTests
{
    internal const int L = 6;

    internal static (double[] Rows, double[] Weights) Data(int n, int seed, int levels = L)
    {
        var random = new Random(seed);
        var rows = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            rows[i] = random.Next(0, levels - 1); // the last level is never seen
            weights[i] = i % 5 == 0 ? 0 : random.NextDouble() * 2;
        }

        return (rows, weights);
    }

    [Fact]
    public void Two_halves_merged_equal_all_at_once_and_the_brute_force_counts()
    {
        var (rows, weights) = Data(257, 1);
        var once = new CategoricalStatistics(L);
        once.Accumulate(rows, weights);
        var a = new CategoricalStatistics(L);
        var b = new CategoricalStatistics(L);
        a.Accumulate(rows.AsSpan(0, 100), weights.AsSpan(0, 100));
        b.Accumulate(rows.AsSpan(100), weights.AsSpan(100));
        a.Merge(b);

        var counts = new double[L];
        for (int n = 0; n < rows.Length; n++)
        {
            counts[(int)rows[n]] += weights[n];
        }

        once.TotalWeight.ShouldBeClose(weights.Sum(), 1e-13);
        a.TotalWeight.ShouldBeClose(weights.Sum(), 1e-13);
        for (int l = 0; l < L; l++)
        {
            once.WeightedCounts[l].ShouldBeClose(counts[l], 1e-13, $"level {l}");
            a.WeightedCounts[l].ShouldBeClose(counts[l], 1e-13, $"level {l}");
        }

        once.WeightedCounts[L - 1].Should().Be(0);
        once.LevelCount.Should().Be(L);
        once.Dimension.Should().Be(1);
    }

    [Fact]
    public void FromValues_round_trips()
    {
        var (rows, weights) = Data(80, 2);
        var original = new CategoricalStatistics(L);
        original.Accumulate(rows, weights);
        var restored = CategoricalStatistics.FromValues(original.TotalWeight, original.WeightedCounts);
        restored.TotalWeight.Should().Be(original.TotalWeight);
        restored.WeightedCounts.ToArray().Should().Equal(original.WeightedCounts.ToArray());

        var family = new CategoricalFamily(L, 0.5);
        var fromOriginal = new CategoricalComponent[1];
        var fromRestored = new CategoricalComponent[1];
        family.Estimate(new CategoricalStatistics[] { original }, fromOriginal);
        family.Estimate(new CategoricalStatistics[] { restored }, fromRestored);
        fromRestored[0].Probabilities.ToArray().Should().Equal(fromOriginal[0].Probabilities.ToArray());
    }

    [Fact]
    public void FromValues_rejects_bad_values_naming_the_parameter()
    {
        var negative = () => CategoricalStatistics.FromValues(1, new[] { 2.0, -1.0 });
        var empty = () => CategoricalStatistics.FromValues(0, ReadOnlySpan<double>.Empty);
        var inconsistent = () => CategoricalStatistics.FromValues(5, new[] { 1.0, 2.0 });
        var badWeight = () => CategoricalStatistics.FromValues(double.NaN, new[] { 1.0 });
        negative.Should().Throw<ArgumentException>().Where(e => e.ParamName == "weightedCounts" && e.Message.Contains("weightedCounts[1] = -1"));
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("weightedCounts");
        inconsistent.Should().Throw<ArgumentException>().Where(e => e.ParamName == "totalWeight" && e.Message.Contains('5') && e.Message.Contains('3'));
        badWeight.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("totalWeight");
    }

    [Fact]
    public void Merging_another_level_count_throws_and_clear_empties()
    {
        var s = new CategoricalStatistics(3);
        var levels = () => s.Merge(new CategoricalStatistics(4));
        levels.Should().Throw<ArgumentException>().WithMessage("*4 levels*3 levels*");

        s.Accumulate(new double[] { 0, 2 }, new double[] { 1, 1 });
        s.Clear();
        s.TotalWeight.Should().Be(0);
        s.WeightedCounts.ToArray().Should().OnlyContain(c => c == 0);

        var bad = () => new CategoricalStatistics(0);
        bad.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("levelCount");
    }
}
