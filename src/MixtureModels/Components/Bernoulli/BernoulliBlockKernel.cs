using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// The fused E+M pass of Bernoulli components on a block, for all K components at once, with 512-bit vectors across
/// rows, as <see cref="Gaussian.DiagonalBlockKernel"/> does for diagonal Gaussians. The block is transposed piece by piece into
/// column-major scratch (<see cref="ColumnPieces"/>), so that a vector holds one column of eight consecutive rows. The
/// joint log-densities log π_k + Σ_d log(1 − φ_kd) + Σ_d x_d·logit_kd are then a small GEMM of the piece with the K × D
/// log-odds, eight rows and four components at a time, with no horizontal sums; after the E-step the weighted counts
/// c_kd += Σₙ rₙₖ·xₙd are another, of the responsibilities with the same cached columns, in register tiles of four
/// components × four columns summed lane by lane and reduced across lanes once per piece. Only built where 512-bit
/// vectors are hardware-accelerated (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the engine keeps the
/// per-component kernels (<see cref="BernoulliKernel"/>).
/// </summary>
internal sealed class BernoulliBlockKernel : IBlockKernel<BernoulliComponent, BernoulliStatistics>, IColumnPieceKernel<BernoulliStatistics>
{
    private const int Lanes = 8;

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
        ColumnPieces.Accumulate(this, rows, count, rowWeights, logLikelihood, statistics);

