using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Internal;

/// <summary>
/// The fused E+M pass of diagonal (or spherical) Gaussians on a block, for all K components at once, with 512-bit
/// vectors across rows. The block is first transposed into column-major scratch, so that a vector holds one column of
/// eight consecutive rows: the log-densities of eight rows then come out in one vector per component with no
/// horizontal sums, for any D, and the responsibilities and the moments about each component's reference point are
/// computed from the same cached columns. Only built where 512-bit vectors are hardware-accelerated
/// (<see cref="IsSupported"/>); elsewhere the engine keeps the per-component kernels.
/// </summary>
internal sealed class DiagonalBlockKernel : IBlockKernel<GaussianComponent>
{
    private const int Lanes = 8;

    private readonly int _d;
    private readonly int _k;
    private readonly bool _spherical;
    private readonly double[] _means;      // K × D
    private readonly double[] _precisions; // K × D, or K for spherical components
    private readonly double[] _constants;  // K: log π_k + the log-density at the mean
    private readonly int _pieceRows;       // rows processed together, a multiple of the vector width

    /// <summary>Creates the kernel for K components of dimension D.</summary>
    /// <param name="dimension">D.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="spherical">Whether the components are <see cref="SphericalGaussian"/> (else <see cref="DiagonalGaussian"/>).</param>
    public DiagonalBlockKernel(int dimension, int componentCount, bool spherical)
    {
        _d = dimension;
        _k = componentCount;
        _spherical = spherical;
        _means = new double[componentCount * dimension];
        _precisions = new double[spherical ? componentCount : componentCount * dimension];
        _constants = new double[componentCount];

        // About 16 KB of transposed rows and responsibilities per piece: half the first-level data cache of most CPUs.
        _pieceRows = Math.Clamp(2048 / (dimension + componentCount) / Lanes * Lanes, Lanes, 256);
    }

    /// <summary>Whether this CPU runs the kernel's 512-bit vectors in hardware.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <inheritdoc />
    public bool Prepare(IReadOnlyList<GaussianComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _k)
        {
            return false;
        }

        for (int k = 0; k < _k; k++)
        {
            var component = components[k];
            if (component.Dimension != _d)
            {
                return false;
            }

            if (!_spherical && component is DiagonalGaussian diagonal)
            {
                diagonal.Precisions.CopyTo(_precisions.AsSpan(k * _d, _d));
                _constants[k] = diagonal.LogDensityConstant + logWeights[k];
            }
            else if (_spherical && component is SphericalGaussian spherical)
            {
                _precisions[k] = spherical.Precision;
                _constants[k] = spherical.LogDensityConstant + logWeights[k];
            }
            else
            {
                return false;
            }

            component.Mean.CopyTo(_means.AsSpan(k * _d, _d));
        }

