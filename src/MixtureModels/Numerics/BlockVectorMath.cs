using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MixtureModels.Numerics;

/// <summary>
/// The vector pieces the block kernels (the families' <c>DiagonalBlockKernel</c>, <c>BernoulliBlockKernel</c>, <c>FullBlockKernel</c>) share: the
/// transpose of a block of rows into columns of one vector of rows, the E-step normalisation of a vector of rows over K
/// components, a vector sum, and exp and log as inlined polynomials; each generic over the vector width
/// (<see cref="ILanes{TSelf}"/>). Callers check <see cref="IsSupported"/>.
/// </summary>
internal static class BlockVectorMath
{
    private const int Lanes = 8; // the most lanes of any width: the size of per-vector scratch

    /// <summary>
    /// Whether this CPU runs the block kernels' vectors in hardware: <see cref="Lanes512"/> (AVX-512) or
    /// <see cref="Lanes256"/> (AVX2 with FMA). The families offer the kernels only then.
    /// </summary>
    public static bool IsSupported => Lanes512.IsSupported || Lanes256.IsSupported;

    /// <summary>
    /// Asks for the cache lines of <paramref name="values"/> to be brought into the second-level cache: a hint that never
    /// faults and changes no result. Issued while a kernel computes on the previous rows, so that memory and arithmetic overlap.
    /// </summary>
    /// <param name="values">The values to bring in.</param>
    /// <remarks>Fully optimised from its first call: the engine calls it once per block, also in a fit's first passes.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void Prefetch(ReadOnlySpan<double> values)
    {
        if (!Sse.IsSupported || values.IsEmpty)
        {
            return;
        }

        fixed (double* start = values)
        {
            byte* end = (byte*)(start + values.Length);
            // From the start of the first line, so that the line holding the last values is not skipped.
            for (byte* line = (byte*)((nuint)start & ~(nuint)63); line < end; line += 64)
            {
                Sse.Prefetch1(line);
            }
        }
    }

    /// <summary>
    /// <see cref="Prefetch"/> of the <paramref name="length"/> values that start <paramref name="offset"/> values after
    /// the start of <paramref name="values"/>, which may reach past its end: a block kernel's next rows in memory, which
    /// in an in-memory pass are the first rows of the next block. A prefetch only hints; it never faults and reads
    /// nothing that the program sees, whatever the address.
    /// </summary>
    /// <param name="values">Values whose memory the lines follow.</param>
    /// <param name="offset">First value, counted from the start of <paramref name="values"/>.</param>
    /// <param name="length">Values to bring in.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void PrefetchFrom(ReadOnlySpan<double> values, int offset, int length)
    {
        if (!Sse.IsSupported || values.IsEmpty || length <= 0)
        {
            return;
        }

        fixed (double* start = values)
        {
            byte* from = (byte*)start + ((nint)offset * sizeof(double));
            byte* end = from + ((nint)length * sizeof(double));
            for (byte* line = (byte*)((nuint)from & ~(nuint)63); line < end; line += 64)
            {
                Sse.Prefetch1(line);
            }
        }
    }

    /// <summary>columns[d·p + n] = rows[n·D + d]; the padding rows count ≤ n &lt; p are zero.</summary>
    /// <typeparam name="TLanes">The vector width: tiles of <c>TLanes.Count</c> rows × columns go through registers.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose<TLanes>(ReadOnlySpan<double> rows, int count, int d, Span<double> columns, int p)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int lanes = TLanes.Count;
        ref double source = ref MemoryMarshal.GetReference(rows);
        ref double target = ref MemoryMarshal.GetReference(columns);
        int wholeRows = count / lanes * lanes, wholeColumns = d / lanes * lanes;

        // Square tiles through registers; the leftover rows and columns one value at a time.
        for (int n = 0; n < wholeRows; n += lanes)
        {
            ref double tile = ref Unsafe.Add(ref source, n * d);
            for (int i = 0; i < wholeColumns; i += lanes)
            {
                TLanes.TransposeTile(ref Unsafe.Add(ref tile, i), d, ref Unsafe.Add(ref target, (i * p) + n), p);
            }

            for (int r = n; r < n + lanes; r++)
            {
                for (int i = wholeColumns; i < d; i++)
                {
                    Unsafe.Add(ref target, (i * p) + r) = Unsafe.Add(ref source, (r * d) + i);
                }
            }
        }

        for (int r = wholeRows; r < count; r++)
        {
            for (int i = 0; i < d; i++)
            {
                Unsafe.Add(ref target, (i * p) + r) = Unsafe.Add(ref source, (r * d) + i);
            }
        }

