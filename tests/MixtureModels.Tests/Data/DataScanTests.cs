using System.Globalization;

namespace MixtureModels.Tests.Data;

public sealed class DataScanTests
{
    public static TheoryData<int, double> ShapesAndBadValues()
    {
        var data = new TheoryData<int, double>();
        foreach (int columns in new[] { 3, 8, 13 })
        {
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                data.Add(columns, bad);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndBadValues))]
    public void The_first_bad_entry_in_row_order_is_named_for_any_thread_count(int columns, double bad)
    {
        // 40 000 rows: several chunks of DataScan.ChunkValues values, so the parallel path runs; bad entries are put in
        // the first row, the middle, the last row, and in several chunks at once (the earliest not in the first chunk).
        const int rows = 40_000;
        int length = rows * columns;
        int chunk = DataScan.ChunkValues / columns * columns;
        length.Should().BeGreaterThan(3 * chunk);
        var layouts = new[]
        {
            new[] { 0 },
            new[] { columns - 1, length - 1 },
            new[] { length / 2 },
            new[] { length - 1 },
            new[] { chunk + 5, chunk + 7, (2 * chunk) + 1, length - 2 },
            new[] { (3 * chunk) - 1, 3 * chunk, length - 1 },
            new[] { (2 * chunk) + 3, chunk + columns + 1 },
        };

        foreach (var positions in layouts)
        {
            var values = Values(length, seed: positions[0]);
            foreach (int p in positions)
            {
                values[p] = bad;
            }

            // Later bad values of the other kinds must not be the ones named.
            values[length - 3] = double.NaN;
            int first = Array.FindIndex(values, v => !double.IsFinite(v));
            string expected = $"*contains {values[first].ToString(CultureInfo.InvariantCulture)} at row {first / columns}, column {first % columns}.*";
            foreach (int threads in new[] { 1, 2, 3, -1 })
            {
                DataScan.FirstNonFinite(values, columns, threads).Should().Be(first, $"threads {threads}, bad at {string.Join(", ", positions)}");
                Span<double> min = new double[columns], max = new double[columns];
                DataScan.FirstNonFiniteAndRange(values, columns, min, max, threads, checkFinite: true).Should().Be(first);

                var data = DataMatrix.FromRowMajor(values, columns);
                data.Invoking(d => d.EnsureFinite("data", threads)).Should().Throw<ArgumentException>().WithMessage(expected).Which.ParamName.Should().Be("data");
                data.Invoking(d => d.EnsureFiniteWithRange("data", new double[columns], new double[columns], threads))
                    .Should().Throw<ArgumentException>().WithMessage(expected);
            }
        }
    }

    [Fact]
    public void Finite_data_has_no_bad_entry_for_any_thread_count()
    {
        var values = Values(30_000 * 8, seed: 3);
        foreach (int threads in new[] { 1, 2, -1 })
        {
            DataScan.FirstNonFinite(values, 8, threads).Should().Be(-1);
            DataMatrix.FromRowMajor(values, 8).Invoking(d => d.EnsureFinite("data", threads)).Should().NotThrow();
        }
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(4, 30_000)]
    [InlineData(6, 30_000)]
    [InlineData(16, 20_000)]
    [InlineData(13, 7)]
    public void Column_ranges_equal_a_row_order_fold_bit_for_bit(int columns, int rows)
    {
        // NaN (left out of the range), both zeros (−0 below +0) and ±∞ (in the range, when finiteness is not checked).
        var values = Values(rows * columns, seed: columns);
        var random = new Random(columns + rows);
        for (int i = 0; i < values.Length; i++)
        {
            double u = random.NextDouble();
            values[i] = u < 0.05 ? double.NaN : u < 0.1 ? 0.0 : u < 0.15 ? -0.0 : values[i];
        }

        values[random.Next(values.Length)] = double.PositiveInfinity;
        values[^1] = double.NegativeInfinity;
        var expectedMin = new double[columns];
        var expectedMax = new double[columns];
        Array.Fill(expectedMin, double.PositiveInfinity);
        Array.Fill(expectedMax, double.NegativeInfinity);
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsNaN(values[i]))
            {
                expectedMin[i % columns] = Math.Min(expectedMin[i % columns], values[i]);
                expectedMax[i % columns] = Math.Max(expectedMax[i % columns], values[i]);
            }
        }

        foreach (int threads in new[] { 1, 2, 3, -1 })
        {
            var min = new double[columns];
            var max = new double[columns];
            DataMatrix.FromRowMajor(values, columns).ObservedRange(min, max, threads);
            Bits(min).Should().Equal(Bits(expectedMin), $"threads {threads}");
            Bits(max).Should().Equal(Bits(expectedMax), $"threads {threads}");
        }
    }

    [Fact]
    public void A_column_of_zeros_of_both_signs_ranges_from_minus_zero_to_plus_zero()
    {
        var values = new double[40_000 * 2];
        for (int i = 0; i < values.Length; i += 2)
        {
            values[i] = i % 6 == 0 ? -0.0 : 0.0;
            values[i + 1] = i;
        }

        foreach (int threads in new[] { 1, 2, -1 })
        {
            var min = new double[2];
            var max = new double[2];
            DataMatrix.FromRowMajor(values, 2).EnsureFiniteWithRange("data", min, max, threads);
            double.IsNegative(min[0]).Should().BeTrue();
            double.IsNegative(max[0]).Should().BeFalse();
            max[0].Should().Be(0);
        }
    }

    [Fact]
    public void A_memoised_matrix_remembers_that_it_was_checked()
    {
        var copy = DataMatrix.FromArray(new double[,] { { 1, 2 }, { 3, 4 } });
        copy.EnsureFiniteWithRange("data", new double[2], new double[2], -1);
        copy.HasMissing.Should().BeFalse();
        copy.BlockHasMissing(0, 2).Should().BeFalse();

        // The memo of a per-call view skips the finiteness scan: the range is still computed.
        var view = DataMatrix.FromRowMajor(new double[] { 5, -1, 2, 7 }, 2).ForCall();
        view.EnsureFinite("data");
        var min = new double[2];
        var max = new double[2];
        view.EnsureFiniteWithRange("data", min, max, -1);
        min.Should().Equal(2, -1);
        max.Should().Equal(5, 7);
    }

    private static double[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (random.NextDouble() - 0.5) * 1e3;
        }

        return values;
    }

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
