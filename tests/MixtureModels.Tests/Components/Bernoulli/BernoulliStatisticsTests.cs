using MixtureModels.Components.Bernoulli;

namespace MixtureModels.Tests.Components.Bernoulli;

public sealed class BernoulliStatisticsTests
{
    [Theory]
    [InlineData(1, 9)]
    [InlineData(3, 13)]
    [InlineData(4, 4)]
    [InlineData(7, 37)]
    [InlineData(8, 130)]
    [InlineData(16, 255)]
    [InlineData(33, 31)]
    public void Accumulating_at_once_equals_the_brute_force_weighted_counts(int d, int rows)
    {
        var x = BernoulliTestData.Binary(rows, d, d + rows);
        var w = BernoulliTestData.Weights(rows, d * rows);
        var s = new BernoulliStatistics(d);

        s.Accumulate(x, w);

        var (total, counts) = BernoulliTestData.WeightedCounts(x, w, d);
        s.Dimension.Should().Be(d);
        s.TotalWeight.ShouldBeClose(total, 1e-13);
        for (int i = 0; i < d; i++)
        {
            s.WeightedCounts[i].ShouldBeClose(counts[i], 1e-13, $"column {i}");
        }
    }

    [Theory]
    [InlineData(5, 203, 101)]
    [InlineData(16, 64, 1)]
    [InlineData(9, 77, 76)]
    public void Two_halves_merged_equal_all_at_once(int d, int rows, int half)
    {
        var x = BernoulliTestData.Binary(rows, d, 3 * rows);
        var w = BernoulliTestData.Weights(rows, 5 * rows);
        var a = new BernoulliStatistics(d);
        var b = new BernoulliStatistics(d);
        a.Accumulate(x.AsSpan(0, half * d), w.AsSpan(0, half));
        b.Accumulate(x.AsSpan(half * d), w.AsSpan(half));
        var merged = new BernoulliStatistics(d);
        merged.Merge(a);
        merged.Merge(b);
        var once = new BernoulliStatistics(d);
        once.Accumulate(x, w);

        merged.TotalWeight.ShouldBeClose(once.TotalWeight, 1e-13);
        for (int i = 0; i < d; i++)
        {
            merged.WeightedCounts[i].ShouldBeClose(once.WeightedCounts[i], 1e-13, $"column {i}");
        }

        b.TotalWeight.ShouldBeClose(w.Skip(half).Sum(), 1e-13, "merge leaves its argument unchanged");
    }

    [Fact]
    public void Accumulating_block_by_block_adds_up_and_zero_weights_add_nothing()
    {
        const int d = 6;
        var x = BernoulliTestData.Binary(40, d, 1);
        var w = BernoulliTestData.Weights(40, 2);
        var s = new BernoulliStatistics(d);
        for (int start = 0; start < 40; start += 16)
        {
            int count = Math.Min(16, 40 - start);
            s.Accumulate(x.AsSpan(start * d, count * d), w.AsSpan(start, count));
        }

        s.Accumulate(x.AsSpan(0, 3 * d), new double[3]);
        s.Accumulate(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty);

        var (total, counts) = BernoulliTestData.WeightedCounts(x, w, d);
        s.TotalWeight.ShouldBeClose(total, 1e-13);
        for (int i = 0; i < d; i++)
        {
            s.WeightedCounts[i].ShouldBeClose(counts[i], 1e-13);
        }
    }

    [Fact]
    public void Clear_returns_to_the_empty_state()
    {
        var s = new BernoulliStatistics(3);
        s.Accumulate(new double[] { 1, 0, 1, 1, 1, 0 }, new[] { 0.5, 2.0 });
        s.TotalWeight.Should().Be(2.5);
        s.WeightedCounts.ToArray().Should().Equal(2.5, 2.0, 0.5);

        s.Clear();

        s.TotalWeight.Should().Be(0);
        s.WeightedCounts.ToArray().Should().Equal(0, 0, 0);
    }

    [Fact]
    public void FromValues_round_trips_and_merges_like_the_original()
    {
        const int d = 7;
        var x = BernoulliTestData.Binary(50, d, 11);
        var w = BernoulliTestData.Weights(50, 12);
        var original = new BernoulliStatistics(d);
        original.Accumulate(x, w);

        var restored = BernoulliStatistics.FromValues(original.TotalWeight, original.WeightedCounts.ToArray());

        restored.Dimension.Should().Be(d);
        restored.TotalWeight.Should().Be(original.TotalWeight);
        restored.WeightedCounts.ToArray().Should().Equal(original.WeightedCounts.ToArray());
        var merged = new BernoulliStatistics(d);
        merged.Merge(restored);
        merged.Merge(original);
        merged.TotalWeight.ShouldBeClose(2 * original.TotalWeight, 1e-15);
        for (int i = 0; i < d; i++)
        {
            merged.WeightedCounts[i].ShouldBeClose(2 * original.WeightedCounts[i], 1e-15);
        }

        var empty = BernoulliStatistics.FromValues(0, new double[3]);
        empty.TotalWeight.Should().Be(0);
        empty.Dimension.Should().Be(3);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void FromValues_rejects_a_bad_total_weight(double totalWeight)
    {
        var act = () => BernoulliStatistics.FromValues(totalWeight, new[] { 0.0 });

        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("totalWeight");
        e.Message.Should().Contain("totalWeight = ");
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(3.5)]
    [InlineData(double.NaN)]
    public void FromValues_rejects_counts_outside_zero_to_total_weight(double count)
    {
        var act = () => BernoulliStatistics.FromValues(3.0, new[] { 1.0, count });

        var e = act.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("weightedCounts");
        e.Message.Should().Contain($"weightedCounts[1] = {count.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    [Fact]
    public void FromValues_rejects_empty_counts()
    {
        var act = () => BernoulliStatistics.FromValues(1.0, ReadOnlySpan<double>.Empty);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("weightedCounts");
    }

    [Fact]
    public void Merge_rejects_another_dimension_and_a_bad_dimension_is_rejected()
    {
        var s = new BernoulliStatistics(3);

        var otherDimension = () => s.Merge(new BernoulliStatistics(4));
        otherDimension.Should().Throw<ArgumentException>().Which.Message.Should().Contain("dimension 4").And.Contain("dimension 3");
        var zero = () => new BernoulliStatistics(0);
        zero.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("dimension");
    }
}