        if (count < p)
        {
            for (int i = 0; i < d; i++)
            {
                columns.Slice((i * p) + count, p - count).Clear();
            }
        }
    }

    /// <summary>
    /// The E-step of a transposed piece of <paramref name="count"/> rows padded to <paramref name="p"/>: turns the joint
    /// log-densities (K × p) into responsibilities × row weight in place, one vector of rows at a time (in each lane as
    /// <see cref="EStepKernel.Responsibilities"/> does for a row), and writes log p(xₙ) of the real rows. Padding rows get
    /// weight 0, so that they add nothing to the statistics.
    /// </summary>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <param name="responsibilities">K × p joint log-densities in, weighted responsibilities out.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="p">The padded row count, a multiple of the vector width.</param>
    /// <param name="count">The real rows, at most p.</param>
    /// <param name="rowWeights">wₙ per real row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) of the real rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NormalizeBlock<TLanes>(Span<double> responsibilities, int componentCount, int p, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        // Segments of up to eight groups of rows (one vector each), in two loops: first the maxima, exponentials and their
        // totals of every group, then the scaling and the logarithms. A group's work is one long chain of dependent
        // operations (maximum, exponentials, total, division, logarithm); split in two loops, the chains of several
        // groups overlap.
        const int SegmentGroups = 8;
        int lanes = TLanes.Count;
        Span<TLanes> maxima = stackalloc TLanes[SegmentGroups];
        Span<TLanes> totals = stackalloc TLanes[SegmentGroups];
        Span<double> lastWeights = stackalloc double[Lanes];
        ref double lp0 = ref MemoryMarshal.GetReference(responsibilities);
        var smallest = TLanes.Create(EStepKernel.SmallestNormalExponent);
        for (int g0 = 0; g0 < p; g0 += SegmentGroups * lanes)
        {
            int groups = Math.Min(SegmentGroups, (p - g0) / lanes);
            int special = 0; // groups with a row where every term is −∞ (rare), done one row at a time
            for (int q = 0; q < groups; q++)
            {
                ref double lp = ref Unsafe.Add(ref lp0, g0 + (q * lanes));
                var max = TLanes.Load(ref lp, 0);
                for (int k = 1; k < componentCount; k++)
                {
                    max = TLanes.Max(max, TLanes.Load(ref lp, (nuint)(k * p)));
                }

                if (TLanes.AnyNegativeInfinity(max))
                {
                    special |= 1 << q;
                    continue;
                }

                var total = TLanes.Zero;
                for (int k = 0; k < componentCount; k++)
                {
                    ref double target = ref Unsafe.Add(ref lp, k * p);
                    var shifted = TLanes.Load(ref target, 0) - max;

                    // Terms below e^−708 relative to the row's largest are flushed to 0, as on the scalar path. No
                    // branch on whether any lane is kept: which components matter changes from one group to the next.
                    var e = TLanes.WhereGreater(shifted, smallest, ExpNonPositive(shifted));
                    TLanes.Store(e, ref target, 0);
                    total += e;
                }

                maxima[q] = max;
                totals[q] = total;
            }

            for (int q = 0; q < groups; q++)
            {
                int g = g0 + (q * lanes);
                TLanes weight;
                if (g + lanes <= count)
                {
                    weight = rowWeights.IsEmpty ? TLanes.Create(1.0) : TLanes.Create(rowWeights.Slice(g, lanes));
                }
                else
                {
                    // The last, partial group: padding rows get weight 0, so that they add nothing to the statistics.
                    lastWeights.Clear();
                    for (int n = g; n < count; n++)
                    {
                        lastWeights[n - g] = rowWeights.IsEmpty ? 1.0 : rowWeights[n];
                    }

                    weight = TLanes.Create(lastWeights);
                }

                TLanes rowLogLikelihood;
                if ((special & (1 << q)) != 0)
                {
                    rowLogLikelihood = NormalizeEach(responsibilities, componentCount, p, g, weight);
                }
                else
                {
                    var total = totals[q];
                    var scale = weight / total;
                    ref double lp = ref Unsafe.Add(ref lp0, g);
                    for (int k = 0; k < componentCount; k++)
                    {
                        ref double target = ref Unsafe.Add(ref lp, k * p);
                        TLanes.Store(TLanes.Load(ref target, 0) * scale, ref target, 0);
                    }

                    rowLogLikelihood = maxima[q] + LogPositive(total);
                }

                if (g + lanes <= count)
                {
                    TLanes.Store(rowLogLikelihood, ref logLikelihood[g], 0);
                }
                else
                {
                    for (int n = g; n < count; n++)
                    {
                        logLikelihood[n] = TLanes.GetElement(rowLogLikelihood, n - g);
                    }
                }
            }
        }
    }

    /// <summary>The rows g.. of one vector one at a time, with <see cref="EStepKernel.NormalizeRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static TLanes NormalizeEach<TLanes>(Span<double> values, int componentCount, int p, int g, TLanes weight)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        Span<double> result = stackalloc double[Lanes];
        for (int lane = 0; lane < TLanes.Count; lane++)
        {
            int n = g + lane;
            result[lane] = EStepKernel.NormalizeRow(values, n, componentCount, p);
            double w = TLanes.GetElement(weight, lane);
            for (int k = 0; k < componentCount; k++)
            {
                values[(k * p) + n] *= w;
            }
        }

        return TLanes.Create(result);
    }

    /// <summary>Σ values, a whole number of vectors long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum<TLanes>(ReadOnlySpan<double> values)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int lanes = TLanes.Count;
        ref double v = ref MemoryMarshal.GetReference(values);
        var s0 = TLanes.Zero;
        var s1 = TLanes.Zero;
        int n = 0;
        for (; n + (2 * lanes) <= values.Length; n += 2 * lanes)
        {
            s0 += TLanes.Load(ref v, (nuint)n);
            s1 += TLanes.Load(ref v, (nuint)(n + lanes));
        }

        if (n < values.Length)
        {
            s0 += TLanes.Load(ref v, (nuint)n);
        }

        return TLanes.Sum(s0 + s1);
    }

    /// <summary>
    /// e^x of every lane for −708.39 &lt; x ≤ 0 (the range of kept terms, where e^x is a normal number); other lanes
    /// hold garbage for the caller to mask. x = (16m + j)·(ln 2)/16 + r with |r| ≤ (ln 2)/32, so e^x = 2^m · 2^(j/16) · e^r:
    /// 2^(j/16) from a table of 16 values held in registers as a high and a low double (together within 5e−33 relative),
    /// e^r − 1 by its Taylor polynomial of degree 7 (truncation below 2e−18) in fused multiply-adds, combined as
    /// T_high + (T_high·(e^r − 1) + T_low) with one final rounding, and 2^m added into the exponent bits: within about half
    /// a unit in the last place of e^x, so within one of <see cref="Math.Exp"/>. Inlined, unlike the runtime's vector exp;
    /// the same bits in every lane at either vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TLanes ExpNonPositive<TLanes>(TLanes x)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        const double SixteenOverLn2 = 23.083120654223414;
        const double Ln2High16 = 0.693147180369123816490 / 16;   // (ln 2)/16 with its last 21 bits zero: n·Ln2High16 is exact
        const double Ln2Low16 = 1.90821492927058770002e-10 / 16; // (ln 2)/16 − Ln2High16
        const double Shifter = 6755399441055744.0;                // 1.5·2^52: adding it rounds to an integer in the low bits

        var shifted = TLanes.MulAdd(x, TLanes.Create(SixteenOverLn2), TLanes.Create(Shifter));
        var n = shifted - TLanes.Create(Shifter);
        var r = TLanes.MulAdd(n, TLanes.Create(-Ln2High16), x);
        r = TLanes.MulAdd(n, TLanes.Create(-Ln2Low16), r);

        var poly = TLanes.Create(1.0 / 5040.0);                               // 1/7!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(1.0 / 720.0));            // 1/6!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(1.0 / 120.0));            // 1/5!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(1.0 / 24.0));             // 1/4!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(1.0 / 6.0));              // 1/3!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(0.5));                    // 1/2!
        poly = TLanes.MulAdd(poly, r, TLanes.Create(1.0));
        var expm1 = poly * r;                                                 // e^r − 1

        // The integer n = 16m + j sits in the low bits of `shifted`: j (its low four bits) picks the table entry, and
        // 16m shifted left by 48 is m in the exponent field.
        TLanes.TwoToSixteenths(shifted, out var high, out var low);
        var result = TLanes.MulAdd(high, expm1, low) + high;
        return TLanes.AddToExponent(result, shifted);
    }

    /// <summary>
    /// ln x of every lane for positive, finite, normal x. x = 2^e·m with m in [¾, 1.5) (exact, <see cref="ILanes{TSelf}.SplitMantissa"/>),
    /// ln m = 2 atanh(s) with s = (m − 1)/(m + 1), |s| &lt; 0.2, by its series to s²³ (truncation below 2e−17 relative),
    /// and e·ln 2 added in two parts. Within a few units of 1e−16 absolute of <see cref="Math.Log(double)"/> for the sums
    /// of responsibilities it serves (1 ≤ x ≤ K); inlined, unlike the runtime's vector log.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TLanes LogPositive<TLanes>(TLanes x)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        const double Ln2High = 0.693147180369123816490;
        const double Ln2Low = 1.90821492927058770002e-10;

        TLanes.SplitMantissa(x, out var m, out var e);
        var f = m - TLanes.Create(1.0);                       // exact for m in [0.75, 1.5)
        var s = f / (f + TLanes.Create(2.0));
        var z = s * s;

        // 2 atanh(s) = s·(2 + z·(2/3 + z·(2/5 + …))).
        var poly = TLanes.Create(2.0 / 23);
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 21));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 19));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 17));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 15));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 13));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 11));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 9));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 7));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 5));
        poly = TLanes.MulAdd(poly, z, TLanes.Create(2.0 / 3));
        var logM = TLanes.MulAdd(s * z, poly, s + s);
        return TLanes.MulAdd(e, TLanes.Create(Ln2High), TLanes.MulAdd(e, TLanes.Create(Ln2Low), logM));
    }
}
