using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// The fused E+M pass of diagonal (or spherical) Gaussians on a block, for all K components at once, with vectors
/// across rows. The block is first transposed into column-major scratch, so that a vector holds one column of as many
/// consecutive rows as it has lanes: the log-densities of those rows then come out in one vector per component with no
/// horizontal sums, for any D, and the responsibilities and the moments about each component's reference point are
/// computed from the same cached columns. Only built where the vectors are hardware-accelerated
/// (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the engine keeps the per-component kernels.
/// </summary>
/// <typeparam name="TLanes">The vector width: <see cref="Lanes512"/> or <see cref="Lanes256"/>.</typeparam>
internal sealed class DiagonalBlockKernel<TLanes> : IBlockKernel<GaussianComponent, GaussianStatistics>, IColumnPieceKernel<GaussianStatistics>
    where TLanes : unmanaged, ILanes<TLanes>
{
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
        ColumnPieces.Accumulate<TLanes, GaussianStatistics>(this, rows, count, rowWeights, logLikelihood, statistics);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        ColumnPieces.JointLogDensity<TLanes>(this, rows, count, logProb, stride);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceDensities.LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination)
    {
        int g = 0;
        if (!_spherical)
        {
            for (; g + (2 * TLanes.Count) <= p; g += 2 * TLanes.Count)
            {
                LogDensitiesTwoGroups<PerColumnPrecision>(columns, p, g, destination);
            }
        }
        else
        {
            for (; g + (2 * TLanes.Count) <= p; g += 2 * TLanes.Count)
            {
                LogDensitiesTwoGroups<SharedPrecision>(columns, p, g, destination);
            }
        }

        for (; g < p; g += TLanes.Count)
        {
            LogDensities(columns, p, g, destination);
        }
    }

    /// <inheritdoc />
    /// <remarks>The moments about each component's reference point, or the general path for an accumulator not centred yet.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceKernel<GaussianStatistics>.AddStatistics(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> responsibilities, ReadOnlySpan<GaussianStatistics> statistics)
    {
        // Components whose moments the kernel takes go in pairs, so that each column of rows is loaded once for two
        // components; every accumulator still adds its rows in the same order as one component alone. The pairs' 16 sums
        // and 8 reference points need the 32 registers of AVX-512: with 16, each component goes alone.
        bool pairs = TLanes.Count == 8;
        int waiting = -1;
        ReadOnlySpan<double> waitingReference = default;
        Span<double> waitingSum = default, waitingScatter = default;
        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            double total = BlockVectorMath.Sum<TLanes>(weights);
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
            if (!pairs)
            {
                Moments(columns, p, weights, reference, sum, scatter);
                continue;
            }

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

    /// <summary>destination[k·p + g ..] = log π_k + log p(x | θ_k) for the vector of rows g.. of the transposed block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogDensities(ReadOnlySpan<double> columns, int p, int g, Span<double> destination)
    {
        int d = _d;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double means = ref MemoryMarshal.GetArrayDataReference(_means);
        ref double precisions = ref MemoryMarshal.GetArrayDataReference(_precisions);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), g);
        var minusHalf = TLanes.Create(-0.5);
        int k = 0;

        // Four components at a time: each column of the rows is loaded once for all four.
        for (; k + 4 <= _k; k += 4)
        {
            ref double m0 = ref Unsafe.Add(ref means, k * d);
            ref double m1 = ref Unsafe.Add(ref m0, d);
            ref double m2 = ref Unsafe.Add(ref m1, d);
            ref double m3 = ref Unsafe.Add(ref m2, d);
            var acc0 = TLanes.Zero;
            var acc1 = TLanes.Zero;
            var acc2 = TLanes.Zero;
            var acc3 = TLanes.Zero;
            if (_spherical)
            {
                for (int i = 0; i < d; i++)
                {
                    var xi = TLanes.Load(ref x, (nuint)(i * p));
                    var d0 = xi - TLanes.Create(Unsafe.Add(ref m0, i));
                    var d1 = xi - TLanes.Create(Unsafe.Add(ref m1, i));
                    var d2 = xi - TLanes.Create(Unsafe.Add(ref m2, i));
                    var d3 = xi - TLanes.Create(Unsafe.Add(ref m3, i));
                    acc0 = TLanes.MulAdd(d0, d0, acc0);
                    acc1 = TLanes.MulAdd(d1, d1, acc1);
                    acc2 = TLanes.MulAdd(d2, d2, acc2);
                    acc3 = TLanes.MulAdd(d3, d3, acc3);
                }

                acc0 *= TLanes.Create(Unsafe.Add(ref precisions, k));
                acc1 *= TLanes.Create(Unsafe.Add(ref precisions, k + 1));
                acc2 *= TLanes.Create(Unsafe.Add(ref precisions, k + 2));
                acc3 *= TLanes.Create(Unsafe.Add(ref precisions, k + 3));
            }
            else
            {
                ref double p0 = ref Unsafe.Add(ref precisions, k * d);
                ref double p1 = ref Unsafe.Add(ref p0, d);
                ref double p2 = ref Unsafe.Add(ref p1, d);
                ref double p3 = ref Unsafe.Add(ref p2, d);
                for (int i = 0; i < d; i++)
                {
                    var xi = TLanes.Load(ref x, (nuint)(i * p));
                    var d0 = xi - TLanes.Create(Unsafe.Add(ref m0, i));
                    var d1 = xi - TLanes.Create(Unsafe.Add(ref m1, i));
                    var d2 = xi - TLanes.Create(Unsafe.Add(ref m2, i));
                    var d3 = xi - TLanes.Create(Unsafe.Add(ref m3, i));
                    acc0 = TLanes.MulAdd(d0 * TLanes.Create(Unsafe.Add(ref p0, i)), d0, acc0);
                    acc1 = TLanes.MulAdd(d1 * TLanes.Create(Unsafe.Add(ref p1, i)), d1, acc1);
                    acc2 = TLanes.MulAdd(d2 * TLanes.Create(Unsafe.Add(ref p2, i)), d2, acc2);
                    acc3 = TLanes.MulAdd(d3 * TLanes.Create(Unsafe.Add(ref p3, i)), d3, acc3);
                }
            }

            TLanes.Store(TLanes.MulAdd(minusHalf, acc0, TLanes.Create(_constants[k])), ref output, (nuint)(k * p));
            TLanes.Store(TLanes.MulAdd(minusHalf, acc1, TLanes.Create(_constants[k + 1])), ref output, (nuint)((k + 1) * p));
            TLanes.Store(TLanes.MulAdd(minusHalf, acc2, TLanes.Create(_constants[k + 2])), ref output, (nuint)((k + 2) * p));
            TLanes.Store(TLanes.MulAdd(minusHalf, acc3, TLanes.Create(_constants[k + 3])), ref output, (nuint)((k + 3) * p));
        }

        for (; k < _k; k++)
        {
            ref double m = ref Unsafe.Add(ref means, k * d);
            var acc = TLanes.Zero;
            if (_spherical)
            {
                for (int i = 0; i < d; i++)
                {
                    var diff = TLanes.Load(ref x, (nuint)(i * p)) - TLanes.Create(Unsafe.Add(ref m, i));
                    acc = TLanes.MulAdd(diff, diff, acc);
                }

                acc *= TLanes.Create(Unsafe.Add(ref precisions, k));
            }
            else
            {
                ref double pk = ref Unsafe.Add(ref precisions, k * d);
                for (int i = 0; i < d; i++)
                {
                    var diff = TLanes.Load(ref x, (nuint)(i * p)) - TLanes.Create(Unsafe.Add(ref m, i));
                    acc = TLanes.MulAdd(diff * TLanes.Create(Unsafe.Add(ref pk, i)), diff, acc);
                }
            }

            TLanes.Store(TLanes.MulAdd(minusHalf, acc, TLanes.Create(_constants[k])), ref output, (nuint)(k * p));
        }
    }

    /// <summary>
    /// <see cref="LogDensities"/> for the rows g.. of two vectors, so that each broadcast mean (and
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
        var minusHalf = TLanes.Create(-0.5);
        int k = 0;
        for (; k + 4 <= _k; k += 4)
        {
            ref double m0 = ref Unsafe.Add(ref means, k * d);
            ref double p0 = ref Unsafe.Add(ref precisions, TShape.FirstPrecision(k, d));
            var a0 = TLanes.Zero;
            var a1 = TLanes.Zero;
            var a2 = TLanes.Zero;
            var a3 = TLanes.Zero;
            var b0 = TLanes.Zero;
            var b1 = TLanes.Zero;
            var b2 = TLanes.Zero;
            var b3 = TLanes.Zero;
            for (int i = 0; i < d; i++)
            {
                var xa = TLanes.Load(ref x, (nuint)(i * p));
                var xb = TLanes.Load(ref x, (nuint)((i * p) + TLanes.Count));
                var mu = TLanes.Create(Unsafe.Add(ref m0, i));
                var da = xa - mu;
                var db = xb - mu;
                a0 = TShape.AddSquare(da, ref p0, i, a0);
                b0 = TShape.AddSquare(db, ref p0, i, b0);
                mu = TLanes.Create(Unsafe.Add(ref m0, d + i));
                da = xa - mu;
                db = xb - mu;
                a1 = TShape.AddSquare(da, ref p0, d + i, a1);
                b1 = TShape.AddSquare(db, ref p0, d + i, b1);
                mu = TLanes.Create(Unsafe.Add(ref m0, (2 * d) + i));
                da = xa - mu;
                db = xb - mu;
                a2 = TShape.AddSquare(da, ref p0, (2 * d) + i, a2);
                b2 = TShape.AddSquare(db, ref p0, (2 * d) + i, b2);
                mu = TLanes.Create(Unsafe.Add(ref m0, (3 * d) + i));
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
            var a = TLanes.Zero;
            var b = TLanes.Zero;
            for (int i = 0; i < d; i++)
            {
                var mu = TLanes.Create(Unsafe.Add(ref m, i));
                var da = TLanes.Load(ref x, (nuint)(i * p)) - mu;
                var db = TLanes.Load(ref x, (nuint)((i * p) + TLanes.Count)) - mu;
                a = TShape.AddSquare(da, ref pk, i, a);
                b = TShape.AddSquare(db, ref pk, i, b);
            }

            StorePair(TShape.Scale(a, ref precisions, k), TShape.Scale(b, ref precisions, k), _constants[k], minusHalf, ref output, k * p);
        }
    }

    /// <summary>Stores −½·a + c and −½·b + c, the log-densities of two vectors of rows, at output[at..] and output[at + 8..].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(TLanes a, TLanes b, double constant, TLanes minusHalf, ref double output, int at)
    {
        var c = TLanes.Create(constant);
        TLanes.Store(TLanes.MulAdd(minusHalf, a, c), ref output, (nuint)at);
        TLanes.Store(TLanes.MulAdd(minusHalf, b, c), ref output, (nuint)(at + TLanes.Count));
    }

    /// <summary>Where a component's precision enters its sum of squares (a struct operator: one specialised loop per shape).</summary>
    private interface IPrecisionShape
    {
        /// <summary>Where component <paramref name="component"/>'s precisions start (never past the array's end).</summary>
        static abstract int FirstPrecision(int component, int d);

        /// <summary>acc + the term of the centred column <paramref name="centred"/>; its precision (diagonal) is <paramref name="precisions"/>[<paramref name="index"/>], counted from the component group's first precision.</summary>
        static abstract TLanes AddSquare(TLanes centred, ref double precisions, int index, TLanes acc);

        /// <summary>The finished sum of component <paramref name="component"/>.</summary>
        static abstract TLanes Scale(TLanes sum, ref double precisions, int component);
    }

    /// <summary>Diagonal: Σ_j (x_j − μ_j)·p_j·(x_j − μ_j), the precision per column inside the sum.</summary>
    private readonly struct PerColumnPrecision : IPrecisionShape
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int FirstPrecision(int component, int d) => component * d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes AddSquare(TLanes centred, ref double precisions, int index, TLanes acc) =>
            TLanes.MulAdd(centred * TLanes.Create(Unsafe.Add(ref precisions, index)), centred, acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes Scale(TLanes sum, ref double precisions, int component) => sum;
    }

    /// <summary>Spherical: p·Σ_j (x_j − μ_j)², one precision per component applied to the sum.</summary>
    private readonly struct SharedPrecision : IPrecisionShape
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int FirstPrecision(int component, int d) => component;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes AddSquare(TLanes centred, ref double precisions, int index, TLanes acc) =>
            TLanes.MulAdd(centred, centred, acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TLanes Scale(TLanes sum, ref double precisions, int component) =>
            sum * TLanes.Create(Unsafe.Add(ref precisions, component));
    }

    /// <summary>
    /// sum[d] += Σₙ wₙ(x_nd − a_d) and scatter[d] += Σₙ wₙ(x_nd − a_d)² over the p rows of the transposed block, four
    /// columns at a time (two with AVX2's 16 registers) with one vector sum per column and moment, reduced across lanes at
    /// the end of the block. Each column's sums are the same however many columns go together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Moments(ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum, Span<double> scatter)
    {
        int d = _d;
        ref double x = ref MemoryMarshal.GetReference(columns);
        ref double w = ref MemoryMarshal.GetReference(weights);
        int i = 0;
        if (TLanes.Count == 4)
        {
            for (; i + 2 <= d; i += 2)
            {
                ref double x0 = ref Unsafe.Add(ref x, i * p);
                ref double x1 = ref Unsafe.Add(ref x0, p);
                var a0 = TLanes.Create(reference[i]);
                var a1 = TLanes.Create(reference[i + 1]);
                var s10 = TLanes.Zero;
                var s11 = TLanes.Zero;
                var s20 = TLanes.Zero;
                var s21 = TLanes.Zero;
                for (int n = 0; n < p; n += TLanes.Count)
                {
                    var wn = TLanes.Load(ref w, (nuint)n);
                    var d0 = TLanes.Load(ref x0, (nuint)n) - a0;
                    var d1 = TLanes.Load(ref x1, (nuint)n) - a1;
                    var wd0 = wn * d0;
                    var wd1 = wn * d1;
                    s10 += wd0;
                    s11 += wd1;
                    s20 = TLanes.MulAdd(wd0, d0, s20);
                    s21 = TLanes.MulAdd(wd1, d1, s21);
                }

                var sums = TLanes.SumEach(s10, s11, s20, s21); // the same per-column sums as in a group of four
                sum[i] += sums.GetElement(0);
                sum[i + 1] += sums.GetElement(1);
                scatter[i] += sums.GetElement(2);
                scatter[i + 1] += sums.GetElement(3);
            }
        }

        for (; i + 4 <= d; i += 4)
        {
            ref double x0 = ref Unsafe.Add(ref x, i * p);
            ref double x1 = ref Unsafe.Add(ref x0, p);
            ref double x2 = ref Unsafe.Add(ref x1, p);
            ref double x3 = ref Unsafe.Add(ref x2, p);
            var a0 = TLanes.Create(reference[i]);
            var a1 = TLanes.Create(reference[i + 1]);
            var a2 = TLanes.Create(reference[i + 2]);
            var a3 = TLanes.Create(reference[i + 3]);
            var s10 = TLanes.Zero;
            var s11 = TLanes.Zero;
            var s12 = TLanes.Zero;
            var s13 = TLanes.Zero;
            var s20 = TLanes.Zero;
            var s21 = TLanes.Zero;
            var s22 = TLanes.Zero;
            var s23 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var wn = TLanes.Load(ref w, (nuint)(n));
                var d0 = TLanes.Load(ref x0, (nuint)(n)) - a0;
                var d1 = TLanes.Load(ref x1, (nuint)(n)) - a1;
                var d2 = TLanes.Load(ref x2, (nuint)(n)) - a2;
                var d3 = TLanes.Load(ref x3, (nuint)(n)) - a3;
                var wd0 = wn * d0;
                var wd1 = wn * d1;
                var wd2 = wn * d2;
                var wd3 = wn * d3;
                s10 += wd0;
                s11 += wd1;
                s12 += wd2;
                s13 += wd3;
                s20 = TLanes.MulAdd(wd0, d0, s20);
                s21 = TLanes.MulAdd(wd1, d1, s21);
                s22 = TLanes.MulAdd(wd2, d2, s22);
                s23 = TLanes.MulAdd(wd3, d3, s23);
            }

            Simd.AddTo(sum.Slice(i, 4), TLanes.SumEach(s10, s11, s12, s13));
            Simd.AddTo(scatter.Slice(i, 4), TLanes.SumEach(s20, s21, s22, s23));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var a = TLanes.Create(reference[i]);
            var s1 = TLanes.Zero;
            var s2 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var diff = TLanes.Load(ref xi, (nuint)(n)) - a;
                var wd = TLanes.Load(ref w, (nuint)(n)) * diff;
                s1 += wd;
                s2 = TLanes.MulAdd(wd, diff, s2);
            }

            sum[i] += TLanes.Sum(s1);
            scatter[i] += TLanes.Sum(s2);
        }
    }

    /// <summary>
    /// <see cref="Moments"/> of two components at once (weights and reference point u for the first, v for the second):
    /// each column of rows is loaded once for both, with the same operations in the same order for each.
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
            var a0 = TLanes.Create(referenceU[i]);
            var a1 = TLanes.Create(referenceU[i + 1]);
            var a2 = TLanes.Create(referenceU[i + 2]);
            var a3 = TLanes.Create(referenceU[i + 3]);
            var b0 = TLanes.Create(referenceV[i]);
            var b1 = TLanes.Create(referenceV[i + 1]);
            var b2 = TLanes.Create(referenceV[i + 2]);
            var b3 = TLanes.Create(referenceV[i + 3]);
            var u10 = TLanes.Zero;
            var u11 = TLanes.Zero;
            var u12 = TLanes.Zero;
            var u13 = TLanes.Zero;
            var u20 = TLanes.Zero;
            var u21 = TLanes.Zero;
            var u22 = TLanes.Zero;
            var u23 = TLanes.Zero;
            var v10 = TLanes.Zero;
            var v11 = TLanes.Zero;
            var v12 = TLanes.Zero;
            var v13 = TLanes.Zero;
            var v20 = TLanes.Zero;
            var v21 = TLanes.Zero;
            var v22 = TLanes.Zero;
            var v23 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                // Column by column, so that the 16 sums, 8 reference points and the temporaries fit in the 32 registers.
                var wn = TLanes.Load(ref wu, (nuint)n);
                var vn = TLanes.Load(ref wv, (nuint)n);
                var xn = TLanes.Load(ref x0, (nuint)n);
                var du = xn - a0;
                var dv = xn - b0;
                var wdu = wn * du;
                var wdv = vn * dv;
                u10 += wdu;
                v10 += wdv;
                u20 = TLanes.MulAdd(wdu, du, u20);
                v20 = TLanes.MulAdd(wdv, dv, v20);
                xn = TLanes.Load(ref x1, (nuint)n);
                du = xn - a1;
                dv = xn - b1;
                wdu = wn * du;
                wdv = vn * dv;
                u11 += wdu;
                v11 += wdv;
                u21 = TLanes.MulAdd(wdu, du, u21);
                v21 = TLanes.MulAdd(wdv, dv, v21);
                xn = TLanes.Load(ref x2, (nuint)n);
                du = xn - a2;
                dv = xn - b2;
                wdu = wn * du;
                wdv = vn * dv;
                u12 += wdu;
                v12 += wdv;
                u22 = TLanes.MulAdd(wdu, du, u22);
                v22 = TLanes.MulAdd(wdv, dv, v22);
                xn = TLanes.Load(ref x3, (nuint)n);
                du = xn - a3;
                dv = xn - b3;
                wdu = wn * du;
                wdv = vn * dv;
                u13 += wdu;
                v13 += wdv;
                u23 = TLanes.MulAdd(wdu, du, u23);
                v23 = TLanes.MulAdd(wdv, dv, v23);
            }

            Simd.AddTo(sumU.Slice(i, 4), TLanes.SumEach(u10, u11, u12, u13));
            Simd.AddTo(scatterU.Slice(i, 4), TLanes.SumEach(u20, u21, u22, u23));
            Simd.AddTo(sumV.Slice(i, 4), TLanes.SumEach(v10, v11, v12, v13));
            Simd.AddTo(scatterV.Slice(i, 4), TLanes.SumEach(v20, v21, v22, v23));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var a = TLanes.Create(referenceU[i]);
            var b = TLanes.Create(referenceV[i]);
            var u1 = TLanes.Zero;
            var u2 = TLanes.Zero;
            var v1 = TLanes.Zero;
            var v2 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var xn = TLanes.Load(ref xi, (nuint)n);
                var du = xn - a;
                var wdu = TLanes.Load(ref wu, (nuint)n) * du;
                u1 += wdu;
                u2 = TLanes.MulAdd(wdu, du, u2);
                var dv = xn - b;
                var wdv = TLanes.Load(ref wv, (nuint)n) * dv;
                v1 += wdv;
                v2 = TLanes.MulAdd(wdv, dv, v2);
            }

            sumU[i] += TLanes.Sum(u1);
            scatterU[i] += TLanes.Sum(u2);
            sumV[i] += TLanes.Sum(v1);
            scatterV[i] += TLanes.Sum(v2);
        }
    }
}
