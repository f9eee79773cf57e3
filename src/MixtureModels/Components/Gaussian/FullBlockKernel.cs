using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// The fused E+M pass of full (or tied) covariance Gaussians on a block, for all K components at once, with 512-bit
/// vectors across rows. The block is transposed into column-major scratch (a vector holds one column of eight
/// consecutive rows), as in <see cref="DiagonalBlockKernel"/>. The quadratic forms ‖(x − μ)ᵀP‖² are then a small
/// triangular GEMM whose register tile is 16 rows × 8 columns of y = (x − μ)ᵀP, fed by broadcasts of P, with the
/// diagonal blocks of P walked as triangles; the squares of y add up lane by lane, so the forms of eight rows come out
/// in one vector with no horizontal sums. The scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ goes band by band of four columns: the
/// diagonal 4 × 4 tile stores the band's weighted centred columns, which the tiles right of it read, and every tile sums
/// its products over the rows lane by lane (centring the other factor in registers), reduced across lanes once per
/// piece. A block of up to 256 rows is one piece where its scratch fits the budget, so that these reductions and the
/// per-tile set-up are paid once per block and component. Only built where 512-bit vectors are hardware-accelerated
/// (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the engine keeps the per-component kernels.
/// </summary>
internal sealed class FullBlockKernel : IBlockKernel<GaussianComponent, GaussianStatistics>, IColumnPieceDensities, IFetchAheadKernel<GaussianStatistics>
{
    private const int Lanes = 8;
    private const int TileRows = 2 * Lanes; // rows of a quadratic-form tile
    private const int Columns = 8;          // columns of y in a quadratic-form tile
    private const int PieceBudget = 8192;   // doubles of scratch per piece (64 KB): transposed columns, responsibilities and one band of weighted columns
    private const int Skew = 40;            // doubles (320 bytes, whole cache lines) between scratch regions, against 4K aliasing

    [ThreadStatic]
    private static double[]? t_piece;      // a piece's transposed and weighted columns, responsibilities and reference point

    private readonly int _d;
    private readonly int _k;
    private readonly int _dc;              // D rounded up to whole tiles of columns: the row stride of _factors
    private readonly int _d4;              // D rounded up to a multiple of 4: the rows of the scatter tiles
    private readonly double[] _means;      // K × D
    private readonly double[] _factors;    // K × D × _dc: the precision Cholesky factors P, zero right of column D
    private readonly double[] _constants;  // K: log π_k + the log-density at the mean
    private readonly int _pieceRows;       // most rows processed together, a multiple of TileRows

    /// <summary>Creates the kernel for K components of dimension D.</summary>
    /// <param name="dimension">D.</param>
    /// <param name="componentCount">K.</param>
    public FullBlockKernel(int dimension, int componentCount)
    {
        _d = dimension;
        _k = componentCount;
        _dc = (dimension + Columns - 1) / Columns * Columns;
        _d4 = (dimension + 3) / 4 * 4;
        _means = new double[componentCount * dimension];
        _factors = new double[componentCount * dimension * _dc];
        _constants = new double[componentCount];
        _pieceRows = Math.Clamp(PieceBudget / (_d4 + componentCount + 4) / TileRows * TileRows, TileRows, 256);
    }

