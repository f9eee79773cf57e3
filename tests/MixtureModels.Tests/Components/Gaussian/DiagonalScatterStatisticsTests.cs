using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class DiagonalScatterStatisticsTests
{
    private const int D = 4;

    [Fact]
    public void Accumulating_at_once_equals_the_brute_force_weighted_moments()
    {
        var (rows, weights) = FullScatterStatisticsTests.Data(97, 11);
        var reference = new[] { 0.5, -1.0, 2.0, 10.0 };
        var s = new DiagonalScatterStatistics(D, reference);

        s.Accumulate(rows, weights);

        AssertMoments(s, rows, weights, reference);
    }

    [Fact]
    public void Two_halves_merged_equal_all_at_once_for_any_reference_points()
    {
        var (rows, weights) = FullScatterStatisticsTests.Data(203, 12);
        int half = 101;
        var a = new DiagonalScatterStatistics(D, new[] { 1.0, 2.0, 3.0, 4.0 });
        var b = new DiagonalScatterStatistics(D, new[] { -5.0, 0.0, 7.5, 100.0 });
        a.Accumulate(rows.AsSpan(0, half * D), weights.AsSpan(0, half));
        b.Accumulate(rows.AsSpan(half * D), weights.AsSpan(half));
        var merged = new DiagonalScatterStatistics(D, new[] { 0.25, -0.5, 1.0, 2.0 });
        merged.Merge(a);
        merged.Merge(b);
        var once = new DiagonalScatterStatistics(D, new[] { 0.25, -0.5, 1.0, 2.0 });
        once.Accumulate(rows, weights);

        AssertMoments(merged, rows, weights, merged.Reference.ToArray());
        merged.TotalWeight.ShouldBeClose(once.TotalWeight, 1e-12);
        for (int i = 0; i < D; i++)
        {
            merged.WeightedSum[i].ShouldBeClose(once.WeightedSum[i], 1e-12);
            merged.Scatter[i].ShouldBeClose(once.Scatter[i], 1e-12);
        }
    }

    [Fact]
    public void Merging_an_accumulator_of_another_kind_or_dimension_throws()
    {
        var s = new DiagonalScatterStatistics(D);
        var act1 = () => s.Merge(new FullScatterStatistics(D));
        var act2 = () => s.Merge(new DiagonalScatterStatistics(D + 1));
        act1.Should().Throw<ArgumentException>();
        act2.Should().Throw<ArgumentException>();
    }

    private static void AssertMoments(DiagonalScatterStatistics s, double[] rows, double[] weights, double[] reference)
    {
        double w = 0;
        var sum = new double[D];
        var scatter = new double[D];
        for (int r = 0; r < weights.Length; r++)
        {
            w += weights[r];
            for (int i = 0; i < D; i++)
            {
                double di = rows[(r * D) + i] - reference[i];
                sum[i] += weights[r] * di;
                scatter[i] += weights[r] * di * di;
            }
        }

        s.TotalWeight.ShouldBeClose(w, 1e-13);
        for (int i = 0; i < D; i++)
        {
            s.WeightedSum[i].Should().BeApproximately(sum[i], 1e-12 * Math.Max(Math.Abs(sum[i]), Math.Sqrt(w * scatter[i])), $"sum {i}");
            s.Scatter[i].ShouldBeClose(scatter[i], 1e-12, $"scatter {i}");
        }
    }
}
