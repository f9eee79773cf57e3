using MixtureModels.Numerics;
using MixtureModels.Tests.Components;

namespace MixtureModels.Tests.Numerics;

/// <summary>
/// The block kernels' vector pieces at every width this CPU runs (<see cref="Lanes256"/>, <see cref="Lanes512"/>): the
/// inlined exp and log against <see cref="Math"/>, and the transpose, the E-step normalisation and the sum against naive
/// loops; where both widths run, exp and log give the same bits at both.
/// </summary>
public sealed class BlockVectorMathTests
{
    [Fact]
    public void Exp_matches_Math_Exp_over_the_range_of_kept_terms()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        if (Lanes256.IsSupported)
        {
            CheckExp<Lanes256>();
        }

        if (Lanes512.IsSupported)
        {
            CheckExp<Lanes512>();
        }
    }

    [Fact]
    public void Log_matches_Math_Log_for_positive_values()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        if (Lanes256.IsSupported)
        {
            CheckLog<Lanes256>(LogInputs());
        }

        if (Lanes512.IsSupported)
        {
            CheckLog<Lanes512>(LogInputs());
        }
    }

    [Fact]
    public void Log_of_a_subnormal_value_matches_Math_Log()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        // Below the documented range of LogPositive (normal x), but the input the 512-bit test always had: the
        // exponent instructions split a subnormal exactly, and Lanes256 promises the same bits.
        if (Lanes256.IsSupported)
        {
            CheckLog<Lanes256>([double.Epsilon * 1e10, 2, 2, 2, 2, 2, 2, 2]);
        }

        if (Lanes512.IsSupported)
        {
            CheckLog<Lanes512>([double.Epsilon * 1e10, 2, 2, 2, 2, 2, 2, 2]);
        }
    }

    [Fact]
    public void Exp_and_log_give_the_same_bits_at_both_widths()
    {
        if (!Lanes256.IsSupported || !Lanes512.IsSupported)
        {
            return; // nothing to compare: at most one width runs here
        }

        var expInputs = ExpInputs();
        BitsOf(Apply<Lanes256>(expInputs, BlockVectorMath.ExpNonPositive)).Should().Equal(BitsOf(Apply<Lanes512>(expInputs, BlockVectorMath.ExpNonPositive)), "exp");
        var logInputs = LogInputs();
        BitsOf(Apply<Lanes256>(logInputs, BlockVectorMath.LogPositive)).Should().Equal(BitsOf(Apply<Lanes512>(logInputs, BlockVectorMath.LogPositive)), "log");
    }

    [Theory]
    [InlineData(1, 1, 8)]
    [InlineData(3, 5, 8)]
    [InlineData(5, 3, 16)]
    [InlineData(8, 8, 8)]
    [InlineData(4, 4, 8)]
    [InlineData(13, 7, 16)]
    [InlineData(16, 16, 16)]
    [InlineData(17, 9, 24)]
    [InlineData(24, 3, 32)]
    [InlineData(37, 12, 40)]
    [InlineData(64, 19, 64)]
    [InlineData(6, 20, 8)]
    [InlineData(0, 5, 8)]
    public void Transpose_matches_a_naive_transpose_with_zero_padding_rows(int count, int d, int p)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        if (Lanes256.IsSupported)
        {
            CheckTranspose<Lanes256>(count, d, p);
        }

        if (Lanes512.IsSupported)
        {
            CheckTranspose<Lanes512>(count, d, p);
        }
    }

    [Theory]
    [InlineData(1, 8, 8, false)]
    [InlineData(1, 16, 13, true)]
    [InlineData(3, 8, 8, true)]
    [InlineData(3, 16, 12, false)]
    [InlineData(3, 24, 21, true)]
    [InlineData(3, 136, 130, false)]
    [InlineData(3, 136, 136, true)]
    [InlineData(8, 8, 5, false)]
    [InlineData(8, 64, 64, true)]
    [InlineData(8, 72, 67, true)]
    [InlineData(8, 200, 197, false)]
    public void NormalizeBlock_matches_a_naive_computation_per_row(int k, int p, int count, bool weighted)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        if (Lanes256.IsSupported)
        {
            CheckNormalizeBlock<Lanes256>(k, p, count, weighted);
        }

        if (Lanes512.IsSupported)
        {
            CheckNormalizeBlock<Lanes512>(k, p, count, weighted);
        }
    }

    [Fact]
    public void Sum_matches_a_naive_sum()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        if (Lanes256.IsSupported)
        {
            CheckSum<Lanes256>();
        }

        if (Lanes512.IsSupported)
        {
            CheckSum<Lanes512>();
        }
    }

    [Fact]
    public void Prefetching_past_the_end_of_the_values_neither_faults_nor_changes_anything()
    {
        var values = Enumerable.Range(0, 37).Select(i => i * 0.5).ToArray();
        var copy = values.ToArray();
        BlockVectorMath.PrefetchFrom(values, 30, 4096);
        BlockVectorMath.PrefetchFrom(values, 37, 1 << 20);
        BlockVectorMath.PrefetchFrom(values, 0, 0);
        BlockVectorMath.PrefetchFrom(default, 5, 100);
        values.Should().Equal(copy);
    }

    private static void CheckExp<TLanes>()
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var inputs = ExpInputs();
        var results = Apply<TLanes>(inputs, BlockVectorMath.ExpNonPositive);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = Math.Exp(inputs[i]);
            results[i].Should().BeApproximately(expected, 3e-16 * expected, $"exp({inputs[i]:R}) with {typeof(TLanes).Name}");
        }
    }

    private static void CheckLog<TLanes>(double[] inputs)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var results = Apply<TLanes>(inputs, BlockVectorMath.LogPositive);
        for (int i = 0; i < inputs.Length; i++)
        {
            double expected = Math.Log(inputs[i]);
            results[i].Should().BeApproximately(expected, 4e-16 * Math.Max(1, Math.Abs(expected)), $"log({inputs[i]:R}) with {typeof(TLanes).Name}");
        }
    }

    private static void CheckTranspose<TLanes>(int count, int d, int p)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        const int Guard = 9; // values past the end of each span, which must stay untouched
        var random = new Random((count * 1000) + (d * 10) + TLanes.Count);
        var rows = new double[(count * d) + Guard];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = random.NextDouble() - 0.5;
        }

        var columns = new double[(d * p) + Guard];
        columns.AsSpan().Fill(double.NaN); // so that padding rows left unwritten show
        BlockVectorMath.Transpose<TLanes>(rows.AsSpan(0, count * d), count, d, columns.AsSpan(0, d * p), p);

        string what = $"count {count}, d {d}, p {p}, {typeof(TLanes).Name}";
        for (int i = 0; i < d; i++)
        {
            for (int n = 0; n < p; n++)
            {
                double expected = n < count ? rows[(n * d) + i] : 0.0;
                columns[(i * p) + n].Should().Be(expected, $"column {i}, row {n}, {what}");
            }
        }

        columns.AsSpan(d * p).ToArray().Should().OnlyContain(v => double.IsNaN(v), $"nothing is written past the columns, {what}");
    }

    private static void CheckNormalizeBlock<TLanes>(int k, int p, int count, bool weighted)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        const int Guard = 9;
        var random = new Random((k * 10000) + (p * 10) + count + (weighted ? 7 : 0));
        var logDensities = new double[(k * p) + Guard];
        logDensities.AsSpan(k * p).Fill(double.NaN);
        for (int n = 0; n < p; n++)
        {
            // Rows at very different levels and with different spreads (at most ±300 about the level, so that no kept
            // term falls near the flush to zero below e^−708 and the naive exp keeps every term).
            double level = -1000 + (1050 * random.NextDouble());
            double spread = new[] { 0.1, 5.0, 300.0 }[random.Next(3)];
            for (int c = 0; c < k; c++)
            {
                logDensities[(c * p) + n] = level + (spread * ((2 * random.NextDouble()) - 1));
            }
        }

        if (k > 1 && count > 2)
        {
            int single = random.Next(count);
            for (int c = 0; c < k; c++)
            {
                if (c != k / 2)
                {
                    logDensities[(c * p) + single] = double.NegativeInfinity; // every term −∞ but one
                }
            }

            int mixed = (single + 1) % count;
            logDensities[((k - 1) * p) + mixed] = double.NegativeInfinity;    // one term −∞
            logDensities[mixed] = logDensities[p + mixed] + 2000;             // one term far above the others, which give e^−1400 or less = 0
        }

        var rowWeights = weighted ? Enumerable.Range(0, count).Select(_ => 0.2 + (3 * random.NextDouble())).ToArray() : [];
        var original = (double[])logDensities.Clone();
        var logLikelihood = new double[count + Guard];
        logLikelihood.AsSpan().Fill(double.NaN);

        BlockVectorMath.NormalizeBlock<TLanes>(logDensities.AsSpan(0, k * p), k, p, count, rowWeights, logLikelihood.AsSpan(0, count));

        string what = $"K {k}, p {p}, count {count}, weighted {weighted}, {typeof(TLanes).Name}";
        for (int n = 0; n < count; n++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                max = Math.Max(max, original[(c * p) + n]);
            }

            double total = 0;
            for (int c = 0; c < k; c++)
            {
                total += Math.Exp(original[(c * p) + n] - max);
            }

            double w = weighted ? rowWeights[n] : 1.0;
            for (int c = 0; c < k; c++)
            {
                double expected = w * Math.Exp(original[(c * p) + n] - max) / total;
                logDensities[(c * p) + n].Should().BeApproximately(expected, 1e-14 * expected, $"responsibility of component {c}, row {n}, {what}");
            }

            // Relative to the size of the two parts, as log p(xₙ) may be near 0 when they cancel.
            double logTotal = Math.Log(total);
            logLikelihood[n].Should().BeApproximately(max + logTotal, 1e-14 * (Math.Abs(max) + Math.Abs(logTotal)), $"log-likelihood of row {n}, {what}");
        }

        for (int n = count; n < p; n++)
        {
            for (int c = 0; c < k; c++)
            {
                logDensities[(c * p) + n].Should().Be(0.0, $"padding row {n} has weight 0, component {c}, {what}");
            }
        }

        logDensities.AsSpan(k * p).ToArray().Should().OnlyContain(v => double.IsNaN(v), $"nothing is written past the block, {what}");
        logLikelihood.AsSpan(count).ToArray().Should().OnlyContain(v => double.IsNaN(v), $"nothing is written past the real rows, {what}");
    }

    private static void CheckSum<TLanes>()
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var random = new Random(13 + TLanes.Count);
        foreach (int vectors in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 9, 250, 1001 })
        {
            int length = vectors * TLanes.Count;
            var positive = Enumerable.Range(0, length).Select(_ => random.NextDouble()).ToArray();
            var scaled = Enumerable.Range(0, length).Select(_ => Math.Exp(40 * (random.NextDouble() - 0.5))).ToArray();
            var signed = Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * 100).ToArray();
            foreach (var (values, name) in new[] { (positive, "in [0, 1)"), (scaled, "from e^−20 to e^20"), (signed, "of both signs") })
            {
                double expected = 0, magnitude = 0;
                foreach (double v in values)
                {
                    expected += v;
                    magnitude += Math.Abs(v);
                }

                BlockVectorMath.Sum<TLanes>(values).Should().BeApproximately(expected, 1e-14 * magnitude, $"{length} values {name}, {typeof(TLanes).Name}");
            }
        }
    }

    /// <summary>
    /// Exponents of kept terms: the ends of the range, random values crowded towards 0, and values near the edges of the
    /// reduction intervals (odd multiples of (ln 2)/32), where |r| is largest; a multiple of 8 long.
    /// </summary>
    private static double[] ExpInputs()
    {
        var random = new Random(7);
        var inputs = new List<double> { 0, -0.0, -1e-300, -1e-17, -0.5 * Math.Log(2), -1, -708.39, -708.3964185322, -700 };
        for (int i = 0; i < 4000; i++)
        {
            inputs.Add(-708.39 * Math.Pow(random.NextDouble(), 3));
        }

        for (int i = 0; i < 2000; i++)
        {
            double edge = -((2 * random.Next(16350)) + 1) * Math.Log(2) / 32;
            inputs.Add(edge + ((random.NextDouble() - 0.5) * 1e-12));
        }

        while (inputs.Count % 8 != 0)
        {
            inputs.Add(-1);
        }

        return [.. inputs];
    }

    /// <summary>
    /// Positive normal values: around 1 and the mantissa split's edges, the sums of responsibilities, and every scale; a
    /// multiple of 8 long. (The subnormal input of the 512-bit test has a test of its own.)
    /// </summary>
    private static double[] LogInputs()
    {
        var random = new Random(11);
        var inputs = new List<double> { 1, 1 + 1e-16, 1 - 1e-16, 0.75, 1.5, 1.4999999999999998, 2, 3, 8, 1e-300, 1e300 };
        for (int i = 0; i < 2000; i++)
        {
            inputs.Add(1 + (63 * random.NextDouble()));
            inputs.Add(Math.Exp((random.NextDouble() - 0.5) * 1400));
        }

        while (inputs.Count % 8 != 0)
        {
            inputs.Add(2);
        }

        return [.. inputs];
    }

    /// <summary><paramref name="function"/> of <paramref name="inputs"/> (a whole number of vectors), one vector at a time.</summary>
    private static double[] Apply<TLanes>(double[] inputs, Func<TLanes, TLanes> function)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        var results = new double[inputs.Length];
        for (int i = 0; i < inputs.Length; i += TLanes.Count)
        {
            var result = function(TLanes.Create(inputs.AsSpan(i, TLanes.Count)));
            for (int lane = 0; lane < TLanes.Count; lane++)
            {
                results[i + lane] = TLanes.GetElement(result, lane);
            }
        }

        return results;
    }

    private static long[] BitsOf(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
