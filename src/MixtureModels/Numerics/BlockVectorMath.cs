using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MixtureModels.Numerics;

/// <summary>
/// The 512-bit pieces the block kernels (the families' <c>DiagonalBlockKernel</c>, <c>BernoulliBlockKernel</c>, <c>FullBlockKernel</c>) share: the
/// transpose of a block of rows into columns of eight rows, the E-step normalisation of eight rows over K components,
/// a vector sum, and exp and log as inlined polynomials. Callers check <see cref="IsSupported"/>.
/// </summary>
internal static class BlockVectorMath
{
    private const int Lanes = 8;


    /// <summary>Whether this CPU runs the block kernels' 512-bit vectors in hardware; the families offer the kernels only then.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(ReadOnlySpan<double> rows, int count, int d, Span<double> columns, int p)
    {
        ref double source = ref MemoryMarshal.GetReference(rows);
        ref double target = ref MemoryMarshal.GetReference(columns);
        int wholeRows = count / Lanes * Lanes, wholeColumns = d / Lanes * Lanes;

        // Tiles of 8 rows × 8 columns through registers; the leftover rows and columns one value at a time.
        for (int n = 0; n < wholeRows; n += Lanes)
        {
            ref double tile = ref Unsafe.Add(ref source, n * d);
            for (int i = 0; i < wholeColumns; i += Lanes)
            {
                TransposeTile(ref Unsafe.Add(ref tile, i), d, ref Unsafe.Add(ref target, (i * p) + n), p);
            }

            for (int r = n; r < n + Lanes; r++)
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

    /// <summary>Writes the transpose of the 8 × 8 tile at <paramref name="source"/> (row stride <paramref name="sourceStride"/>) to <paramref name="target"/> (row stride <paramref name="targetStride"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride)
    {
        var r0 = Vector512.LoadUnsafe(ref source);
        var r1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));
        var r4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 4 * sourceStride));
        var r5 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 5 * sourceStride));
        var r6 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 6 * sourceStride));
        var r7 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 7 * sourceStride));

        // Pairs of rows interleaved: t0 = [r0₀ r1₀ r0₂ r1₂ r0₄ r1₄ r0₆ r1₆], t1 the odd columns, and so on.
        var t0 = Avx512F.UnpackLow(r0, r1);
        var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3);
        var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5);
        var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7);
        var t7 = Avx512F.UnpackHigh(r6, r7);

        // Then 128-bit pairs: u0 = [r0₀ r1₀ r0₄ r1₄ r2₀ r3₀ r2₄ r3₄] and so on.
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88);
        var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88);
        var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);

        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref target);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, targetStride));
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 2 * targetStride));
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 3 * targetStride));
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 4 * targetStride));
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 5 * targetStride));
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 6 * targetStride));
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 7 * targetStride));
    }

    /// <summary>
    /// The E-step of a transposed piece of <paramref name="count"/> rows padded to <paramref name="p"/>: turns the joint
    /// log-densities (K × p) into responsibilities × row weight in place, eight rows at a time (in each lane as
    /// <see cref="EStepKernel.Responsibilities"/> does for a row), and writes log p(xₙ) of the real rows. Padding rows get
    /// weight 0, so that they add nothing to the statistics.
    /// </summary>
    /// <param name="responsibilities">K × p joint log-densities in, weighted responsibilities out.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="p">The padded row count, a multiple of 8.</param>
    /// <param name="count">The real rows, at most p.</param>
    /// <param name="rowWeights">wₙ per real row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) of the real rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void NormalizeBlock(Span<double> responsibilities, int componentCount, int p, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood)
    {
        // Segments of up to eight groups of eight rows, in two loops: first the maxima, exponentials and their totals of
        // every group, then the scaling and the logarithms. A group's work is one long chain of dependent operations
        // (maximum, exponentials, total, division, logarithm); split in two loops, the chains of several groups overlap.
        const int SegmentGroups = 8;
        Span<Vector512<double>> maxima = stackalloc Vector512<double>[SegmentGroups];
        Span<Vector512<double>> totals = stackalloc Vector512<double>[SegmentGroups];
        Span<double> lastWeights = stackalloc double[Lanes];
        ref double lp0 = ref MemoryMarshal.GetReference(responsibilities);
        var smallest = Vector512.Create(EStepKernel.SmallestNormalExponent);
        for (int g0 = 0; g0 < p; g0 += SegmentGroups * Lanes)
        {
            int groups = Math.Min(SegmentGroups, (p - g0) / Lanes);
            int special = 0; // groups with a row where every term is −∞ (rare), done one row at a time
            for (int q = 0; q < groups; q++)
            {
                ref double lp = ref Unsafe.Add(ref lp0, g0 + (q * Lanes));
                var max = Vector512.LoadUnsafe(ref lp);
                for (int k = 1; k < componentCount; k++)
                {
                    max = Max(max, Vector512.LoadUnsafe(ref Unsafe.Add(ref lp, k * p)));
                }

                if (Vector512.EqualsAny(max, Vector512.Create(double.NegativeInfinity)))
                {
                    special |= 1 << q;
                    continue;
                }

                var total = Vector512<double>.Zero;
                for (int k = 0; k < componentCount; k++)
                {
                    ref double target = ref Unsafe.Add(ref lp, k * p);
                    var shifted = Vector512.LoadUnsafe(ref target) - max;

                    // Terms below e^−708 relative to the row's largest are flushed to 0, as on the scalar path. No
                    // branch on whether any lane is kept: which components matter changes from one group to the next.
                    var e = Vector512.ConditionalSelect(Vector512.GreaterThan(shifted, smallest), ExpNonPositive(shifted), Vector512<double>.Zero);
                    e.StoreUnsafe(ref target);
                    total += e;
                }

                maxima[q] = max;
                totals[q] = total;
            }

            for (int q = 0; q < groups; q++)
            {
                int g = g0 + (q * Lanes);
                Vector512<double> weight;
                if (g + Lanes <= count)
                {
                    weight = rowWeights.IsEmpty ? Vector512.Create(1.0) : Vector512.Create(rowWeights.Slice(g, Lanes));
                }
                else
                {
                    // The last, partial group: padding rows get weight 0, so that they add nothing to the statistics.
                    lastWeights.Clear();
                    for (int n = g; n < count; n++)
                    {
                        lastWeights[n - g] = rowWeights.IsEmpty ? 1.0 : rowWeights[n];
                    }

                    weight = Vector512.Create(lastWeights);
                }

                Vector512<double> rowLogLikelihood;
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
                        (Vector512.LoadUnsafe(ref target) * scale).StoreUnsafe(ref target);
                    }

                    rowLogLikelihood = maxima[q] + LogPositive(total);
                }

                if (g + Lanes <= count)
                {
                    rowLogLikelihood.CopyTo(logLikelihood.Slice(g, Lanes));
                }
                else
                {
                    for (int n = g; n < count; n++)
                    {
                        logLikelihood[n] = rowLogLikelihood.GetElement(n - g);
                    }
                }
            }
        }
    }

    /// <summary>The eight rows g.. one at a time, with <see cref="EStepKernel.NormalizeRow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<double> NormalizeEach(Span<double> values, int componentCount, int p, int g, Vector512<double> weight)
    {
        Span<double> result = stackalloc double[Lanes];
        for (int lane = 0; lane < Lanes; lane++)
        {
            int n = g + lane;
            result[lane] = EStepKernel.NormalizeRow(values, n, componentCount, p);
            double w = weight.GetElement(lane);
            for (int k = 0; k < componentCount; k++)
            {
                values[(k * p) + n] *= w;
            }
        }

        return Vector512.Create(result);
    }

    /// <summary>Σ values, a whole number of vectors long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum(ReadOnlySpan<double> values)
    {
        ref double v = ref MemoryMarshal.GetReference(values);
        var s0 = Vector512<double>.Zero;
        var s1 = Vector512<double>.Zero;
        int n = 0;
        for (; n + (2 * Lanes) <= values.Length; n += 2 * Lanes)
        {
            s0 += Vector512.LoadUnsafe(ref Unsafe.Add(ref v, n));
            s1 += Vector512.LoadUnsafe(ref Unsafe.Add(ref v, n + Lanes));
        }

        if (n < values.Length)
        {
            s0 += Vector512.LoadUnsafe(ref Unsafe.Add(ref v, n));
        }

        return Vector512.Sum(s0 + s1);
    }

    /// <summary>The larger of each pair of lanes, for operands that are never NaN (the plain max instruction on .NET 9+).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Max(Vector512<double> a, Vector512<double> b)
    {
#if NET9_0_OR_GREATER
        return Vector512.MaxNative(a, b);
#else
        return Vector512.Max(a, b);
#endif
    }

    /// <summary>
    /// e^x of every lane for −708.39 &lt; x ≤ 0 (the range of kept terms, where e^x is a normal number); other lanes
    /// hold garbage for the caller to mask. x = (16m + j)·(ln 2)/16 + r with |r| ≤ (ln 2)/32, so e^x = 2^m · 2^(j/16) · e^r:
    /// 2^(j/16) from a table of 16 values held in registers as a high and a low double (together exact to 1e−33),
    /// e^r − 1 by its Taylor polynomial of degree 7 (truncation below 2e−18) in fused multiply-adds, combined as
    /// T_high + (T_high·(e^r − 1) + T_low) with one final rounding, and 2^m added into the exponent bits: within about half
    /// a unit in the last place of e^x, so within one of <see cref="Math.Exp"/>. Inlined, unlike the runtime's vector exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> ExpNonPositive(Vector512<double> x)
    {
        const double SixteenOverLn2 = 23.083120654223414;
        const double Ln2High16 = 0.693147180369123816490 / 16;   // (ln 2)/16 with its last 21 bits zero: n·Ln2High16 is exact
        const double Ln2Low16 = 1.90821492927058770002e-10 / 16; // (ln 2)/16 − Ln2High16
        const double Shifter = 6755399441055744.0;                // 1.5·2^52: adding it rounds to an integer in the low bits

        var shifted = Avx512F.FusedMultiplyAdd(x, Vector512.Create(SixteenOverLn2), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        var r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2High16), x);
        r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low16), r);

        var poly = Vector512.Create(1.0 / 5040.0);                                     // 1/7!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 720.0));       // 1/6!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 120.0));       // 1/5!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 24.0));        // 1/4!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 6.0));         // 1/3!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(0.5));               // 1/2!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0));
        var expm1 = poly * r;                                                          // e^r − 1

        // The integer n = 16m + j sits in the low bits of `shifted`: j (its low four bits) picks the table entry, and
        // 16m shifted left by 48 is m in the exponent field.
        var bits = shifted.AsUInt64();
        // 2^(j/16) for j = 0..15 as high + low doubles (the high part rounded to nearest, the low part the rest).
        var twoToSixteenthsHighLower = Vector512.Create(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916, 1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927);
        var twoToSixteenthsHighUpper = Vector512.Create(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543, 1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474);
        var twoToSixteenthsLowLower = Vector512.Create(0.0, 8.551889705537965e-17, -3.046782079812471e-17, 8.912812676025408e-17, 3.982015231465646e-17, 4.658027591836937e-17, 2.5382502794888315e-17, 7.70094837980299e-17);
        var twoToSixteenthsLowUpper = Vector512.Create(-9.667293313452913e-17, -3.483994556892796e-17, 7.949834809697621e-17, 2.4707192569797888e-17, 8.199010020581497e-17, 2.960140695448873e-17, 3.283107224245627e-17, -1.0619946056195963e-16);
        var high = Avx512F.PermuteVar8x64x2(twoToSixteenthsHighLower, bits.AsInt64(), twoToSixteenthsHighUpper);
        var low = Avx512F.PermuteVar8x64x2(twoToSixteenthsLowLower, bits.AsInt64(), twoToSixteenthsLowUpper);
        var result = Avx512F.FusedMultiplyAdd(high, expm1, low) + high;
        var exponent = (bits & Vector512.Create(~15UL)) << 48;
        return (result.AsUInt64() + exponent).AsDouble();
    }

    /// <summary>
    /// ln x of every lane for positive, finite, normal x. x = 2^e·m with m in [¾, 1.5) (exact, from the exponent and
    /// mantissa instructions), ln m = 2 atanh(s) with s = (m − 1)/(m + 1), |s| &lt; 0.2, by its series to s²³ (truncation
    /// below 2e−17 relative), and e·ln 2 added in two parts. Within a few units of 1e−16 absolute of <see cref="Math.Log(double)"/>
    /// for the sums of responsibilities it serves (1 ≤ x ≤ K); inlined, unlike the runtime's vector log.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> LogPositive(Vector512<double> x)
    {
        const double Ln2High = 0.693147180369123816490;
        const double Ln2Low = 1.90821492927058770002e-10;
        const byte MantissaThreeQuartersToThreeHalves = 3; // VGETMANTPD interval [0.75, 1.5), sign of the source

        var m = Avx512F.GetMantissa(x, MantissaThreeQuartersToThreeHalves);
        var e = Avx512F.GetExponent(x) - Avx512F.GetExponent(m); // exact: x = 2^e·m
        var f = m - Vector512.Create(1.0);                       // exact for m in [0.75, 1.5)
        var s = f / (f + Vector512.Create(2.0));
        var z = s * s;

        // 2 atanh(s) = s·(2 + z·(2/3 + z·(2/5 + …))).
        var poly = Vector512.Create(2.0 / 23);
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 21));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 19));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 17));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 15));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 13));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 11));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 9));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 7));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 5));
        poly = Avx512F.FusedMultiplyAdd(poly, z, Vector512.Create(2.0 / 3));
        var logM = Avx512F.FusedMultiplyAdd(s * z, poly, s + s);
        return Avx512F.FusedMultiplyAdd(e, Vector512.Create(Ln2High), Avx512F.FusedMultiplyAdd(e, Vector512.Create(Ln2Low), logM));
    }
}
