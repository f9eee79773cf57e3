using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// The fused E+M pass of diagonal (or spherical) Gaussians on a block, for all K components at once, with 512-bit
/// vectors across rows. The block is first transposed into column-major scratch, so that a vector holds one column of
/// eight consecutive rows: the log-densities of eight rows then come out in one vector per component with no
/// horizontal sums, for any D, and the responsibilities and the moments about each component's reference point are
/// computed from the same cached columns. Only built where 512-bit vectors are hardware-accelerated
/// (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the engine keeps the per-component kernels.
/// </summary>
internal sealed class DiagonalBlockKernel : IBlockKernel<GaussianComponent, GaussianStatistics>, IColumnPieceKernel<GaussianStatistics>
{
    private const int Lanes = 8;

    private readonly int _d;
    private readonly int _k;
    private readonly bool _spherical;
    private readonly double[] _means;      // K × D
    private readonly double[] _precisions; // K × D, or K for spherical components
    private readonly double[] _constants;  // K: log π_k + the log-density at the mean

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
    }

    /// <inheritdoc />
    int IColumnPieceDensities.Dimension => _d;

    /// <inheritdoc />
    int IColumnPieceDensities.ComponentCount => _k;

    /// <inheritdoc />
    public bool Prepare(IReadOnlyList<GaussianComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _k || logWeights.Length != _k)
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
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<GaussianStatistics> statistics) =>
        ColumnPieces.Accumulate(this, rows, count, rowWeights, logLikelihood, statistics);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        ColumnPieces.JointLogDensity(this, rows, count, logProb, stride);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceDensities.LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination)
    {
        int g = 0;
        if (!_spherical)
        {
            for (; g + (2 * Lanes) <= p; g += 2 * Lanes)
            {
                LogDensitiesTwoGroups<PerColumnPrecision>(columns, p, g, destination);
            }
        }
        else
        {
            for (; g + (2 * Lanes) <= p; g += 2 * Lanes)
            {
                LogDensitiesTwoGroups<SharedPrecision>(columns, p, g, destination);
            }
        }

        for (; g < p; g += Lanes)
        {
            LogDensities(columns, p, g, destination);
        }
    }

    /// <inheritdoc />
    /// <remarks>The moments about each component's reference point, or the general path for an accumulator not centred yet.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceKernel<GaussianStatistics>.AddStatistics(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> responsibilities, ReadOnlySpan<GaussianStatistics> statistics)
    {
        // Components whose moments the kernel takes go in pairs, so that each column of eight rows is loaded once for
        // two components; every accumulator still adds its rows in the same order as one component alone.
        int waiting = -1;
        ReadOnlySpan<double> waitingReference = default;
        Span<double> waitingSum = default, waitingScatter = default;
        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            double total = BlockVectorMath.Sum(weights);
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
            if (waiting < 0)
            {
                waiting = k;
                waitingReference = reference;
                waitingSum = sum;
                waitingScatter = scatter;
                continue;
            }

            MomentsPair(columns, p, responsibilities.Slice(waiting * p, p), waitingReference, waitingSum, waitingScatter, weights, reference, sum, scatter);
            waiting = -1;
        }

        if (waiting >= 0)
        {
            Moments(columns, p, responsibilities.Slice(waiting * p, p), waitingReference, waitingSum, waitingScatter);
        }
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
    /// <see cref="LogDensities"/> for the sixteen rows g.. (two vectors of rows), so that each broadcast mean (and
    /// precision) serves both, and each component's sum of squares has two independent chains (the fused multiply-adds
    /// are not held up by their latency). <typeparamref name="TShape"/> says where the precision enters: per column
    /// inside the sum (diagonal), or once on the sum (spherical). The same operations in the same order for every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogDensitiesTwoGroups<TShape>(ReadOnlySpan<double> columns, int p, int g, Span<double> destination)
        where TShape : struct, IPrecisionShape
    {
        int d = _d;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double means = ref MemoryMarshal.GetArrayDataReference(_means);
        ref double precisions = ref MemoryMarshal.GetArrayDataReference(_precisions);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), g);
        var minusHalf = Vector512.Create(-0.5);
        int k = 0;
        for (; k + 4 <= _k; k += 4)
        {
            ref double m0 = ref Unsafe.Add(ref means, k * d);
            ref double p0 = ref Unsafe.Add(ref precisions, TShape.FirstPrecision(k, d));
            var a0 = Vector512<double>.Zero;
            var a1 = Vector512<double>.Zero;
            var a2 = Vector512<double>.Zero;
            var a3 = Vector512<double>.Zero;
            var b0 = Vector512<double>.Zero;
            var b1 = Vector512<double>.Zero;
            var b2 = Vector512<double>.Zero;
            var b3 = Vector512<double>.Zero;
            for (int i = 0; i < d; i++)
            {
                var xa = Vector512.LoadUnsafe(ref x, (nuint)(i * p));
                var xb = Vector512.LoadUnsafe(ref x, (nuint)((i * p) + Lanes));
                var mu = Vector512.Create(Unsafe.Add(ref m0, i));
                var da = xa - mu;
                var db = xb - mu;
                a0 = TShape.AddSquare(da, ref p0, i, a0);
                b0 = TShape.AddSquare(db, ref p0, i, b0);
                mu = Vector512.Create(Unsafe.Add(ref m0, d + i));
                da = xa - mu;
                db = xb - mu;
                a1 = TShape.AddSquare(da, ref p0, d + i, a1);
                b1 = TShape.AddSquare(db, ref p0, d + i, b1);
                mu = Vector512.Create(Unsafe.Add(ref m0, (2 * d) + i));
                da = xa - mu;
                db = xb - mu;
                a2 = TShape.AddSquare(da, ref p0, (2 * d) + i, a2);
                b2 = TShape.AddSquare(db, ref p0, (2 * d) + i, b2);
                mu = Vector512.Create(Unsafe.Add(ref m0, (3 * d) + i));
                da = xa - mu;
                db = xb - mu;
                a3 = TShape.AddSquare(da, ref p0, (3 * d) + i, a3);
                b3 = TShape.AddSquare(db, ref p0, (3 * d) + i, b3);
            }

            StorePair(TShape.Scale(a0, ref precisions, k), TShape.Scale(b0, ref precisions, k), _constants[k], minusHalf, ref output, k * p);
            StorePair(TShape.Scale(a1, ref precisions, k + 1), TShape.Scale(b1, ref precisions, k + 1), _constants[k + 1], minusHalf, ref output, (k + 1) * p);
            StorePair(TShape.Scale(a2, ref precisions, k + 2), TShape.Scale(b2, ref precisions, k + 2), _constants[k + 2], minusHalf, ref output, (k + 2) * p);
            StorePair(TShape.Scale(a3, ref precisions, k + 3), TShape.Scale(b3, ref precisions, k + 3), _constants[k + 3], minusHalf, ref output, (k + 3) * p);
        }

        for (; k < _k; k++)
        {
            ref double m = ref Unsafe.Add(ref means, k * d);
            ref double pk = ref Unsafe.Add(ref precisions, TShape.FirstPrecision(k, d));
            var a = Vector512<double>.Zero;
            var b = Vector512<double>.Zero;
            for (int i = 0; i < d; i++)
            {
                var mu = Vector512.Create(Unsafe.Add(ref m, i));
                var da = Vector512.LoadUnsafe(ref x, (nuint)(i * p)) - mu;
                var db = Vector512.LoadUnsafe(ref x, (nuint)((i * p) + Lanes)) - mu;
                a = TShape.AddSquare(da, ref pk, i, a);
                b = TShape.AddSquare(db, ref pk, i, b);
            }

            StorePair(TShape.Scale(a, ref precisions, k), TShape.Scale(b, ref precisions, k), _constants[k], minusHalf, ref output, k * p);
        }
    }

    /// <summary>Stores −½·a + c and −½·b + c, the log-densities of two vectors of rows, at output[at..] and output[at + 8..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(Vector512<double> a, Vector512<double> b, double constant, Vector512<double> minusHalf, ref double output, int at)
    {
        var c = Vector512.Create(constant);
        Avx512F.FusedMultiplyAdd(minusHalf, a, c).StoreUnsafe(ref output, (nuint)at);
        Avx512F.FusedMultiplyAdd(minusHalf, b, c).StoreUnsafe(ref output, (nuint)(at + Lanes));
    }

    /// <summary>Where a component's precision enters its sum of squares (a struct operator: one specialised loop per shape).</summary>
    private interface IPrecisionShape
    {
        /// <summary>Where component <paramref name="component"/>'s precisions start (never past the array's end).</summary>
        static abstract int FirstPrecision(int component, int d);

        /// <summary>acc + the term of the centred column <paramref name="centred"/>; its precision (diagonal) is <paramref name="precisions"/>[<paramref name="index"/>], counted from the component group's first precision.</summary>
        static abstract Vector512<double> AddSquare(Vector512<double> centred, ref double precisions, int index, Vector512<double> acc);

        /// <summary>The finished sum of component <paramref name="component"/>.</summary>
        static abstract Vector512<double> Scale(Vector512<double> sum, ref double precisions, int component);
    }

    /// <summary>Diagonal: Σ_j (x_j − μ_j)·p_j·(x_j − μ_j), the precision per column inside the sum.</summary>
    private readonly struct PerColumnPrecision : IPrecisionShape
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int FirstPrecision(int component, int d) => component * d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> AddSquare(Vector512<double> centred, ref double precisions, int index, Vector512<double> acc) =>
            Avx512F.FusedMultiplyAdd(centred * Vector512.Create(Unsafe.Add(ref precisions, index)), centred, acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Scale(Vector512<double> sum, ref double precisions, int component) => sum;
    }

    /// <summary>Spherical: p·Σ_j (x_j − μ_j)², one precision per component applied to the sum.</summary>
    private readonly struct SharedPrecision : IPrecisionShape
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int FirstPrecision(int component, int d) => component;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> AddSquare(Vector512<double> centred, ref double precisions, int index, Vector512<double> acc) =>
            Avx512F.FusedMultiplyAdd(centred, centred, acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<double> Scale(Vector512<double> sum, ref double precisions, int component) =>
            sum * Vector512.Create(Unsafe.Add(ref precisions, component));
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

            Simd.AddTo(sum.Slice(i, 4), Simd.SumEach(s10, s11, s12, s13));
            Simd.AddTo(scatter.Slice(i, 4), Simd.SumEach(s20, s21, s22, s23));
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

    /// <summary>
    /// <see cref="Moments"/> of two components at once (weights and reference point u for the first, v for the second):
    /// each column of eight rows is loaded once for both, with the same operations in the same order for each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MomentsPair(ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> weightsU, ReadOnlySpan<double> referenceU, Span<double> sumU, Span<double> scatterU, ReadOnlySpan<double> weightsV, ReadOnlySpan<double> referenceV, Span<double> sumV, Span<double> scatterV)
    {
        int d = _d;
        ref double x = ref MemoryMarshal.GetReference(columns);
        ref double wu = ref MemoryMarshal.GetReference(weightsU);
        ref double wv = ref MemoryMarshal.GetReference(weightsV);
        int i = 0;
        for (; i + 4 <= d; i += 4)
        {
            ref double x0 = ref Unsafe.Add(ref x, i * p);
            ref double x1 = ref Unsafe.Add(ref x0, p);
            ref double x2 = ref Unsafe.Add(ref x1, p);
            ref double x3 = ref Unsafe.Add(ref x2, p);
            var a0 = Vector512.Create(referenceU[i]);
            var a1 = Vector512.Create(referenceU[i + 1]);
            var a2 = Vector512.Create(referenceU[i + 2]);
            var a3 = Vector512.Create(referenceU[i + 3]);
            var b0 = Vector512.Create(referenceV[i]);
            var b1 = Vector512.Create(referenceV[i + 1]);
            var b2 = Vector512.Create(referenceV[i + 2]);
            var b3 = Vector512.Create(referenceV[i + 3]);
            var u10 = Vector512<double>.Zero;
            var u11 = Vector512<double>.Zero;
            var u12 = Vector512<double>.Zero;
            var u13 = Vector512<double>.Zero;
            var u20 = Vector512<double>.Zero;
            var u21 = Vector512<double>.Zero;
            var u22 = Vector512<double>.Zero;
            var u23 = Vector512<double>.Zero;
            var v10 = Vector512<double>.Zero;
            var v11 = Vector512<double>.Zero;
            var v12 = Vector512<double>.Zero;
            var v13 = Vector512<double>.Zero;
            var v20 = Vector512<double>.Zero;
            var v21 = Vector512<double>.Zero;
            var v22 = Vector512<double>.Zero;
            var v23 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                // Column by column, so that the 16 sums, 8 reference points and the temporaries fit in the 32 registers.
                var wn = Vector512.LoadUnsafe(ref wu, (nuint)n);
                var vn = Vector512.LoadUnsafe(ref wv, (nuint)n);
                var xn = Vector512.LoadUnsafe(ref x0, (nuint)n);
                var du = xn - a0;
                var dv = xn - b0;
                var wdu = wn * du;
                var wdv = vn * dv;
                u10 += wdu;
                v10 += wdv;
                u20 = Avx512F.FusedMultiplyAdd(wdu, du, u20);
                v20 = Avx512F.FusedMultiplyAdd(wdv, dv, v20);
                xn = Vector512.LoadUnsafe(ref x1, (nuint)n);
                du = xn - a1;
                dv = xn - b1;
                wdu = wn * du;
                wdv = vn * dv;
                u11 += wdu;
                v11 += wdv;
                u21 = Avx512F.FusedMultiplyAdd(wdu, du, u21);
                v21 = Avx512F.FusedMultiplyAdd(wdv, dv, v21);
                xn = Vector512.LoadUnsafe(ref x2, (nuint)n);
                du = xn - a2;
                dv = xn - b2;
                wdu = wn * du;
                wdv = vn * dv;
                u12 += wdu;
                v12 += wdv;
                u22 = Avx512F.FusedMultiplyAdd(wdu, du, u22);
                v22 = Avx512F.FusedMultiplyAdd(wdv, dv, v22);
                xn = Vector512.LoadUnsafe(ref x3, (nuint)n);
                du = xn - a3;
                dv = xn - b3;
                wdu = wn * du;
                wdv = vn * dv;
                u13 += wdu;
                v13 += wdv;
                u23 = Avx512F.FusedMultiplyAdd(wdu, du, u23);
                v23 = Avx512F.FusedMultiplyAdd(wdv, dv, v23);
            }

            Simd.AddTo(sumU.Slice(i, 4), Simd.SumEach(u10, u11, u12, u13));
            Simd.AddTo(scatterU.Slice(i, 4), Simd.SumEach(u20, u21, u22, u23));
            Simd.AddTo(sumV.Slice(i, 4), Simd.SumEach(v10, v11, v12, v13));
            Simd.AddTo(scatterV.Slice(i, 4), Simd.SumEach(v20, v21, v22, v23));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var a = Vector512.Create(referenceU[i]);
            var b = Vector512.Create(referenceV[i]);
            var u1 = Vector512<double>.Zero;
            var u2 = Vector512<double>.Zero;
            var v1 = Vector512<double>.Zero;
            var v2 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var xn = Vector512.LoadUnsafe(ref xi, (nuint)n);
                var du = xn - a;
                var wdu = Vector512.LoadUnsafe(ref wu, (nuint)n) * du;
                u1 += wdu;
                u2 = Avx512F.FusedMultiplyAdd(wdu, du, u2);
                var dv = xn - b;
                var wdv = Vector512.LoadUnsafe(ref wv, (nuint)n) * dv;
                v1 += wdv;
                v2 = Avx512F.FusedMultiplyAdd(wdv, dv, v2);
            }

            sumU[i] += Vector512.Sum(u1);
            scatterU[i] += Vector512.Sum(u2);
            sumV[i] += Vector512.Sum(v1);
            scatterV[i] += Vector512.Sum(v2);
        }
    }
}