    /// <inheritdoc />
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        ColumnPieces.JointLogDensity(this, rows, count, logProb, stride);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IColumnPieceDensities.LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination)
    {
        for (int g = 0; g < p; g += Lanes)
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
            return statistics.AddBlockWeight(BlockVectorMath.Sum(weights));
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
            var acc0 = Vector512<double>.Zero;
            var acc1 = Vector512<double>.Zero;
            var acc2 = Vector512<double>.Zero;
            var acc3 = Vector512<double>.Zero;
            for (int i = 0; i < d; i++)
            {
                var xi = Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p));
                acc0 = Avx512F.FusedMultiplyAdd(xi, Vector512.Create(Unsafe.Add(ref l0, i)), acc0);
                acc1 = Avx512F.FusedMultiplyAdd(xi, Vector512.Create(Unsafe.Add(ref l1, i)), acc1);
                acc2 = Avx512F.FusedMultiplyAdd(xi, Vector512.Create(Unsafe.Add(ref l2, i)), acc2);
                acc3 = Avx512F.FusedMultiplyAdd(xi, Vector512.Create(Unsafe.Add(ref l3, i)), acc3);
            }

            (acc0 + Vector512.Create(_constants[k])).StoreUnsafe(ref Unsafe.Add(ref output, k * p));
            (acc1 + Vector512.Create(_constants[k + 1])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 1) * p));
            (acc2 + Vector512.Create(_constants[k + 2])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 2) * p));
            (acc3 + Vector512.Create(_constants[k + 3])).StoreUnsafe(ref Unsafe.Add(ref output, (k + 3) * p));
        }

        for (; k < _k; k++)
        {
            ref double l = ref Unsafe.Add(ref logOdds, k * d);
            var acc = Vector512<double>.Zero;
            for (int i = 0; i < d; i++)
            {
                acc = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref x, i * p)), Vector512.Create(Unsafe.Add(ref l, i)), acc);
            }

            (acc + Vector512.Create(_constants[k])).StoreUnsafe(ref Unsafe.Add(ref output, k * p));
        }
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
        for (; i + 4 <= d; i += 4)
        {
            ref double x0 = ref Unsafe.Add(ref x, i * p);
            ref double x1 = ref Unsafe.Add(ref x0, p);
            ref double x2 = ref Unsafe.Add(ref x1, p);
            ref double x3 = ref Unsafe.Add(ref x2, p);
            var s00 = Vector512<double>.Zero;
            var s01 = Vector512<double>.Zero;
            var s02 = Vector512<double>.Zero;
            var s03 = Vector512<double>.Zero;
            var s10 = Vector512<double>.Zero;
            var s11 = Vector512<double>.Zero;
            var s12 = Vector512<double>.Zero;
            var s13 = Vector512<double>.Zero;
            var s20 = Vector512<double>.Zero;
            var s21 = Vector512<double>.Zero;
            var s22 = Vector512<double>.Zero;
            var s23 = Vector512<double>.Zero;
            var s30 = Vector512<double>.Zero;
            var s31 = Vector512<double>.Zero;
            var s32 = Vector512<double>.Zero;
            var s33 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var a0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x0, n));
                var a1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x1, n));
                var a2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x2, n));
                var a3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref x3, n));
                var b = Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, n));
                s00 = Avx512F.FusedMultiplyAdd(b, a0, s00);
                s01 = Avx512F.FusedMultiplyAdd(b, a1, s01);
                s02 = Avx512F.FusedMultiplyAdd(b, a2, s02);
                s03 = Avx512F.FusedMultiplyAdd(b, a3, s03);
                b = Vector512.LoadUnsafe(ref Unsafe.Add(ref r1, n));
                s10 = Avx512F.FusedMultiplyAdd(b, a0, s10);
                s11 = Avx512F.FusedMultiplyAdd(b, a1, s11);
                s12 = Avx512F.FusedMultiplyAdd(b, a2, s12);
                s13 = Avx512F.FusedMultiplyAdd(b, a3, s13);
                b = Vector512.LoadUnsafe(ref Unsafe.Add(ref r2, n));
                s20 = Avx512F.FusedMultiplyAdd(b, a0, s20);
                s21 = Avx512F.FusedMultiplyAdd(b, a1, s21);
                s22 = Avx512F.FusedMultiplyAdd(b, a2, s22);
                s23 = Avx512F.FusedMultiplyAdd(b, a3, s23);
                b = Vector512.LoadUnsafe(ref Unsafe.Add(ref r3, n));
                s30 = Avx512F.FusedMultiplyAdd(b, a0, s30);
                s31 = Avx512F.FusedMultiplyAdd(b, a1, s31);
                s32 = Avx512F.FusedMultiplyAdd(b, a2, s32);
                s33 = Avx512F.FusedMultiplyAdd(b, a3, s33);
            }

            Simd.AddTo(counts0.Slice(i, 4), Simd.SumEach(s00, s01, s02, s03));
            Simd.AddTo(counts1.Slice(i, 4), Simd.SumEach(s10, s11, s12, s13));
            Simd.AddTo(counts2.Slice(i, 4), Simd.SumEach(s20, s21, s22, s23));
            Simd.AddTo(counts3.Slice(i, 4), Simd.SumEach(s30, s31, s32, s33));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var s0 = Vector512<double>.Zero;
            var s1 = Vector512<double>.Zero;
            var s2 = Vector512<double>.Zero;
            var s3 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var a = Vector512.LoadUnsafe(ref Unsafe.Add(ref xi, n));
                s0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref r0, n)), a, s0);
                s1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref r1, n)), a, s1);
                s2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref r2, n)), a, s2);
                s3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref r3, n)), a, s3);
            }

            counts0[i] += Vector512.Sum(s0);
            counts1[i] += Vector512.Sum(s1);
            counts2[i] += Vector512.Sum(s2);
            counts3[i] += Vector512.Sum(s3);
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
            var s0 = Vector512<double>.Zero;
            var s1 = Vector512<double>.Zero;
            var s2 = Vector512<double>.Zero;
            var s3 = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                var wn = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, n));
                s0 = Avx512F.FusedMultiplyAdd(wn, Vector512.LoadUnsafe(ref Unsafe.Add(ref x0, n)), s0);
                s1 = Avx512F.FusedMultiplyAdd(wn, Vector512.LoadUnsafe(ref Unsafe.Add(ref x1, n)), s1);
                s2 = Avx512F.FusedMultiplyAdd(wn, Vector512.LoadUnsafe(ref Unsafe.Add(ref x2, n)), s2);
                s3 = Avx512F.FusedMultiplyAdd(wn, Vector512.LoadUnsafe(ref Unsafe.Add(ref x3, n)), s3);
            }

            Simd.AddTo(counts.Slice(i, 4), Simd.SumEach(s0, s1, s2, s3));
        }

        for (; i < d; i++)
        {
            ref double xi = ref Unsafe.Add(ref x, i * p);
            var s = Vector512<double>.Zero;
            for (int n = 0; n < p; n += Lanes)
            {
                s = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref Unsafe.Add(ref w, n)), Vector512.LoadUnsafe(ref Unsafe.Add(ref xi, n)), s);
            }

            counts[i] += Vector512.Sum(s);
        }
    }
}