        return true;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<ISufficientStatistics> statistics)
    {
        // In pieces whose transposed rows and responsibilities stay in the first-level cache.
        for (int start = 0; start < count; start += _pieceRows)
        {
            int rowCount = Math.Min(_pieceRows, count - start);
            AccumulatePiece(rows.Slice(start * _d, rowCount * _d), rowCount, rowWeights.IsEmpty ? default : rowWeights.Slice(start, rowCount), logLikelihood.Slice(start, rowCount), statistics);
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride)
    {
        for (int start = 0; start < count; start += _pieceRows)
        {
            int rowCount = Math.Min(_pieceRows, count - start);
            int p = Padded(rowCount);
            var scratch = ThreadScratch.Get(ThreadScratch.BlockKernel, (_d + _k) * p);
            var columns = scratch[..(_d * p)];
            var densities = scratch.Slice(_d * p, _k * p);
            Transpose(rows.Slice(start * _d, rowCount * _d), rowCount, _d, columns, p);
            for (int g = 0; g < p; g += Lanes)
            {
                LogDensities(columns, p, g, densities);
            }

            for (int k = 0; k < _k; k++)
            {
                densities.Slice(k * p, rowCount).CopyTo(logProb.Slice((k * stride) + start, rowCount));
            }
        }
    }

    /// <summary>count rounded up to whole vectors of rows.</summary>
    private static int Padded(int count) => (count + Lanes - 1) / Lanes * Lanes;

    /// <summary><see cref="Accumulate"/> on at most <see cref="_pieceRows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulatePiece(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<ISufficientStatistics> statistics)
    {
        int p = Padded(count);
        var scratch = ThreadScratch.Get(ThreadScratch.BlockKernel, (_d + _k) * p);
        var columns = scratch[..(_d * p)];
        var responsibilities = scratch.Slice(_d * p, _k * p);
        Transpose(rows, count, _d, columns, p);
        for (int g = 0; g < p; g += Lanes)
        {
            LogDensities(columns, p, g, responsibilities);
        }

        Span<double> lastWeights = stackalloc double[Lanes];
        for (int g = 0; g < p; g += Lanes)
        {
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

            var rowLogLikelihood = Normalize(responsibilities, _k, p, g, weight);
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

        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            double total = Sum(weights);
            if (total == 0)
            {
                continue; // as GaussianStatistics.Accumulate: a block without weight adds nothing
            }

            var target = statistics[k] as DiagonalScatterStatistics;
            if (target is null || target.Reference.IsEmpty)
            {
                statistics[k].Accumulate(rows[..(count * _d)], weights[..count]); // not centred yet: the general path sets the reference
                continue;
            }

            var reference = target.Reference;
            var sum = target.AddBlockWeight(total, out var scatter);
            Moments(columns, p, weights, reference, sum, scatter);
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

    /// <summary>destination[k·p + g ..] = log π_k + log p(x | θ_k) for the eight rows g.. of the transposed block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogDensities(ReadOnlySpan<double> columns, int p, int g, Span<double> destination)
    {
        int d = _d;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double means = ref MemoryMarshal.GetArrayDataReference(_means);
        ref double precisions = ref MemoryMarshal.GetArrayDataReference(_precisions);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), g);
        var minusHalf = Vector512.Create(-0.5);
        int k = 0;

        // Four components at a time: each column of the eight rows is loaded once for all four.
        for (; k + 4 <= _k; k += 4)
        {
            ref double m0 = ref Unsafe.Add(ref means, k * d);
            ref double m1 = ref Unsafe.Add(ref m0, d);
            ref double m2 = ref Unsafe.Add(ref m1, d);
            ref double m3 = ref Unsafe.Add(ref m2, d);
            var acc0 = Vector512<double>.Zero;
            var acc1 = Vector512<double>.Zero;
            var acc2 = Vector512<double>.Zero;
            var acc3 = Vector512<double>.Zero;
            if (_spherical)
            {
                for (int i = 0; i < d; i++)
                {
                    var xi = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p));
                    var d0 = xi - Vector512.Create(Unsafe.Add(ref m0, i));
                    var d1 = xi - Vector512.Create(Unsafe.Add(ref m1, i));
                    var d2 = xi - Vector512.Create(Unsafe.Add(ref m2, i));
                    var d3 = xi - Vector512.Create(Unsafe.Add(ref m3, i));
                    acc0 = Avx512F.FusedMultiplyAdd(d0, d0, acc0);
                    acc1 = Avx512F.FusedMultiplyAdd(d1, d1, acc1);
                    acc2 = Avx512F.FusedMultiplyAdd(d2, d2, acc2);
                    acc3 = Avx512F.FusedMultiplyAdd(d3, d3, acc3);
                }

                acc0 *= Vector512.Create(Unsafe.Add(ref precisions, k));
                acc1 *= Vector512.Create(Unsafe.Add(ref precisions, k + 1));
                acc2 *= Vector512.Create(Unsafe.Add(ref precisions, k + 2));
                acc3 *= Vector512.Create(Unsafe.Add(ref precisions, k + 3));
            }
            else
            {
                ref double p0 = ref Unsafe.Add(ref precisions, k * d);
                ref double p1 = ref Unsafe.Add(ref p0, d);
                ref double p2 = ref Unsafe.Add(ref p1, d);
                ref double p3 = ref Unsafe.Add(ref p2, d);
                for (int i = 0; i < d; i++)
                {
                    var xi = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p));
                    var d0 = xi - Vector512.Create(Unsafe.Add(ref m0, i));
                    var d1 = xi - Vector512.Create(Unsafe.Add(ref m1, i));
                    var d2 = xi - Vector512.Create(Unsafe.Add(ref m2, i));
                    var d3 = xi - Vector512.Create(Unsafe.Add(ref m3, i));
                    acc0 = Avx512F.FusedMultiplyAdd(d0 * Vector512.Create(Unsafe.Add(ref p0, i)), d0, acc0);
                    acc1 = Avx512F.FusedMultiplyAdd(d1 * Vector512.Create(Unsafe.Add(ref p1, i)), d1, acc1);
                    acc2 = Avx512F.FusedMultiplyAdd(d2 * Vector512.Create(Unsafe.Add(ref p2, i)), d2, acc2);
                    acc3 = Avx512F.FusedMultiplyAdd(d3 * Vector512.Create(Unsafe.Add(ref p3, i)), d3, acc3);
                }
            }

            Avx512F.FusedMultiplyAdd(minusHalf, acc0, Vector512.Create(_constants[k])).StoreUnsafe(ref Unsafe.Add(ref output, k * p));
            Avx512F.FusedMultiplyAdd(minusHalf, acc1, Vector512.Create(_constants[k + 1])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 1) * p));
            Avx512F.FusedMultiplyAdd(minusHalf, acc2, Vector512.Create(_constants[k + 2])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 2) * p));
            Avx512F.FusedMultiplyAdd(minusHalf, acc3, Vector512.Create(_constants[k + 3])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 3) * p));
        }

        for (; k < _k; k++)
        {
            ref double m = ref Unsafe.Add(ref means, k * d);
            var acc = Vector512<double>.Zero;
            if (_spherical)
            {
                for (int i = 0; i < d; i++)
                {
                    var diff = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p)) - Vector512.Create(Unsafe.Add(ref m, i));
                    acc = Avx512F.FusedMultiplyAdd(diff, diff, acc);
                }

                acc *= Vector512.Create(Unsafe.Add(ref precisions, k));
            }
            else
            {
                ref double pk = ref Unsafe.Add(ref precisions, k * d);
                for (int i = 0; i < d; i++)
                {
                    var diff = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p)) - Vector512.Create(Unsafe.Add(ref m, i));
                    acc = Avx512F.FusedMultiplyAdd(diff * Vector512.Create(Unsafe.Add(ref pk, i)), diff, acc);
                }
            }

            Avx512F.FusedMultiplyAdd(minusHalf, acc, Vector512.Create(_constants[k])).StoreUnsafe(ref Unsafe.Add(ref output, k * p));
        }
    }

    /// <summary>
    /// Turns the joint log-densities of the eight rows g.. into responsibilities × row weight in place, as
    /// <see cref="EStepKernel.Responsibilities"/> does, and returns log p(xₙ) of the eight rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Vector512<double> Normalize(Span<double> values, int componentCount, int p, int g, Vector512<double> weight)
    {
        ref double lp = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), g);
        var max = Vector512.LoadUnsafe(ref lp);
        for (int k = 1; k < componentCount; k++)
        {
            max = Max(max, Vector512.LoadUnsafe(ref Unsafe.Add(ref lp, k * p)));
        }

        if (Vector512.EqualsAny(max, Vector512.Create(double.NegativeInfinity)))
        {
            return NormalizeEach(values, componentCount, p, g, weight); // rare: a row where every term is −∞
        }

        var smallest = Vector512.Create(EStepKernel.SmallestNormalExponent);
        var total = Vector512<double>.Zero;
        for (int k = 0; k < componentCount; k++)
        {
            ref double target = ref Unsafe.Add(ref lp, k * p);
            var shifted = Vector512.LoadUnsafe(ref target) - max;
            var e = Vector512<double>.Zero;
            if (Vector512.GreaterThanAny(shifted, smallest))
            {
                // Terms below e^−708 relative to the row's largest are flushed to 0, as on the scalar path.
                e = Vector512.ConditionalSelect(Vector512.GreaterThan(shifted, smallest), ExpNonPositive(shifted), Vector512<double>.Zero);
            }

            e.StoreUnsafe(ref target);
            total += e;
        }

        var scale = weight / total;
        for (int k = 0; k < componentCount; k++)
        {
            ref double target = ref Unsafe.Add(ref lp, k * p);
            (Vector512.LoadUnsafe(ref target) * scale).StoreUnsafe(ref target);
        }

        return max + LogPositive(total);
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

    /// <summary>
    /// sum[d] += Σₙ wₙ(x_nd − a_d) and scatter[d] += Σₙ wₙ(x_nd − a_d)² over the p rows of the transposed block, four
    /// columns at a time with one vector sum per column and moment, reduced across lanes at the end of the block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Moments(ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum, Span<double> scatter)
    {
        int d = _d;
        ref double x = ref MemoryMarshal.GetReference(columns);
        ref double w = ref MemoryMarshal.GetReference(weights);
        int i = 0;
        for (; i + 4 <= d; i += 4)
        {
            ref double x0 = ref Unsafe.Add(ref x, i * p);
            ref double x1 = ref Unsafe.Add(ref x0, p);
            ref double x2 = ref Unsafe.Add(ref x1, p);
            ref double x3 = ref Unsafe.Add(ref x2, p);
            var a0 = Vector512.Create(reference[i]);
            var a1 = Vector512.Create(reference[i + 1]);
            var a2 = Vector512.Create(reference[i + 2]);
            var a3 = Vector512.Create(reference[i + 3]);
            var s10 = Vector512<double>.Zero;
            var s11 = Vector512<double>.Zero;
            var s12 = Vector512<double>.Zero;
            var s13 = Vector512<double>.Zero;
            var s20 = Vector512<double>.Zero;
            var s21 = Vector512<double>.Zero;
            var s22 = Vector512<double>.Zero;
            var s23 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var wn = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, n));
                var d0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x0, n)) - a0;
                var d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x1, n)) - a1;
                var d2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x2, n)) - a2;
                var d3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x3, n)) - a3;
                var wd0 = wn * d0;
                var wd1 = wn * d1;
                var wd2 = wn * d2;
                var wd3 = wn * d3;
                s10 += wd0;
                s11 += wd1;
                s12 += wd2;
                s13 += wd3;
                s20 = Avx512F.FusedMultiplyAdd(wd0, d0, s20);
                s21 = Avx512F.FusedMultiplyAdd(wd1, d1, s21);
                s22 = Avx512F.FusedMultiplyAdd(wd2, d2, s22);
                s23 = Avx512F.FusedMultiplyAdd(wd3, d3, s23);
            }

            var first = sum.Slice(i, 4);
            var second = scatter.Slice(i, 4);
            (Vector256.Create(first) + Simd.SumEach(s10, s11, s12, s13)).CopyTo(first);
            (Vector256.Create(second) + Simd.SumEach(s20, s21, s22, s23)).CopyTo(second);
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var a = Vector512.Create(reference[i]);
            var s1 = Vector512<double>.Zero;
            var s2 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var diff = Vector512.LoadUnsafe(ref Unsafe.Add(ref xi, n)) - a;
                var wd = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, n)) * diff;
                s1 += wd;
                s2 = Avx512F.FusedMultiplyAdd(wd, diff, s2);
            }

            sum[i] += Vector512.Sum(s1);
            scatter[i] += Vector512.Sum(s2);
        }
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
    /// hold garbage for the caller to mask. x = n·ln 2 + r with |r| ≤ ½ ln 2, e^r by its Taylor polynomial of degree 13
    /// (truncation below 5e−18 relative) in fused multiply-adds, and 2^n added into the exponent bits: within a unit
    /// in the last place or two of <see cref="Math.Exp"/>. Inlined, unlike the runtime's vector exp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> ExpNonPositive(Vector512<double> x)
    {
        const double Log2E = 1.4426950408889634;
        const double Ln2High = 0.693147180369123816490;   // ln 2 with its last 21 bits zero, so n·Ln2High is exact
        const double Ln2Low = 1.90821492927058770002e-10; // ln 2 − Ln2High
        const double Shifter = 6755399441055744.0;         // 1.5·2^52: adding it rounds to an integer in the low bits

        var shifted = Avx512F.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(Shifter));
        var n = shifted - Vector512.Create(Shifter);
        var r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), x);
        r = Avx512F.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);

        var poly = Vector512.Create(1.0 / 6227020800.0);                                        // 1/13!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 479001600.0));           // 1/12!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 39916800.0));            // 1/11!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 3628800.0));             // 1/10!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 362880.0));              // 1/9!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 40320.0));               // 1/8!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 5040.0));                // 1/7!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 720.0));                 // 1/6!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 120.0));                 // 1/5!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 24.0));                  // 1/4!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0 / 6.0));                   // 1/3!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(0.5));                         // 1/2!
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0));
        poly = Avx512F.FusedMultiplyAdd(poly, r, Vector512.Create(1.0));

        // 2^n: the integer n sits in the low bits of `shifted`; move it into the exponent field of the polynomial.
        var exponent = shifted.AsUInt64() << 52;
        return (poly.AsUInt64() + exponent).AsDouble();
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
