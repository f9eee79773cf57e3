using System.Text.Json;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// Sufficient statistics are plain data: their values survive a JSON round trip, and statistics rebuilt from them
/// merge and estimate exactly like the originals (the basis for streaming and for several machines).
/// </summary>
public sealed class StatisticsSerializationTests
{
    private sealed record Saved(double TotalWeight, double[] Reference, double[] WeightedSum, double[] Scatter);

    [Fact]
    public void Full_scatter_statistics_round_trip_through_json_and_merge_like_the_originals()
    {
        var (rows, weights) = Block(seed: 3, count: 40, d: 3);
        var first = new FullScatterStatistics(3);
        first.Accumulate(rows.AsSpan(0, 20 * 3), weights.AsSpan(0, 20));
        var second = new FullScatterStatistics(3, [10, 10, 10]);
        second.Accumulate(rows.AsSpan(20 * 3), weights.AsSpan(20));

        var json = JsonSerializer.Serialize(new Saved(second.TotalWeight, second.Reference.ToArray(), second.WeightedSum.ToArray(), second.Scatter.ToArray()));
        var saved = JsonSerializer.Deserialize<Saved>(json)!;
        var restored = FullScatterStatistics.FromValues(saved.TotalWeight, saved.Reference, saved.WeightedSum, saved.Scatter);

        restored.TotalWeight.Should().Be(second.TotalWeight);
        restored.Scatter.ToArray().Should().Equal(second.Scatter.ToArray());

        var viaOriginal = Clone(first);
        viaOriginal.Merge(second);
        var viaRestored = Clone(first);
        viaRestored.Merge(restored);
        viaRestored.TotalWeight.Should().Be(viaOriginal.TotalWeight);
        viaRestored.WeightedSum.ToArray().Should().Equal(viaOriginal.WeightedSum.ToArray());
        viaRestored.Scatter.ToArray().Should().Equal(viaOriginal.Scatter.ToArray());

        var family = new FullCovarianceFamily(3, 1e-6);
        var a = new GaussianComponent[1];
        var b = new GaussianComponent[1];
        family.Estimate(new GaussianStatistics[] { viaOriginal }, a);
        family.Estimate(new GaussianStatistics[] { viaRestored }, b);
        b[0].GetCovariance().Should().BeEquivalentTo(a[0].GetCovariance());
        b[0].Mean.ToArray().Should().Equal(a[0].Mean.ToArray());
    }

    [Fact]
    public void Diagonal_scatter_statistics_round_trip_through_json()
    {
        var (rows, weights) = Block(seed: 4, count: 25, d: 4);
        var original = new DiagonalScatterStatistics(4);
        original.Accumulate(rows, weights);

        var json = JsonSerializer.Serialize(new Saved(original.TotalWeight, original.Reference.ToArray(), original.WeightedSum.ToArray(), original.Scatter.ToArray()));
        var saved = JsonSerializer.Deserialize<Saved>(json)!;
        var restored = DiagonalScatterStatistics.FromValues(saved.TotalWeight, saved.Reference, saved.WeightedSum, saved.Scatter);

        restored.TotalWeight.Should().Be(original.TotalWeight);
        restored.Reference.ToArray().Should().Equal(original.Reference.ToArray());
        restored.WeightedSum.ToArray().Should().Equal(original.WeightedSum.ToArray());
        restored.Scatter.ToArray().Should().Equal(original.Scatter.ToArray());
    }

    [Fact]
    public void Restoring_inconsistent_values_is_an_argument_exception_naming_the_value()
    {
        var act = () => FullScatterStatistics.FromValues(1.0, [0, 0], [0, 0], [1, 0, 0]);
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scatter");

        var negative = () => DiagonalScatterStatistics.FromValues(-1.0, [0], [0], [0]);
        negative.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("totalWeight");

        var nan = () => DiagonalScatterStatistics.FromValues(1.0, [0], [double.NaN], [0]);
        nan.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("weightedSum");
    }

    private static FullScatterStatistics Clone(FullScatterStatistics s) =>
        FullScatterStatistics.FromValues(s.TotalWeight, s.Reference, s.WeightedSum, s.Scatter);

    private static (double[] Rows, double[] Weights) Block(int seed, int count, int d)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, count * d).Select(_ => (random.NextDouble() * 10) - 5).ToArray();
        var weights = Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
        return (rows, weights);
    }
}
