using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// The fused E+M pass of Bernoulli components on a block, for all K components at once, with vectors across rows, as
/// <see cref="Gaussian.DiagonalBlockKernel{TLanes}"/> does for diagonal Gaussians. The block is transposed piece by piece
/// into column-major scratch (<see cref="ColumnPieces"/>), so that a vector holds one column of as many consecutive rows
/// as it has lanes. The joint log-densities log π_k + Σ_d log(1 − φ_kd) + Σ_d x_d·logit_kd are then a small GEMM of the
/// piece with the K × D log-odds, a vector of rows and four components at a time, with no horizontal sums; after the
/// E-step the weighted counts c_kd += Σₙ rₙₖ·xₙd are another, of the responsibilities with the same cached columns, in
/// register tiles of four components × four columns (two × four with AVX2's 16 registers) summed lane by lane and
/// reduced across lanes once per piece. Only built where the vectors are hardware-accelerated
/// (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the engine keeps the per-component kernels
/// (<see cref="BernoulliKernel"/>).
/// </summary>
/// <typeparam name="TLanes">The vector width: <see cref="Lanes512"/> or <see cref="Lanes256"/>.</typeparam>
internal sealed class BernoulliBlockKernel<TLanes> : IBlockKernel<BernoulliComponent, BernoulliStatistics>, IColumnPieceKernel<BernoulliStatistics>
    where TLanes : unmanaged, ILanes<TLanes>
{
    private readonly int _d;
    private readonly int _k;
    private readonly double[] _logOdds;   // K × D
    private readonly double[] _constants; // K: log π_k + Σ_d log(1 − φ_kd), the joint log-density of the all-zero row

    /// <summary>Creates the kernel for K components of dimension D.</summary>
    /// <param name="dimension">D.</param>
    /// <param name="componentCount">K.</param>
    public BernoulliBlockKernel(int dimension, int componentCount)
    {
        _d = dimension;
        _k = componentCount;
        _logOdds = new double[componentCount * dimension];
        _constants = new double[componentCount];
    }

    /// <inheritdoc />
    int IColumnPieceDensities.Dimension => _d;

    /// <inheritdoc />
    int IColumnPieceDensities.ComponentCount => _k;

    /// <inheritdoc />
    public bool Prepare(IReadOnlyList<BernoulliComponent> components, ReadOnlySpan<double> logWeights)
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

            component.LogOdds.CopyTo(_logOdds.AsSpan(k * _d, _d));
            _constants[k] = component.LogDensityConstant + logWeights[k];
        }

        return true;
    }

    /// <inheritdoc />
    /// <remarks>In pieces whose transposed rows and responsibilities stay in the first-level cache (<see cref="ColumnPieces"/>).</remarks>
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<BernoulliStatistics> statistics) =>
        ColumnPieces.Accumulate<TLanes, BernoulliStatistics>(this, rows, count, rowWeights, logLikelihood, statistics);

    /// <inheritdoc />
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        ColumnPieces.JointLogDensity<TLanes>(this, rows, count, logProb, stride);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceDensities.LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination)
    {
        for (int g = 0; g < p; g += TLanes.Count)
        {
            LogDensities(columns, p, g, destination);
        }
    }

    /// <inheritdoc />
    /// <remarks>W_k += Σₙ rₙₖ and c_kd += Σₙ rₙₖ·xₙd, four components at a time.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceKernel<BernoulliStatistics>.AddStatistics(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> responsibilities, ReadOnlySpan<BernoulliStatistics> statistics)
    {
        int k = 0;
        for (; k + 4 <= _k; k += 4)
        {
            var w0 = responsibilities.Slice(k * p, p);
            var w1 = responsibilities.Slice((k + 1) * p, p);
            var w2 = responsibilities.Slice((k + 2) * p, p);
            var w3 = responsibilities.Slice((k + 3) * p, p);
            WeightedCounts(columns, p, w0, w1, w2, w3, Counts(statistics[k], w0), Counts(statistics[k + 1], w1), Counts(statistics[k + 2], w2), Counts(statistics[k + 3], w3));
        }

        for (; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            WeightedCounts(columns, p, weights, Counts(statistics[k], weights));
        }
    }

    /// <summary>Adds Σ weights to the accumulator's W and returns its counts, for the caller to add the piece's weighted counts into.</summary>
    private Span<double> Counts(BernoulliStatistics statistics, ReadOnlySpan<double> weights)
    {
        if (statistics.Dimension == _d)
        {
            // Unlike BernoulliStatistics.Accumulate, a piece without weight is not skipped: it adds exact zeros.
            return statistics.AddBlockWeight(BlockVectorMath.Sum<TLanes>(weights));
        }

        ThrowHelper.ThrowArgument(nameof(statistics), string.Create(CultureInfo.InvariantCulture, $"statistics holds Bernoulli statistics of dimension {statistics.Dimension}, not {_d}. Pass accumulators created by the family's CreateStatistics."));
        return default;
    }

    /// <summary>destination[k·p + g ..] = log π_k + Σ_d log(1 − φ_kd) + Σ_d x_d·logit_kd for the eight rows g.. of the transposed piece.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogDensities(ReadOnlySpan<double> columns, int p, int g, Span<double> destination)
    {
        int d = _d;
        ref double x = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double logOdds = ref MemoryMarshal.GetArrayDataReference(_logOdds);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), g);
        int k = 0;

        // Four components at a time: each column of the eight rows is loaded once for all four.
        for (; k + 4 <= _k; k += 4)
        {
            ref double l0 = ref Unsafe.Add(ref logOdds, k * d);
            ref double l1 = ref Unsafe.Add(ref l0, d);
            ref double l2 = ref Unsafe.Add(ref l1, d);
            ref double l3 = ref Unsafe.Add(ref l2, d);
            var acc0 = TLanes.Zero;
            var acc1 = TLanes.Zero;
            var acc2 = TLanes.Zero;
            var acc3 = TLanes.Zero;
            for (int i = 0; i < d; i++)
            {
                var xi = TLanes.Load(ref x, (nuint)(i * p));
                acc0 = TLanes.MulAdd(xi, TLanes.Create(Unsafe.Add(ref l0, i)), acc0);
                acc1 = TLanes.MulAdd(xi, TLanes.Create(Unsafe.Add(ref l1, i)), acc1);
                acc2 = TLanes.MulAdd(xi, TLanes.Create(Unsafe.Add(ref l2, i)), acc2);
                acc3 = TLanes.MulAdd(xi, TLanes.Create(Unsafe.Add(ref l3, i)), acc3);
            }

            TLanes.Store(acc0 + TLanes.Create(_constants[k]), ref output, (nuint)(k * p));
            TLanes.Store(acc1 + TLanes.Create(_constants[k + 1]), ref output, (nuint)((k + 1) * p));
            TLanes.Store(acc2 + TLanes.Create(_constants[k + 2]), ref output, (nuint)((k + 2) * p));
            TLanes.Store(acc3 + TLanes.Create(_constants[k + 3]), ref output, (nuint)((k + 3) * p));
        }

        for (; k < _k; k++)
        {
            ref double l = ref Unsafe.Add(ref logOdds, k * d);
            var acc = TLanes.Zero;
            for (int i = 0; i < d; i++)
            {
                acc = TLanes.MulAdd(TLanes.Load(ref x, (nuint)(i * p)), TLanes.Create(Unsafe.Add(ref l, i)), acc);
            }

            TLanes.Store(acc + TLanes.Create(_constants[k]), ref output, (nuint)(k * p));
        }
    }

    /// <summary>
    /// countsA[j] += Σₙ a[n]·x_jn and countsB[j] += Σₙ b[n]·x_jn for the four columns at <paramref name="x0"/> (rows of
    /// p): half of a tile of the four-component <c>WeightedCounts</c>, with the same sum for each entry.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CountsOfPair(ref double x0, int p, ref double a, ref double b, Span<double> countsA, Span<double> countsB)
    {
        ref double x1 = ref Unsafe.Add(ref x0, p);
        ref double x2 = ref Unsafe.Add(ref x1, p);
        ref double x3 = ref Unsafe.Add(ref x2, p);
        var s00 = TLanes.Zero;
        var s01 = TLanes.Zero;
        var s02 = TLanes.Zero;
        var s03 = TLanes.Zero;
        var s10 = TLanes.Zero;
        var s11 = TLanes.Zero;
        var s12 = TLanes.Zero;
        var s13 = TLanes.Zero;
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var c0 = TLanes.Load(ref x0, n);
            var c1 = TLanes.Load(ref x1, n);
            var c2 = TLanes.Load(ref x2, n);
            var c3 = TLanes.Load(ref x3, n);
            var w = TLanes.Load(ref a, n);
            s00 = TLanes.MulAdd(w, c0, s00);
            s01 = TLanes.MulAdd(w, c1, s01);
            s02 = TLanes.MulAdd(w, c2, s02);
            s03 = TLanes.MulAdd(w, c3, s03);
            w = TLanes.Load(ref b, n);
            s10 = TLanes.MulAdd(w, c0, s10);
            s11 = TLanes.MulAdd(w, c1, s11);
            s12 = TLanes.MulAdd(w, c2, s12);
            s13 = TLanes.MulAdd(w, c3, s13);
        }

        Simd.AddTo(countsA, TLanes.SumEach(s00, s01, s02, s03));
        Simd.AddTo(countsB, TLanes.SumEach(s10, s11, s12, s13));
    }

    /// <summary>
    /// counts_j[d] += Σₙ w_j[n]·x_nd for four components j over the p rows of the transposed piece: tiles of four
    /// components × four columns, sixteen vector sums reduced across lanes at the end of the piece.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WeightedCounts(ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> w0, ReadOnlySpan<double> w1, ReadOnlySpan<double> w2, ReadOnlySpan<double> w3, Span<double> counts0, Span<double> counts1, Span<double> counts2, Span<double> counts3)
    {
        int d = _d;
        ref double x = ref MemoryMarshal.GetReference(columns);
        ref double r0 = ref MemoryMarshal.GetReference(w0);
        ref double r1 = ref MemoryMarshal.GetReference(w1);
        ref double r2 = ref MemoryMarshal.GetReference(w2);
        ref double r3 = ref MemoryMarshal.GetReference(w3);
        int i = 0;
        if (TLanes.Count == 4)
        {
            // Sixteen sums, four columns and a weight need more than AVX2's 16 registers: two components at a time.
            for (; i + 4 <= d; i += 4)
            {
                ref double xi = ref Unsafe.Add(ref x, i * p);
                CountsOfPair(ref xi, p, ref r0, ref r1, counts0.Slice(i, 4), counts1.Slice(i, 4));
                CountsOfPair(ref xi, p, ref r2, ref r3, counts2.Slice(i, 4), counts3.Slice(i, 4));
            }
        }

        for (; i + 4 <= d; i += 4)
        {
            ref double x0 = ref Unsafe.Add(ref x, i * p);
            ref double x1 = ref Unsafe.Add(ref x0, p);
            ref double x2 = ref Unsafe.Add(ref x1, p);
            ref double x3 = ref Unsafe.Add(ref x2, p);
            var s00 = TLanes.Zero;
            var s01 = TLanes.Zero;
            var s02 = TLanes.Zero;
            var s03 = TLanes.Zero;
            var s10 = TLanes.Zero;
            var s11 = TLanes.Zero;
            var s12 = TLanes.Zero;
            var s13 = TLanes.Zero;
            var s20 = TLanes.Zero;
            var s21 = TLanes.Zero;
            var s22 = TLanes.Zero;
            var s23 = TLanes.Zero;
            var s30 = TLanes.Zero;
            var s31 = TLanes.Zero;
            var s32 = TLanes.Zero;
            var s33 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var a0 = TLanes.Load(ref x0, (nuint)(n));
                var a1 = TLanes.Load(ref x1, (nuint)(n));
                var a2 = TLanes.Load(ref x2, (nuint)(n));
                var a3 = TLanes.Load(ref x3, (nuint)(n));
                var b = TLanes.Load(ref r0, (nuint)(n));
                s00 = TLanes.MulAdd(b, a0, s00);
                s01 = TLanes.MulAdd(b, a1, s01);
                s02 = TLanes.MulAdd(b, a2, s02);
                s03 = TLanes.MulAdd(b, a3, s03);
                b = TLanes.Load(ref r1, (nuint)(n));
                s10 = TLanes.MulAdd(b, a0, s10);
                s11 = TLanes.MulAdd(b, a1, s11);
                s12 = TLanes.MulAdd(b, a2, s12);
                s13 = TLanes.MulAdd(b, a3, s13);
                b = TLanes.Load(ref r2, (nuint)(n));
                s20 = TLanes.MulAdd(b, a0, s20);
                s21 = TLanes.MulAdd(b, a1, s21);
                s22 = TLanes.MulAdd(b, a2, s22);
                s23 = TLanes.MulAdd(b, a3, s23);
                b = TLanes.Load(ref r3, (nuint)(n));
                s30 = TLanes.MulAdd(b, a0, s30);
                s31 = TLanes.MulAdd(b, a1, s31);
                s32 = TLanes.MulAdd(b, a2, s32);
                s33 = TLanes.MulAdd(b, a3, s33);
            }

            Simd.AddTo(counts0.Slice(i, 4), TLanes.SumEach(s00, s01, s02, s03));
            Simd.AddTo(counts1.Slice(i, 4), TLanes.SumEach(s10, s11, s12, s13));
            Simd.AddTo(counts2.Slice(i, 4), TLanes.SumEach(s20, s21, s22, s23));
            Simd.AddTo(counts3.Slice(i, 4), TLanes.SumEach(s30, s31, s32, s33));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var s0 = TLanes.Zero;
            var s1 = TLanes.Zero;
            var s2 = TLanes.Zero;
            var s3 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var a = TLanes.Load(ref xi, (nuint)(n));
                s0 = TLanes.MulAdd(TLanes.Load(ref r0, (nuint)(n)), a, s0);
                s1 = TLanes.MulAdd(TLanes.Load(ref r1, (nuint)(n)), a, s1);
                s2 = TLanes.MulAdd(TLanes.Load(ref r2, (nuint)(n)), a, s2);
                s3 = TLanes.MulAdd(TLanes.Load(ref r3, (nuint)(n)), a, s3);
            }

            counts0[i] += TLanes.Sum(s0);
            counts1[i] += TLanes.Sum(s1);
            counts2[i] += TLanes.Sum(s2);
            counts3[i] += TLanes.Sum(s3);
        }
    }

    /// <summary>counts[d] += Σₙ weights[n]·x_nd for one component: four columns at a time, reduced across lanes at the end of the piece.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WeightedCounts(ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> weights, Span<double> counts)
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
            var s0 = TLanes.Zero;
            var s1 = TLanes.Zero;
            var s2 = TLanes.Zero;
            var s3 = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                var wn = TLanes.Load(ref w, (nuint)(n));
                s0 = TLanes.MulAdd(wn, TLanes.Load(ref x0, (nuint)(n)), s0);
                s1 = TLanes.MulAdd(wn, TLanes.Load(ref x1, (nuint)(n)), s1);
                s2 = TLanes.MulAdd(wn, TLanes.Load(ref x2, (nuint)(n)), s2);
                s3 = TLanes.MulAdd(wn, TLanes.Load(ref x3, (nuint)(n)), s3);
            }

            Simd.AddTo(counts.Slice(i, 4), TLanes.SumEach(s0, s1, s2, s3));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var s = TLanes.Zero;
            for (int n = 0; n < p; n += TLanes.Count)
            {
                s = TLanes.MulAdd(TLanes.Load(ref w, (nuint)(n)), TLanes.Load(ref xi, (nuint)(n)), s);
            }

            counts[i] += TLanes.Sum(s);
        }
    }
}