    /// <inheritdoc />
    public bool Prepare(IReadOnlyList<GaussianComponent> components, ReadOnlySpan<double> logWeights)
    {
        if (components.Count != _k || logWeights.Length != _k)
        {
            return false;
        }

        int d = _d;
        for (int k = 0; k < _k; k++)
        {
            if (components[k] is not FullGaussian component || component.Dimension != d)
            {
                return false;
            }

            var factor = component.PrecisionCholeskySpan;
            var target = _factors.AsSpan(k * d * _dc, d * _dc);
            for (int i = 0; i < d; i++)
            {
                factor.Slice(i * d, d).CopyTo(target.Slice(i * _dc, d));
            }

            component.Mean.CopyTo(_means.AsSpan(k * d, d));
            _constants[k] = (-0.5 * d * GaussianComponent.LogTwoPi) + component.LogDeterminantPrecisionCholesky + logWeights[k];
        }

        return true;
    }

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<GaussianStatistics> statistics) =>
        Accumulate(rows, count, rowWeights, logLikelihood, statistics, default);

    /// <inheritdoc />
    /// <remarks>The next rows are fetched in equal parts after each component's quadratic forms.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<GaussianStatistics> statistics, ReadOnlySpan<double> next)
    {
        int pieceRows = PieceRows(count);
        var ahead = new FetchAhead(next, ((count + pieceRows - 1) / pieceRows) * _k);
        for (int start = 0; start < count; start += pieceRows)
        {
            int rowCount = Math.Min(pieceRows, count - start);
            AccumulatePiece(rows.Slice(start * _d, rowCount * _d), rowCount, rowWeights.IsEmpty ? default : rowWeights.Slice(start, rowCount), logLikelihood.Slice(start, rowCount), statistics, ref ahead);
        }
    }

    /// <inheritdoc />
    /// <remarks>Through <see cref="ColumnPieces"/>, in pieces of nearly equal size padded to whole quadratic-form tiles.</remarks>
    public void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride) =>
        ColumnPieces.JointLogDensity(this, rows, count, logProb, stride, PieceRows(count), TileRows);

    /// <inheritdoc />
    int IColumnPieceDensities.Dimension => _d;

    /// <inheritdoc />
    int IColumnPieceDensities.ComponentCount => _k;

    /// <inheritdoc />
    void IColumnPieceDensities.LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination)
    {
        var none = default(FetchAhead);
        LogDensities(columns, p, destination, ref none);
    }

    /// <summary>count rounded up to whole quadratic-form tiles of rows.</summary>
    private static int Padded(int count) => (count + TileRows - 1) / TileRows * TileRows;

    /// <summary>The rows per piece for a block of <paramref name="count"/> rows: pieces of nearly equal size, each at most <see cref="_pieceRows"/>.</summary>
    private int PieceRows(int count)
    {
        int pieces = Math.Max(1, (count + _pieceRows - 1) / _pieceRows);
        return Padded((count + pieces - 1) / pieces);
    }

    /// <summary><see cref="Accumulate(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double}, ReadOnlySpan{GaussianStatistics}, ReadOnlySpan{double})"/> on at most <see cref="_pieceRows"/> rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AccumulatePiece(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<GaussianStatistics> statistics, ref FetchAhead ahead)
    {
        int p = Padded(count);
        // The transposed columns are padded with zero rows to a multiple of 4 for the scatter tiles. The weighted columns
        // start Skew doubles off them, so that the stores to them do not fall on the addresses of the loads modulo 4 KB
        // (a false dependence in the load-store unit, "4K aliasing").
        var scratch = ScratchBuffer.Get(ref t_piece, ((_d4 + _k + 4) * p) + Skew + _d4 + (_d4 * _d4));
        var columns = scratch[..(_d4 * p)];
        var responsibilities = scratch.Slice(_d4 * p, _k * p);
        var weighted = scratch.Slice(((_d4 + _k) * p) + Skew, 4 * p); // one band of four weighted centred columns
        var reference = scratch.Slice(((_d4 + _k + 4) * p) + Skew, _d4); // a component's reference point, zero past D
        var tiles = scratch.Slice(((_d4 + _k + 4) * p) + Skew + _d4, _d4 * _d4); // a component's scatter of the piece
        reference.Clear();
        BlockVectorMath.Transpose(rows, count, _d, columns, p);
        columns[(_d * p)..].Clear();
        LogDensities(columns, p, responsibilities, ref ahead);

        BlockVectorMath.NormalizeBlock(responsibilities, _k, p, count, rowWeights, logLikelihood);

        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            double total = BlockVectorMath.Sum(weights);
            if (total == 0)
            {
                continue; // as GaussianStatistics.Accumulate: a block without weight adds nothing
            }

            var target = statistics[k] as FullScatterStatistics;
            if (target is null || target.Reference.IsEmpty)
            {
                statistics[k].Accumulate(rows[..(count * _d)], weights[..count]); // not centred yet: the general path sets the reference
                continue;
            }

            var sum = target.AddBlockWeight(total, out var scatter);
            target.Reference.CopyTo(reference);
            Scatter(columns, weights, reference, p, weighted, tiles, scatter, sum);
        }
    }

    /// <summary>destination[k·p + n] = log π_k + log p(xₙ | θ_k) for the p rows of the transposed block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LogDensities(ReadOnlySpan<double> columns, int p, Span<double> destination, ref FetchAhead ahead)
    {
        for (int k = 0; k < _k; k++)
        {
            for (int g = 0; g < p; g += TileRows)
            {
                QuadraticFormTile(columns, p, g, k, destination);
            }

            ahead.Step();
        }
    }

    /// <summary>
    /// destination[k·p + g ..] for the 16 rows g.. of the transposed block: q = Σ_j (Σ_{i ≤ j} (x_i − μ_i)·P_ij)², summed
    /// over i in increasing order as the per-component kernel does, then log π_k + log N = constant_k − q/2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void QuadraticFormTile(ReadOnlySpan<double> columns, int p, int g, int k, Span<double> destination)
    {
        int d = _d, dc = _dc;
        ref double xg = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double m = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_means), k * d);
        ref double pk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_factors), k * d * dc);
        var qa = Vector512<double>.Zero;
        var qb = Vector512<double>.Zero;
        for (int j0 = 0; j0 < d; j0 += Columns)
        {
            var ya0 = Vector512<double>.Zero;
            var ya1 = Vector512<double>.Zero;
            var ya2 = Vector512<double>.Zero;
            var ya3 = Vector512<double>.Zero;
            var ya4 = Vector512<double>.Zero;
            var ya5 = Vector512<double>.Zero;
            var ya6 = Vector512<double>.Zero;
            var ya7 = Vector512<double>.Zero;
            var yb0 = Vector512<double>.Zero;
            var yb1 = Vector512<double>.Zero;
            var yb2 = Vector512<double>.Zero;
            var yb3 = Vector512<double>.Zero;
            var yb4 = Vector512<double>.Zero;
            var yb5 = Vector512<double>.Zero;
            var yb6 = Vector512<double>.Zero;
            var yb7 = Vector512<double>.Zero;

            // Rows of P above the diagonal block: all eight columns.
            for (int i = 0; i < j0; i++)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, i));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, i * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (i * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref pk, (i * dc) + j0);
                var p0 = Vector512.Create(pr);
                ya0 = Avx512F.FusedMultiplyAdd(xa, p0, ya0);
                yb0 = Avx512F.FusedMultiplyAdd(xb, p0, yb0);
                var p1 = Vector512.Create(Unsafe.Add(ref pr, 1));
                ya1 = Avx512F.FusedMultiplyAdd(xa, p1, ya1);
                yb1 = Avx512F.FusedMultiplyAdd(xb, p1, yb1);
                var p2 = Vector512.Create(Unsafe.Add(ref pr, 2));
                ya2 = Avx512F.FusedMultiplyAdd(xa, p2, ya2);
                yb2 = Avx512F.FusedMultiplyAdd(xb, p2, yb2);
                var p3 = Vector512.Create(Unsafe.Add(ref pr, 3));
                ya3 = Avx512F.FusedMultiplyAdd(xa, p3, ya3);
                yb3 = Avx512F.FusedMultiplyAdd(xb, p3, yb3);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            // The diagonal 8 × 8 block of P: row j0 + t has non-zero entries in columns t.. only.
            ref double td = ref Unsafe.Add(ref pk, (j0 * dc) + j0);
            int rowsHere = Math.Min(Columns, d - j0);
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 0 * dc);
                var p0 = Vector512.Create(pr);
                ya0 = Avx512F.FusedMultiplyAdd(xa, p0, ya0);
                yb0 = Avx512F.FusedMultiplyAdd(xb, p0, yb0);
                var p1 = Vector512.Create(Unsafe.Add(ref pr, 1));
                ya1 = Avx512F.FusedMultiplyAdd(xa, p1, ya1);
                yb1 = Avx512F.FusedMultiplyAdd(xb, p1, yb1);
                var p2 = Vector512.Create(Unsafe.Add(ref pr, 2));
                ya2 = Avx512F.FusedMultiplyAdd(xa, p2, ya2);
                yb2 = Avx512F.FusedMultiplyAdd(xb, p2, yb2);
                var p3 = Vector512.Create(Unsafe.Add(ref pr, 3));
                ya3 = Avx512F.FusedMultiplyAdd(xa, p3, ya3);
                yb3 = Avx512F.FusedMultiplyAdd(xb, p3, yb3);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 1)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 1));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 1) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 1) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 1 * dc);
                var p1 = Vector512.Create(Unsafe.Add(ref pr, 1));
                ya1 = Avx512F.FusedMultiplyAdd(xa, p1, ya1);
                yb1 = Avx512F.FusedMultiplyAdd(xb, p1, yb1);
                var p2 = Vector512.Create(Unsafe.Add(ref pr, 2));
                ya2 = Avx512F.FusedMultiplyAdd(xa, p2, ya2);
                yb2 = Avx512F.FusedMultiplyAdd(xb, p2, yb2);
                var p3 = Vector512.Create(Unsafe.Add(ref pr, 3));
                ya3 = Avx512F.FusedMultiplyAdd(xa, p3, ya3);
                yb3 = Avx512F.FusedMultiplyAdd(xb, p3, yb3);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 2)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 2));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 2) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 2) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 2 * dc);
                var p2 = Vector512.Create(Unsafe.Add(ref pr, 2));
                ya2 = Avx512F.FusedMultiplyAdd(xa, p2, ya2);
                yb2 = Avx512F.FusedMultiplyAdd(xb, p2, yb2);
                var p3 = Vector512.Create(Unsafe.Add(ref pr, 3));
                ya3 = Avx512F.FusedMultiplyAdd(xa, p3, ya3);
                yb3 = Avx512F.FusedMultiplyAdd(xb, p3, yb3);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 3)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 3));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 3) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 3) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 3 * dc);
                var p3 = Vector512.Create(Unsafe.Add(ref pr, 3));
                ya3 = Avx512F.FusedMultiplyAdd(xa, p3, ya3);
                yb3 = Avx512F.FusedMultiplyAdd(xb, p3, yb3);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 4)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 4));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 4) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 4) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 4 * dc);
                var p4 = Vector512.Create(Unsafe.Add(ref pr, 4));
                ya4 = Avx512F.FusedMultiplyAdd(xa, p4, ya4);
                yb4 = Avx512F.FusedMultiplyAdd(xb, p4, yb4);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 5)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 5));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 5) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 5) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 5 * dc);
                var p5 = Vector512.Create(Unsafe.Add(ref pr, 5));
                ya5 = Avx512F.FusedMultiplyAdd(xa, p5, ya5);
                yb5 = Avx512F.FusedMultiplyAdd(xb, p5, yb5);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 6)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 6));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 6) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 6) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 6 * dc);
                var p6 = Vector512.Create(Unsafe.Add(ref pr, 6));
                ya6 = Avx512F.FusedMultiplyAdd(xa, p6, ya6);
                yb6 = Avx512F.FusedMultiplyAdd(xb, p6, yb6);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            if (rowsHere > 7)
            {
                var mi = Vector512.Create(Unsafe.Add(ref m, j0 + 7));
                var xa = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, (j0 + 7) * p)) - mi;
                var xb = Vector512.LoadUnsafe(ref Unsafe.Add(ref xg, ((j0 + 7) * p) + Lanes)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 7 * dc);
                var p7 = Vector512.Create(Unsafe.Add(ref pr, 7));
                ya7 = Avx512F.FusedMultiplyAdd(xa, p7, ya7);
                yb7 = Avx512F.FusedMultiplyAdd(xb, p7, yb7);
            }

            // Columns past D hold zeros of P: their y is 0 and adds nothing.
            qa = Avx512F.FusedMultiplyAdd(ya0, ya0, qa);
            qb = Avx512F.FusedMultiplyAdd(yb0, yb0, qb);
            qa = Avx512F.FusedMultiplyAdd(ya1, ya1, qa);
            qb = Avx512F.FusedMultiplyAdd(yb1, yb1, qb);
            qa = Avx512F.FusedMultiplyAdd(ya2, ya2, qa);
            qb = Avx512F.FusedMultiplyAdd(yb2, yb2, qb);
            qa = Avx512F.FusedMultiplyAdd(ya3, ya3, qa);
            qb = Avx512F.FusedMultiplyAdd(yb3, yb3, qb);
            qa = Avx512F.FusedMultiplyAdd(ya4, ya4, qa);
            qb = Avx512F.FusedMultiplyAdd(yb4, yb4, qb);
            qa = Avx512F.FusedMultiplyAdd(ya5, ya5, qa);
            qb = Avx512F.FusedMultiplyAdd(yb5, yb5, qb);
            qa = Avx512F.FusedMultiplyAdd(ya6, ya6, qa);
            qb = Avx512F.FusedMultiplyAdd(yb6, yb6, qb);
            qa = Avx512F.FusedMultiplyAdd(ya7, ya7, qa);
            qb = Avx512F.FusedMultiplyAdd(yb7, yb7, qb);
        }

        var minusHalf = Vector512.Create(-0.5);
        var constant = Vector512.Create(_constants[k]);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), (k * p) + g);
        Avx512F.FusedMultiplyAdd(minusHalf, qa, constant).StoreUnsafe(ref output);
        Avx512F.FusedMultiplyAdd(minusHalf, qb, constant).StoreUnsafe(ref Unsafe.Add(ref output, Lanes));
    }

    /// <summary>
    /// scatter[i·D + j] += Σₙ wₙ(x_in − a_i)(x_jn − a_j) for i ≤ j &lt; D and sum[i] += Σₙ wₙ(x_in − a_i). First the
    /// weighted centred columns wₙ(x_in − a_i) of the piece are stored in <paramref name="weighted"/> (with their sums);
    /// then the upper triangle of 4 × 4 tiles is summed lane by lane over the p rows, centring the other factor in
    /// registers, each tile reduced across lanes once. When D is a multiple of 4 the tiles add their sums straight into
    /// the statistics' scatter; otherwise they are stored in <paramref name="tiles"/> (d4 × d4), whose upper triangle is
    /// then added to the statistics. Either way every entry of the scatter gets the same one addition of the same sum.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Scatter(ReadOnlySpan<double> columns, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, int p, Span<double> weighted, Span<double> tiles, Span<double> scatter, Span<double> sum)
    {
        int d = _d, d4 = _d4;
        ref double x = ref MemoryMarshal.GetReference(columns);
        ref double w = ref MemoryMarshal.GetReference(weights);
        ref double wc = ref MemoryMarshal.GetReference(weighted);
        ref double a = ref MemoryMarshal.GetReference(reference);
        bool direct = d == d4;
        ref double t = ref direct ? ref MemoryMarshal.GetReference(scatter) : ref MemoryMarshal.GetReference(tiles);
        for (int i0 = 0; i0 < d4; i0 += 4)
        {
            ref double diagonal = ref Unsafe.Add(ref t, (i0 * d4) + i0);
            var sums = DiagonalTile(ref w, ref Unsafe.Add(ref x, i0 * p), ref Unsafe.Add(ref a, i0), p, ref wc, ref diagonal, d4, direct);
            for (int r = 0; r < 4 && i0 + r < d; r++)
            {
                sum[i0 + r] += sums.GetElement(r);
            }

            for (int j0 = i0 + 4; j0 < d4; j0 += 4)
            {
                OffDiagonalTile(ref wc, ref Unsafe.Add(ref x, j0 * p), ref Unsafe.Add(ref a, j0), p, ref Unsafe.Add(ref t, (i0 * d4) + j0), d4, direct);
            }
        }

        if (direct)
        {
            return;
        }

        for (int i = 0; i < d; i++)
        {
            ref double from = ref Unsafe.Add(ref t, (i * d4) + i);
            ref double to = ref Unsafe.Add(ref MemoryMarshal.GetReference(scatter), (i * d) + i);
            int length = d - i, j = 0;
            for (; j + 4 <= length; j += 4)
            {
                (Vector256.LoadUnsafe(ref to, (nuint)j) + Vector256.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref to, (nuint)j);
            }

            for (; j < length; j++)
            {
                Unsafe.Add(ref to, j) += Unsafe.Add(ref from, j);
            }
        }
    }

    /// <summary>
    /// The 4 × 4 tile of the scatter at rows i0.. and columns j0.. (j0 &gt; i0), summed over the p rows, from the weighted
    /// centred columns at <paramref name="wi"/> and the columns at <paramref name="xj"/>, centred on
    /// <paramref name="aj"/> in registers; stored at <paramref name="tile"/> (row stride <paramref name="stride"/>), or
    /// added to what is there when <paramref name="add"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OffDiagonalTile(ref double wi, ref double xj, ref double aj, int p, ref double tile, int stride, bool add)
    {
        var a0 = Vector512.Create(aj);
        var a1 = Vector512.Create(Unsafe.Add(ref aj, 1));
        var a2 = Vector512.Create(Unsafe.Add(ref aj, 2));
        var a3 = Vector512.Create(Unsafe.Add(ref aj, 3));
        ref double wr0 = ref wi;
        ref double wr1 = ref Unsafe.Add(ref wi, p);
        ref double wr2 = ref Unsafe.Add(ref wi, 2 * p);
        ref double wr3 = ref Unsafe.Add(ref wi, 3 * p);
        ref double xr0 = ref xj;
        ref double xr1 = ref Unsafe.Add(ref xj, p);
        ref double xr2 = ref Unsafe.Add(ref xj, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xj, 3 * p);
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
        for (nuint n = 0; n < (nuint)p; n += Lanes)
        {
            var c0 = Vector512.LoadUnsafe(ref xr0, n) - a0;
            var c1 = Vector512.LoadUnsafe(ref xr1, n) - a1;
            var c2 = Vector512.LoadUnsafe(ref xr2, n) - a2;
            var c3 = Vector512.LoadUnsafe(ref xr3, n) - a3;
            var w0 = Vector512.LoadUnsafe(ref wr0, n);
            s00 = Avx512F.FusedMultiplyAdd(w0, c0, s00);
            s01 = Avx512F.FusedMultiplyAdd(w0, c1, s01);
            s02 = Avx512F.FusedMultiplyAdd(w0, c2, s02);
            s03 = Avx512F.FusedMultiplyAdd(w0, c3, s03);
            var w1 = Vector512.LoadUnsafe(ref wr1, n);
            s10 = Avx512F.FusedMultiplyAdd(w1, c0, s10);
            s11 = Avx512F.FusedMultiplyAdd(w1, c1, s11);
            s12 = Avx512F.FusedMultiplyAdd(w1, c2, s12);
            s13 = Avx512F.FusedMultiplyAdd(w1, c3, s13);
            var w2 = Vector512.LoadUnsafe(ref wr2, n);
            s20 = Avx512F.FusedMultiplyAdd(w2, c0, s20);
            s21 = Avx512F.FusedMultiplyAdd(w2, c1, s21);
            s22 = Avx512F.FusedMultiplyAdd(w2, c2, s22);
            s23 = Avx512F.FusedMultiplyAdd(w2, c3, s23);
            var w3 = Vector512.LoadUnsafe(ref wr3, n);
            s30 = Avx512F.FusedMultiplyAdd(w3, c0, s30);
            s31 = Avx512F.FusedMultiplyAdd(w3, c1, s31);
            s32 = Avx512F.FusedMultiplyAdd(w3, c2, s32);
            s33 = Avx512F.FusedMultiplyAdd(w3, c3, s33);
        }

        StoreTile(
            Simd.SumEach(s00, s01, s02, s03),
            Simd.SumEach(s10, s11, s12, s13),
            Simd.SumEach(s20, s21, s22, s23),
            Simd.SumEach(s30, s31, s32, s33),
            ref tile,
            stride,
            add);
    }

    /// <summary>
    /// The upper triangle of the 4 × 4 tile of the scatter on the diagonal (rows and columns i0..), summed over the p
    /// rows, stored at <paramref name="tile"/> (row stride <paramref name="stride"/>; zero below the diagonal); also
    /// stores the four weighted centred columns wₙ(x_in − a_i) in <paramref name="weighted"/> (rows of p), which the
    /// tiles right of it read, and returns their sums. With <paramref name="add"/>, the tile is added to what is at
    /// <paramref name="tile"/> (+0 below the diagonal, which leaves those values as they are).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> DiagonalTile(ref double w, ref double xi, ref double ai, int p, ref double weighted, ref double tile, int stride, bool add)
    {
        var a0 = Vector512.Create(ai);
        var a1 = Vector512.Create(Unsafe.Add(ref ai, 1));
        var a2 = Vector512.Create(Unsafe.Add(ref ai, 2));
        var a3 = Vector512.Create(Unsafe.Add(ref ai, 3));
        ref double xr0 = ref xi;
        ref double xr1 = ref Unsafe.Add(ref xi, p);
        ref double xr2 = ref Unsafe.Add(ref xi, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xi, 3 * p);
        ref double y0 = ref weighted;
        ref double y1 = ref Unsafe.Add(ref weighted, p);
        ref double y2 = ref Unsafe.Add(ref weighted, 2 * p);
        ref double y3 = ref Unsafe.Add(ref weighted, 3 * p);
        var s00 = Vector512<double>.Zero;
        var s01 = Vector512<double>.Zero;
        var s02 = Vector512<double>.Zero;
        var s03 = Vector512<double>.Zero;
        var s11 = Vector512<double>.Zero;
        var s12 = Vector512<double>.Zero;
        var s13 = Vector512<double>.Zero;
        var s22 = Vector512<double>.Zero;
        var s23 = Vector512<double>.Zero;
        var s33 = Vector512<double>.Zero;
        var t0 = Vector512<double>.Zero;
        var t1 = Vector512<double>.Zero;
        var t2 = Vector512<double>.Zero;
        var t3 = Vector512<double>.Zero;
        for (nuint n = 0; n < (nuint)p; n += Lanes)
        {
            var wn = Vector512.LoadUnsafe(ref w, n);
            var c0 = Vector512.LoadUnsafe(ref xr0, n) - a0;
            var c1 = Vector512.LoadUnsafe(ref xr1, n) - a1;
            var c2 = Vector512.LoadUnsafe(ref xr2, n) - a2;
            var c3 = Vector512.LoadUnsafe(ref xr3, n) - a3;
            var w0 = wn * c0;
            var w1 = wn * c1;
            var w2 = wn * c2;
            var w3 = wn * c3;
            w0.StoreUnsafe(ref y0, n);
            w1.StoreUnsafe(ref y1, n);
            w2.StoreUnsafe(ref y2, n);
            w3.StoreUnsafe(ref y3, n);
            t0 += w0;
            t1 += w1;
            t2 += w2;
            t3 += w3;
            s00 = Avx512F.FusedMultiplyAdd(w0, c0, s00);
            s01 = Avx512F.FusedMultiplyAdd(w0, c1, s01);
            s02 = Avx512F.FusedMultiplyAdd(w0, c2, s02);
            s03 = Avx512F.FusedMultiplyAdd(w0, c3, s03);
            s11 = Avx512F.FusedMultiplyAdd(w1, c1, s11);
            s12 = Avx512F.FusedMultiplyAdd(w1, c2, s12);
            s13 = Avx512F.FusedMultiplyAdd(w1, c3, s13);
            s22 = Avx512F.FusedMultiplyAdd(w2, c2, s22);
            s23 = Avx512F.FusedMultiplyAdd(w2, c3, s23);
            s33 = Avx512F.FusedMultiplyAdd(w3, c3, s33);
        }

        // Below the diagonal the sums are +0 exactly, and x + 0 is x: when adding, the lower triangle keeps its values.
        var zero = Vector512<double>.Zero;
        StoreTile(
            Simd.SumEach(s00, s01, s02, s03),
            Simd.SumEach(zero, s11, s12, s13),
            Simd.SumEach(zero, zero, s22, s23),
            Simd.SumEach(zero, zero, zero, s33),
            ref tile,
            stride,
            add);
        return Simd.SumEach(t0, t1, t2, t3);
    }

    /// <summary>
    /// Stores the four rows of a 4 × 4 tile at <paramref name="tile"/> (row stride <paramref name="stride"/>), or adds
    /// them to what is there when <paramref name="add"/> is set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTile(Vector256<double> r0, Vector256<double> r1, Vector256<double> r2, Vector256<double> r3, ref double tile, int stride, bool add)
    {
        ref double t1 = ref Unsafe.Add(ref tile, stride);
        ref double t2 = ref Unsafe.Add(ref tile, 2 * stride);
        ref double t3 = ref Unsafe.Add(ref tile, 3 * stride);
        if (add)
        {
            r0 += Vector256.LoadUnsafe(ref tile);
            r1 += Vector256.LoadUnsafe(ref t1);
            r2 += Vector256.LoadUnsafe(ref t2);
            r3 += Vector256.LoadUnsafe(ref t3);
        }

        r0.StoreUnsafe(ref tile);
        r1.StoreUnsafe(ref t1);
        r2.StoreUnsafe(ref t2);
        r3.StoreUnsafe(ref t3);
    }

    /// <summary>
    /// Fetches a span into the cache a few lines at a time: the lines are spread evenly over a given number of steps.
    /// </summary>
    private unsafe ref struct FetchAhead
    {
        private readonly ref byte _start;
        private readonly int _perStep; // lines per step
        private int _offset;           // bytes fetched so far, from the line holding the first value
        private readonly int _length;  // bytes to fetch, from the same line

        public FetchAhead(ReadOnlySpan<double> values, int steps)
        {
            if (values.IsEmpty || !Sse.IsSupported)
            {
                return;
            }

            ref byte first = ref Unsafe.As<double, byte>(ref MemoryMarshal.GetReference(values));
            int misalignment = (int)((nuint)Unsafe.AsPointer(ref first) & 63);
            _start = ref Unsafe.Subtract(ref first, misalignment);
            _length = misalignment + (values.Length * sizeof(double));
            int lines = (_length + 63) / 64;
            _perStep = Math.Max(1, (lines + Math.Max(steps, 1) - 1) / Math.Max(steps, 1));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step()
        {
            for (int i = 0; i < _perStep && _offset < _length; i++, _offset += 64)
            {
                Sse.Prefetch1(Unsafe.AsPointer(ref Unsafe.Add(ref _start, _offset)));
            }
        }
    }
}
