using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class FullScatterStatisticsTests
{
    private const int D = 4;

    [Fact]
    public void Accumulating_at_once_equals_the_brute_force_weighted_moments()
    {
        var (rows, weights) = Data(97, 1);
        var reference = new[] { 0.5, -1.0, 2.0, 10.0 };
        var s = new FullScatterStatistics(D, reference);

        s.Accumulate(rows, weights);

        AssertMoments(s, rows, weights, reference);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(203)]
    public void Large_dimensions_built_in_strips_equal_the_brute_force_weighted_moments(int d)
    {
        // Above 64 padded columns a block's scatter is built 64 rows at a time (O(D) scratch per thread, not D²).
        var random = new Random(d);
        int n = 300;
        var rows = Enumerable.Range(0, n * d).Select(_ => Reference.StandardNormal(random) + 3).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var reference = Enumerable.Range(0, d).Select(j => 0.1 * j).ToArray();
        var s = new FullScatterStatistics(d, reference);
        s.Accumulate(rows, weights);

        double total = weights.Sum();
        s.TotalWeight.Should().BeApproximately(total, 1e-12 * total);
        double worst = 0;
        for (int i = 0; i < d; i++)
        {
            double expectedSum = 0;
            for (int r = 0; r < n; r++)
            {
                expectedSum += weights[r] * (rows[(r * d) + i] - reference[i]);
            }

            s.WeightedSum[i].Should().BeApproximately(expectedSum, 1e-10 * Math.Max(1, Math.Abs(expectedSum)));
            for (int j = i; j < d; j++)
            {
                double expected = 0;
                for (int r = 0; r < n; r++)
                {
                    expected += weights[r] * (rows[(r * d) + i] - reference[i]) * (rows[(r * d) + j] - reference[j]);
                }

                worst = Math.Max(worst, Math.Abs(s.Scatter[(i * d) + j] - expected) / Math.Max(1, Math.Abs(expected)));
            }
        }

        worst.Should().BeLessThan(1e-11);
    }

    [Fact]
    public void Two_halves_merged_equal_all_at_once_for_any_reference_points()
    {
        var (rows, weights) = Data(203, 2);
        int half = 88;
        var a = new FullScatterStatistics(D, new[] { 1.0, 2.0, 3.0, 4.0 });
        var b = new FullScatterStatistics(D, new[] { -5.0, 0.0, 7.5, 100.0 });
        a.Accumulate(rows.AsSpan(0, half * D), weights.AsSpan(0, half));
        b.Accumulate(rows.AsSpan(half * D), weights.AsSpan(half));

        var merged = new FullScatterStatistics(D, new[] { 0.25, -0.5, 1.0, 2.0 });
        merged.Merge(a);
        merged.Merge(b);
        var once = new FullScatterStatistics(D, new[] { 0.25, -0.5, 1.0, 2.0 });
        once.Accumulate(rows, weights);

        AssertMoments(merged, rows, weights, merged.Reference.ToArray());
        merged.TotalWeight.ShouldBeClose(once.TotalWeight, 1e-12);
        AssertSame(merged.WeightedSum, once.WeightedSum);
        AssertSame(UpperTriangle(merged.Scatter), UpperTriangle(once.Scatter));
    }

    [Fact]
    public void Merging_into_an_empty_accumulator_without_a_reference_adopts_the_others()
    {
        var (rows, weights) = Data(60, 3);
        var a = new FullScatterStatistics(D);
        a.Accumulate(rows.AsSpan(0, 30 * D), weights.AsSpan(0, 30));
        var b = new FullScatterStatistics(D);
        b.Accumulate(rows.AsSpan(30 * D), weights.AsSpan(30));

        var merged = new FullScatterStatistics(D);
        merged.Merge(a);
        merged.Merge(b);

        merged.Reference.Length.Should().Be(D);
        AssertMoments(merged, rows, weights, merged.Reference.ToArray());
    }

    [Fact]
    public void Data_with_a_large_offset_keeps_an_accurate_centred_scatter()
    {
        var (rows, weights) = Data(150, 4);
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] += 1e8;
        }

        var a = new FullScatterStatistics(D, Enumerable.Repeat(1e8, D).ToArray());
        a.Accumulate(rows.AsSpan(0, 70 * D), weights.AsSpan(0, 70));
        var b = new FullScatterStatistics(D, Enumerable.Repeat(1e8 + 1, D).ToArray());
        b.Accumulate(rows.AsSpan(70 * D), weights.AsSpan(70));
        var merged = new FullScatterStatistics(D, Enumerable.Repeat(1e8 + 0.5, D).ToArray());
        merged.Merge(a);
        merged.Merge(b);

        AssertMoments(merged, rows, weights, merged.Reference.ToArray(), 1e-9);
    }

    [Fact]
    public void Rows_with_zero_weight_contribute_nothing_and_clear_resets_to_empty()
    {
        var (rows, weights) = Data(40, 5);
        for (int i = 0; i < 40; i += 3)
        {
            weights[i] = 0;
        }

        var reference = new[] { 1.0, 1.0, 1.0, 1.0 };
        var withZeros = new FullScatterStatistics(D, reference);
        withZeros.Accumulate(rows, weights);
        var kept = Enumerable.Range(0, 40).Where(i => weights[i] > 0).ToArray();
        var keptRows = kept.SelectMany(i => rows.Skip(i * D).Take(D)).ToArray();
        var keptWeights = kept.Select(i => weights[i]).ToArray();
        var without = new FullScatterStatistics(D, reference);
        without.Accumulate(keptRows, keptWeights);

        withZeros.TotalWeight.ShouldBeClose(without.TotalWeight, 1e-13);
        AssertSame(withZeros.WeightedSum, without.WeightedSum);
        AssertSame(UpperTriangle(withZeros.Scatter), UpperTriangle(without.Scatter));

        withZeros.Clear();
        withZeros.TotalWeight.Should().Be(0);
        withZeros.WeightedSum.ToArray().Should().OnlyContain(v => v == 0);
        withZeros.Scatter.ToArray().Should().OnlyContain(v => v == 0);
        withZeros.Reference.ToArray().Should().Equal(reference);
    }

    internal static (double[] Rows, double[] Weights) Data(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new double[n * D];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (3 * Reference.StandardNormal(random)) + (i % D);
        }

        var weights = Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble()).ToArray();
        return (rows, weights);
    }

    private static double[] UpperTriangle(ReadOnlySpan<double> scatter)
    {
        var result = new List<double>();
        for (int i = 0; i < D; i++)
        {
            for (int j = i; j < D; j++)
            {
                result.Add(scatter[(i * D) + j]);
            }
        }

        return [.. result];
    }

    private static void AssertSame(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        actual.Length.Should().Be(expected.Length);
        double scale = 1;
        foreach (double v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }

        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 1e-12 * scale, $"entry {i}");
        }
    }

    private static void AssertMoments(FullScatterStatistics s, double[] rows, double[] weights, double[] reference, double tolerance = 1e-12)
    {
        int n = weights.Length;
        double w = 0;
        var sum = new double[D];
        var scatter = new double[D, D];
        for (int r = 0; r < n; r++)
        {
            w += weights[r];
            for (int i = 0; i < D; i++)
            {
                double di = rows[(r * D) + i] - reference[i];
                sum[i] += weights[r] * di;
                for (int j = 0; j < D; j++)
                {
                    scatter[i, j] += weights[r] * di * (rows[(r * D) + j] - reference[j]);
                }
            }
        }

        s.TotalWeight.ShouldBeClose(w, 1e-13);
        double sumScale = Math.Max(1, sum.Max(Math.Abs));
        double scatterScale = Math.Max(1, scatter.Cast<double>().Max(Math.Abs));
        for (int i = 0; i < D; i++)
        {
            s.WeightedSum[i].Should().BeApproximately(sum[i], tolerance * Math.Max(sumScale, Math.Sqrt(w * scatterScale)), $"sum {i}");
            for (int j = i; j < D; j++)
            {
                s.Scatter[(i * D) + j].Should().BeApproximately(scatter[i, j], tolerance * scatterScale, $"scatter [{i}, {j}]");
            }
        }
    }
}
