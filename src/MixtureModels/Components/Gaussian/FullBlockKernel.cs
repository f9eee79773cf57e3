using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// The fused E+M pass of full (or tied) covariance Gaussians on a block, for all K components at once, with vectors
/// across rows. The block is transposed into column-major scratch (a vector holds one column of as many consecutive rows
/// as it has lanes), as in <see cref="DiagonalBlockKernel{TLanes}"/>. The quadratic forms ‖(x − μ)ᵀP‖² are then a small
/// triangular GEMM whose register tile is two vectors of rows × 8 columns of y = (x − μ)ᵀP with AVX-512's 32 registers
/// (× 4 columns with AVX2's 16), fed by broadcasts of P, with the diagonal blocks of P walked as triangles; the squares
/// of y add up lane by lane, so the forms of a vector of rows come out in one vector with no horizontal sums, and every
/// row gets the same bits at either width. The scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ goes band by band of four columns: the
/// diagonal 4 × 4 tile stores the band's weighted centred columns, which the tiles right of it read, and every tile
/// sums its products over the rows lane by lane (centring the other factor in registers), reduced across lanes once per
/// piece (with AVX2, each tile in two passes of half its entries). A block of up to 256 rows is one piece where its
/// scratch fits the budget, so that these reductions and the per-tile set-up are paid once per block and component.
/// Only built where the vectors are hardware-accelerated (<see cref="BlockVectorMath.IsSupported"/>); elsewhere the
/// engine keeps the per-component kernels.
/// </summary>
/// <typeparam name="TLanes">The vector width: <see cref="Lanes512"/> or <see cref="Lanes256"/>.</typeparam>
internal sealed class FullBlockKernel<TLanes> : IBlockKernel<GaussianComponent, GaussianStatistics>, IColumnPieceDensities, IFetchAheadKernel<GaussianStatistics>
    where TLanes : unmanaged, ILanes<TLanes>
{
    private const int Columns = 8;          // columns of y in a quadratic-form tile with 32 registers (4 with 16)
    private const int PieceBudget = 8192;   // doubles of scratch per piece (64 KB): transposed columns, responsibilities and one band of weighted columns
    private const int Skew = 40;            // doubles (320 bytes, whole cache lines) between scratch regions, against 4K aliasing

    [ThreadStatic]
    private static double[]? t_piece;      // a piece's transposed and weighted columns, responsibilities and reference point

    [ThreadStatic]
    private static double[]? t_centred;    // with AVX2, a quadratic-form tile's rows centred on a component's mean

    private readonly int _d;
    private readonly int _k;
    private readonly int _dc;              // D rounded up to whole tiles of columns: the row stride of _factors
    private readonly int _d4;              // D rounded up to a multiple of 4: the rows of the scatter tiles
    private readonly double[] _means;      // K × D
    private readonly double[] _factors;    // K × D × _dc: the precision Cholesky factors P, zero right of column D
    private readonly double[] _constants;  // K: log π_k + the log-density at the mean
    private readonly int _pieceRows;       // most rows processed together, a multiple of TileRows

    /// <summary>Rows of a quadratic-form tile: two vectors.</summary>
    private static int TileRows => 2 * TLanes.Count;

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
        ColumnPieces.JointLogDensity<TLanes>(this, rows, count, logProb, stride, PieceRows(count), TileRows);

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
        BlockVectorMath.Transpose<TLanes>(rows, count, _d, columns, p);
        columns[(_d * p)..].Clear();
        LogDensities(columns, p, responsibilities, ref ahead);

        BlockVectorMath.NormalizeBlock<TLanes>(responsibilities, _k, p, count, rowWeights, logLikelihood);

        for (int k = 0; k < _k; k++)
        {
            var weights = responsibilities.Slice(k * p, p);
            double total = BlockVectorMath.Sum<TLanes>(weights);
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
        var centred = TLanes.Count == 8 ? default : ScratchBuffer.Get(ref t_centred, 2 * TLanes.Count * _d);
        for (int k = 0; k < _k; k++)
        {
            for (int g = 0; g < p; g += TileRows)
            {
                if (TLanes.Count == 8)
                {
                    QuadraticFormTile(columns, p, g, k, destination);
                }
                else
                {
                    QuadraticFormTileNarrow(columns, p, g, k, destination, centred);
                }
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
        var qa = TLanes.Zero;
        var qb = TLanes.Zero;
        for (int j0 = 0; j0 < d; j0 += Columns)
        {
            var ya0 = TLanes.Zero;
            var ya1 = TLanes.Zero;
            var ya2 = TLanes.Zero;
            var ya3 = TLanes.Zero;
            var ya4 = TLanes.Zero;
            var ya5 = TLanes.Zero;
            var ya6 = TLanes.Zero;
            var ya7 = TLanes.Zero;
            var yb0 = TLanes.Zero;
            var yb1 = TLanes.Zero;
            var yb2 = TLanes.Zero;
            var yb3 = TLanes.Zero;
            var yb4 = TLanes.Zero;
            var yb5 = TLanes.Zero;
            var yb6 = TLanes.Zero;
            var yb7 = TLanes.Zero;

            // Rows of P above the diagonal block: all eight columns.
            for (int i = 0; i < j0; i++)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, i));
                var xa = TLanes.Load(ref xg, (nuint)(i * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)((i * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref pk, (i * dc) + j0);
                var p0 = TLanes.Create(pr);
                ya0 = TLanes.MulAdd(xa, p0, ya0);
                yb0 = TLanes.MulAdd(xb, p0, yb0);
                var p1 = TLanes.Create(Unsafe.Add(ref pr, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pr, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            // The diagonal 8 × 8 block of P: row j0 + t has non-zero entries in columns t.. only.
            ref double td = ref Unsafe.Add(ref pk, (j0 * dc) + j0);
            int rowsHere = Math.Min(Columns, d - j0);
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0));
                var xa = TLanes.Load(ref xg, (nuint)((j0) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 0 * dc);
                var p0 = TLanes.Create(pr);
                ya0 = TLanes.MulAdd(xa, p0, ya0);
                yb0 = TLanes.MulAdd(xb, p0, yb0);
                var p1 = TLanes.Create(Unsafe.Add(ref pr, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pr, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 1)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 1));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 1) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 1) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 1 * dc);
                var p1 = TLanes.Create(Unsafe.Add(ref pr, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pr, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 2)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 2));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 2) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 2) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 2 * dc);
                var p2 = TLanes.Create(Unsafe.Add(ref pr, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 3)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 3));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 3) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 3) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 3 * dc);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 4)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 4));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 4) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 4) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 4 * dc);
                var p4 = TLanes.Create(Unsafe.Add(ref pr, 4));
                ya4 = TLanes.MulAdd(xa, p4, ya4);
                yb4 = TLanes.MulAdd(xb, p4, yb4);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 5)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 5));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 5) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 5) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 5 * dc);
                var p5 = TLanes.Create(Unsafe.Add(ref pr, 5));
                ya5 = TLanes.MulAdd(xa, p5, ya5);
                yb5 = TLanes.MulAdd(xb, p5, yb5);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 6)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 6));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 6) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 6) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 6 * dc);
                var p6 = TLanes.Create(Unsafe.Add(ref pr, 6));
                ya6 = TLanes.MulAdd(xa, p6, ya6);
                yb6 = TLanes.MulAdd(xb, p6, yb6);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            if (rowsHere > 7)
            {
                var mi = TLanes.Create(Unsafe.Add(ref m, j0 + 7));
                var xa = TLanes.Load(ref xg, (nuint)((j0 + 7) * p)) - mi;
                var xb = TLanes.Load(ref xg, (nuint)(((j0 + 7) * p) + TLanes.Count)) - mi;
                ref double pr = ref Unsafe.Add(ref td, 7 * dc);
                var p7 = TLanes.Create(Unsafe.Add(ref pr, 7));
                ya7 = TLanes.MulAdd(xa, p7, ya7);
                yb7 = TLanes.MulAdd(xb, p7, yb7);
            }

            // Columns past D hold zeros of P: their y is 0 and adds nothing.
            qa = TLanes.MulAdd(ya0, ya0, qa);
            qb = TLanes.MulAdd(yb0, yb0, qb);
            qa = TLanes.MulAdd(ya1, ya1, qa);
            qb = TLanes.MulAdd(yb1, yb1, qb);
            qa = TLanes.MulAdd(ya2, ya2, qa);
            qb = TLanes.MulAdd(yb2, yb2, qb);
            qa = TLanes.MulAdd(ya3, ya3, qa);
            qb = TLanes.MulAdd(yb3, yb3, qb);
            qa = TLanes.MulAdd(ya4, ya4, qa);
            qb = TLanes.MulAdd(yb4, yb4, qb);
            qa = TLanes.MulAdd(ya5, ya5, qa);
            qb = TLanes.MulAdd(yb5, yb5, qb);
            qa = TLanes.MulAdd(ya6, ya6, qa);
            qb = TLanes.MulAdd(yb6, yb6, qb);
            qa = TLanes.MulAdd(ya7, ya7, qa);
            qb = TLanes.MulAdd(yb7, yb7, qb);
        }

        var minusHalf = TLanes.Create(-0.5);
        var constant = TLanes.Create(_constants[k]);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), (k * p) + g);
        TLanes.Store(TLanes.MulAdd(minusHalf, qa, constant), ref output, 0);
        TLanes.Store(TLanes.MulAdd(minusHalf, qb, constant), ref output, (nuint)TLanes.Count);
    }

    /// <summary>
    /// <see cref="QuadraticFormTile"/> for 16 vector registers (AVX2): the tile's rows are centred once into
    /// <paramref name="centred"/> (2 vectors per column), then y is computed two vectors of rows × 4 columns at a time,
    /// with the diagonal 4 × 4 blocks of P walked as triangles. Every y_j adds the same products in the same order (i
    /// increasing), and q the same squares (j increasing), as the 8-column tile: the same bits in every row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void QuadraticFormTileNarrow(ReadOnlySpan<double> columns, int p, int g, int k, Span<double> destination, Span<double> centred)
    {
        const int NarrowColumns = 4;
        int d = _d, dc = _dc, lanes = TLanes.Count;
        ref double xg = ref Unsafe.Add(ref MemoryMarshal.GetReference(columns), g);
        ref double m = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_means), k * d);
        ref double pk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_factors), k * d * dc);
        ref double c = ref MemoryMarshal.GetReference(centred);
        for (int i = 0; i < d; i++)
        {
            var mi = TLanes.Create(Unsafe.Add(ref m, i));
            TLanes.Store(TLanes.Load(ref xg, (nuint)(i * p)) - mi, ref c, (nuint)(2 * i * lanes));
            TLanes.Store(TLanes.Load(ref xg, (nuint)((i * p) + lanes)) - mi, ref c, (nuint)(((2 * i) + 1) * lanes));
        }

        var qa = TLanes.Zero;
        var qb = TLanes.Zero;
        for (int j0 = 0; j0 < d; j0 += NarrowColumns)
        {
            var ya0 = TLanes.Zero;
            var ya1 = TLanes.Zero;
            var ya2 = TLanes.Zero;
            var ya3 = TLanes.Zero;
            var yb0 = TLanes.Zero;
            var yb1 = TLanes.Zero;
            var yb2 = TLanes.Zero;
            var yb3 = TLanes.Zero;

            // Rows of P above the diagonal block: all four columns.
            ref double ci = ref c;
            ref double pr = ref Unsafe.Add(ref pk, j0);
            for (int i = 0; i < j0; i++)
            {
                var xa = TLanes.Load(ref ci, 0);
                var xb = TLanes.Load(ref ci, (nuint)lanes);
                var p0 = TLanes.Create(pr);
                ya0 = TLanes.MulAdd(xa, p0, ya0);
                yb0 = TLanes.MulAdd(xb, p0, yb0);
                var p1 = TLanes.Create(Unsafe.Add(ref pr, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pr, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pr, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
                ci = ref Unsafe.Add(ref ci, 2 * lanes);
                pr = ref Unsafe.Add(ref pr, dc);
            }

            // The diagonal 4 × 4 block of P: row j0 + t has non-zero entries in columns t.. only.
            int rowsHere = Math.Min(NarrowColumns, d - j0);
            {
                var xa = TLanes.Load(ref ci, (nuint)(0 * lanes));
                var xb = TLanes.Load(ref ci, (nuint)(1 * lanes));
                ref double pt = ref Unsafe.Add(ref pr, 0 * dc);
                var p0 = TLanes.Create(Unsafe.Add(ref pt, 0));
                ya0 = TLanes.MulAdd(xa, p0, ya0);
                yb0 = TLanes.MulAdd(xb, p0, yb0);
                var p1 = TLanes.Create(Unsafe.Add(ref pt, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pt, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pt, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
            }

            if (rowsHere > 1)
            {
                var xa = TLanes.Load(ref ci, (nuint)(2 * lanes));
                var xb = TLanes.Load(ref ci, (nuint)(3 * lanes));
                ref double pt = ref Unsafe.Add(ref pr, 1 * dc);
                var p1 = TLanes.Create(Unsafe.Add(ref pt, 1));
                ya1 = TLanes.MulAdd(xa, p1, ya1);
                yb1 = TLanes.MulAdd(xb, p1, yb1);
                var p2 = TLanes.Create(Unsafe.Add(ref pt, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pt, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
            }

            if (rowsHere > 2)
            {
                var xa = TLanes.Load(ref ci, (nuint)(4 * lanes));
                var xb = TLanes.Load(ref ci, (nuint)(5 * lanes));
                ref double pt = ref Unsafe.Add(ref pr, 2 * dc);
                var p2 = TLanes.Create(Unsafe.Add(ref pt, 2));
                ya2 = TLanes.MulAdd(xa, p2, ya2);
                yb2 = TLanes.MulAdd(xb, p2, yb2);
                var p3 = TLanes.Create(Unsafe.Add(ref pt, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
            }

            if (rowsHere > 3)
            {
                var xa = TLanes.Load(ref ci, (nuint)(6 * lanes));
                var xb = TLanes.Load(ref ci, (nuint)(7 * lanes));
                ref double pt = ref Unsafe.Add(ref pr, 3 * dc);
                var p3 = TLanes.Create(Unsafe.Add(ref pt, 3));
                ya3 = TLanes.MulAdd(xa, p3, ya3);
                yb3 = TLanes.MulAdd(xb, p3, yb3);
            }

            // Columns past D hold zeros of P: their y is 0 and adds nothing.
            qa = TLanes.MulAdd(ya0, ya0, qa);
            qb = TLanes.MulAdd(yb0, yb0, qb);
            qa = TLanes.MulAdd(ya1, ya1, qa);
            qb = TLanes.MulAdd(yb1, yb1, qb);
            qa = TLanes.MulAdd(ya2, ya2, qa);
            qb = TLanes.MulAdd(yb2, yb2, qb);
            qa = TLanes.MulAdd(ya3, ya3, qa);
            qb = TLanes.MulAdd(yb3, yb3, qb);
        }

        var minusHalf = TLanes.Create(-0.5);
        var constant = TLanes.Create(_constants[k]);
        ref double output = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), (k * p) + g);
        TLanes.Store(TLanes.MulAdd(minusHalf, qa, constant), ref output, 0);
        TLanes.Store(TLanes.MulAdd(minusHalf, qb, constant), ref output, (nuint)TLanes.Count);
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
            var sums = TLanes.Count == 8
                ? DiagonalTile(ref w, ref Unsafe.Add(ref x, i0 * p), ref Unsafe.Add(ref a, i0), p, ref wc, ref diagonal, d4, direct)
                : DiagonalTileNarrow(ref w, ref Unsafe.Add(ref x, i0 * p), ref Unsafe.Add(ref a, i0), p, ref wc, ref diagonal, d4, direct);
            for (int r = 0; r < 4 && i0 + r < d; r++)
            {
                sum[i0 + r] += sums.GetElement(r);
            }

            for (int j0 = i0 + 4; j0 < d4; j0 += 4)
            {
                if (TLanes.Count == 8)
                {
                    OffDiagonalTile(ref wc, ref Unsafe.Add(ref x, j0 * p), ref Unsafe.Add(ref a, j0), p, ref Unsafe.Add(ref t, (i0 * d4) + j0), d4, direct);
                }
                else
                {
                    OffDiagonalTileNarrow(ref wc, ref Unsafe.Add(ref x, j0 * p), ref Unsafe.Add(ref a, j0), p, ref Unsafe.Add(ref t, (i0 * d4) + j0), d4, direct);
                }
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
        var a0 = TLanes.Create(aj);
        var a1 = TLanes.Create(Unsafe.Add(ref aj, 1));
        var a2 = TLanes.Create(Unsafe.Add(ref aj, 2));
        var a3 = TLanes.Create(Unsafe.Add(ref aj, 3));
        ref double wr0 = ref wi;
        ref double wr1 = ref Unsafe.Add(ref wi, p);
        ref double wr2 = ref Unsafe.Add(ref wi, 2 * p);
        ref double wr3 = ref Unsafe.Add(ref wi, 3 * p);
        ref double xr0 = ref xj;
        ref double xr1 = ref Unsafe.Add(ref xj, p);
        ref double xr2 = ref Unsafe.Add(ref xj, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xj, 3 * p);
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
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var c0 = TLanes.Load(ref xr0, n) - a0;
            var c1 = TLanes.Load(ref xr1, n) - a1;
            var c2 = TLanes.Load(ref xr2, n) - a2;
            var c3 = TLanes.Load(ref xr3, n) - a3;
            var w0 = TLanes.Load(ref wr0, n);
            s00 = TLanes.MulAdd(w0, c0, s00);
            s01 = TLanes.MulAdd(w0, c1, s01);
            s02 = TLanes.MulAdd(w0, c2, s02);
            s03 = TLanes.MulAdd(w0, c3, s03);
            var w1 = TLanes.Load(ref wr1, n);
            s10 = TLanes.MulAdd(w1, c0, s10);
            s11 = TLanes.MulAdd(w1, c1, s11);
            s12 = TLanes.MulAdd(w1, c2, s12);
            s13 = TLanes.MulAdd(w1, c3, s13);
            var w2 = TLanes.Load(ref wr2, n);
            s20 = TLanes.MulAdd(w2, c0, s20);
            s21 = TLanes.MulAdd(w2, c1, s21);
            s22 = TLanes.MulAdd(w2, c2, s22);
            s23 = TLanes.MulAdd(w2, c3, s23);
            var w3 = TLanes.Load(ref wr3, n);
            s30 = TLanes.MulAdd(w3, c0, s30);
            s31 = TLanes.MulAdd(w3, c1, s31);
            s32 = TLanes.MulAdd(w3, c2, s32);
            s33 = TLanes.MulAdd(w3, c3, s33);
        }

        StoreTile(
            TLanes.SumEach(s00, s01, s02, s03),
            TLanes.SumEach(s10, s11, s12, s13),
            TLanes.SumEach(s20, s21, s22, s23),
            TLanes.SumEach(s30, s31, s32, s33),
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
        var a0 = TLanes.Create(ai);
        var a1 = TLanes.Create(Unsafe.Add(ref ai, 1));
        var a2 = TLanes.Create(Unsafe.Add(ref ai, 2));
        var a3 = TLanes.Create(Unsafe.Add(ref ai, 3));
        ref double xr0 = ref xi;
        ref double xr1 = ref Unsafe.Add(ref xi, p);
        ref double xr2 = ref Unsafe.Add(ref xi, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xi, 3 * p);
        ref double y0 = ref weighted;
        ref double y1 = ref Unsafe.Add(ref weighted, p);
        ref double y2 = ref Unsafe.Add(ref weighted, 2 * p);
        ref double y3 = ref Unsafe.Add(ref weighted, 3 * p);
        var s00 = TLanes.Zero;
        var s01 = TLanes.Zero;
        var s02 = TLanes.Zero;
        var s03 = TLanes.Zero;
        var s11 = TLanes.Zero;
        var s12 = TLanes.Zero;
        var s13 = TLanes.Zero;
        var s22 = TLanes.Zero;
        var s23 = TLanes.Zero;
        var s33 = TLanes.Zero;
        var t0 = TLanes.Zero;
        var t1 = TLanes.Zero;
        var t2 = TLanes.Zero;
        var t3 = TLanes.Zero;
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var wn = TLanes.Load(ref w, n);
            var c0 = TLanes.Load(ref xr0, n) - a0;
            var c1 = TLanes.Load(ref xr1, n) - a1;
            var c2 = TLanes.Load(ref xr2, n) - a2;
            var c3 = TLanes.Load(ref xr3, n) - a3;
            var w0 = wn * c0;
            var w1 = wn * c1;
            var w2 = wn * c2;
            var w3 = wn * c3;
            TLanes.Store(w0, ref y0, n);
            TLanes.Store(w1, ref y1, n);
            TLanes.Store(w2, ref y2, n);
            TLanes.Store(w3, ref y3, n);
            t0 += w0;
            t1 += w1;
            t2 += w2;
            t3 += w3;
            s00 = TLanes.MulAdd(w0, c0, s00);
            s01 = TLanes.MulAdd(w0, c1, s01);
            s02 = TLanes.MulAdd(w0, c2, s02);
            s03 = TLanes.MulAdd(w0, c3, s03);
            s11 = TLanes.MulAdd(w1, c1, s11);
            s12 = TLanes.MulAdd(w1, c2, s12);
            s13 = TLanes.MulAdd(w1, c3, s13);
            s22 = TLanes.MulAdd(w2, c2, s22);
            s23 = TLanes.MulAdd(w2, c3, s23);
            s33 = TLanes.MulAdd(w3, c3, s33);
        }

        // Below the diagonal the sums are +0 exactly, and x + 0 is x: when adding, the lower triangle keeps its values.
        var zero = TLanes.Zero;
        StoreTile(
            TLanes.SumEach(s00, s01, s02, s03),
            TLanes.SumEach(zero, s11, s12, s13),
            TLanes.SumEach(zero, zero, s22, s23),
            TLanes.SumEach(zero, zero, zero, s33),
            ref tile,
            stride,
            add);
        return TLanes.SumEach(t0, t1, t2, t3);
    }

    /// <summary>
    /// <see cref="OffDiagonalTile"/> for 16 vector registers (AVX2): the 4 × 4 tile in two passes over the rows, columns
    /// j0, j0 + 1 and then j0 + 2, j0 + 3, each with 8 sums. Each entry sums the same products lane by lane as in one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OffDiagonalTileNarrow(ref double wi, ref double xj, ref double aj, int p, ref double tile, int stride, bool add)
    {
        TileColumnPair(ref wi, ref xj, ref aj, p, out var left01, out var left23);
        TileColumnPair(ref wi, ref Unsafe.Add(ref xj, 2 * p), ref Unsafe.Add(ref aj, 2), p, out var right01, out var right23);

        // left01 = [s00 s01 s10 s11], right01 = [s02 s03 s12 s13]: rows 0 and 1 are their low and high halves paired.
        StoreTile(
            Avx.Permute2x128(left01, right01, 0x20),
            Avx.Permute2x128(left01, right01, 0x31),
            Avx.Permute2x128(left23, right23, 0x20),
            Avx.Permute2x128(left23, right23, 0x31),
            ref tile,
            stride,
            add);
    }

    /// <summary>
    /// The sums over the p rows of the four weighted columns at <paramref name="wi"/> times the two columns at
    /// <paramref name="xj"/> centred on <paramref name="aj"/>: rows01 = [s00 s01 s10 s11], rows23 = [s20 s21 s30 s31].
    /// Not inlined, so that its loop gets the 16 registers to itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TileColumnPair(ref double wi, ref double xj, ref double aj, int p, out Vector256<double> rows01, out Vector256<double> rows23)
    {
        var a0 = TLanes.Create(aj);
        var a1 = TLanes.Create(Unsafe.Add(ref aj, 1));
        ref double xr1 = ref Unsafe.Add(ref xj, p);
        ref double wr1 = ref Unsafe.Add(ref wi, p);
        ref double wr2 = ref Unsafe.Add(ref wi, 2 * p);
        ref double wr3 = ref Unsafe.Add(ref wi, 3 * p);
        var s00 = TLanes.Zero;
        var s01 = TLanes.Zero;
        var s10 = TLanes.Zero;
        var s11 = TLanes.Zero;
        var s20 = TLanes.Zero;
        var s21 = TLanes.Zero;
        var s30 = TLanes.Zero;
        var s31 = TLanes.Zero;
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var c0 = TLanes.Load(ref xj, n) - a0;
            var c1 = TLanes.Load(ref xr1, n) - a1;
            var w0 = TLanes.Load(ref wi, n);
            s00 = TLanes.MulAdd(w0, c0, s00);
            s01 = TLanes.MulAdd(w0, c1, s01);
            var w1 = TLanes.Load(ref wr1, n);
            s10 = TLanes.MulAdd(w1, c0, s10);
            s11 = TLanes.MulAdd(w1, c1, s11);
            var w2 = TLanes.Load(ref wr2, n);
            s20 = TLanes.MulAdd(w2, c0, s20);
            s21 = TLanes.MulAdd(w2, c1, s21);
            var w3 = TLanes.Load(ref wr3, n);
            s30 = TLanes.MulAdd(w3, c0, s30);
            s31 = TLanes.MulAdd(w3, c1, s31);
        }

        rows01 = TLanes.SumEach(s00, s01, s10, s11);
        rows23 = TLanes.SumEach(s20, s21, s30, s31);
    }

    /// <summary>
    /// <see cref="DiagonalTile"/> for 16 vector registers (AVX2), in two passes over the rows (two methods, so that
    /// each loop gets the registers to itself): first the weighted centred columns (stored), their sums and the diagonal
    /// entries; then the six entries above the diagonal from the stored weighted columns. Every entry sums the same
    /// products lane by lane as in one pass.
    /// </summary>
    private static Vector256<double> DiagonalTileNarrow(ref double w, ref double xi, ref double ai, int p, ref double weighted, ref double tile, int stride, bool add)
    {
        var sums = WeightedColumnsAndSquares(ref w, ref xi, ref ai, p, ref weighted, out var squares);
        var upper = BandUpperTriangle(ref xi, ref ai, p, ref weighted);

        // squares = [s00 s11 s22 s33], upper.Upper = [s01 s02 s03 s12], upper.Last = [s13 s23 0 0]. Below the
        // diagonal the tile holds +0 exactly, and x + 0 is x: when adding, the lower triangle keeps its values.
        StoreTile(
            Vector256.Create(squares.GetElement(0), upper.Upper.GetElement(0), upper.Upper.GetElement(1), upper.Upper.GetElement(2)),
            Vector256.Create(0.0, squares.GetElement(1), upper.Upper.GetElement(3), upper.Last.GetElement(0)),
            Vector256.Create(0.0, 0.0, squares.GetElement(2), upper.Last.GetElement(1)),
            Vector256.Create(0.0, 0.0, 0.0, squares.GetElement(3)),
            ref tile,
            stride,
            add);
        return sums;
    }

    /// <summary>
    /// The first pass of <see cref="DiagonalTileNarrow"/>: stores wₙ(x_in − a_i) for the band's four columns i in
    /// <paramref name="weighted"/>, returns their sums over the p rows, and gives Σₙ wₙ(x_in − a_i)² in
    /// <paramref name="squares"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> WeightedColumnsAndSquares(ref double w, ref double xi, ref double ai, int p, ref double weighted, out Vector256<double> squares)
    {
        var a0 = TLanes.Create(ai);
        var a1 = TLanes.Create(Unsafe.Add(ref ai, 1));
        var a2 = TLanes.Create(Unsafe.Add(ref ai, 2));
        var a3 = TLanes.Create(Unsafe.Add(ref ai, 3));
        ref double xr1 = ref Unsafe.Add(ref xi, p);
        ref double xr2 = ref Unsafe.Add(ref xi, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xi, 3 * p);
        ref double y1 = ref Unsafe.Add(ref weighted, p);
        ref double y2 = ref Unsafe.Add(ref weighted, 2 * p);
        ref double y3 = ref Unsafe.Add(ref weighted, 3 * p);
        var s00 = TLanes.Zero;
        var s11 = TLanes.Zero;
        var s22 = TLanes.Zero;
        var s33 = TLanes.Zero;
        var t0 = TLanes.Zero;
        var t1 = TLanes.Zero;
        var t2 = TLanes.Zero;
        var t3 = TLanes.Zero;
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var wn = TLanes.Load(ref w, n);
            var c = TLanes.Load(ref xi, n) - a0;
            var wc = wn * c;
            TLanes.Store(wc, ref weighted, n);
            t0 += wc;
            s00 = TLanes.MulAdd(wc, c, s00);
            c = TLanes.Load(ref xr1, n) - a1;
            wc = wn * c;
            TLanes.Store(wc, ref y1, n);
            t1 += wc;
            s11 = TLanes.MulAdd(wc, c, s11);
            c = TLanes.Load(ref xr2, n) - a2;
            wc = wn * c;
            TLanes.Store(wc, ref y2, n);
            t2 += wc;
            s22 = TLanes.MulAdd(wc, c, s22);
            c = TLanes.Load(ref xr3, n) - a3;
            wc = wn * c;
            TLanes.Store(wc, ref y3, n);
            t3 += wc;
            s33 = TLanes.MulAdd(wc, c, s33);
        }

        squares = TLanes.SumEach(s00, s11, s22, s33);
        return TLanes.SumEach(t0, t1, t2, t3);
    }

    /// <summary>
    /// The second pass of <see cref="DiagonalTileNarrow"/>: the six entries Σₙ wₙ(x_in − a_i)(x_jn − a_j), i &lt; j, of
    /// the band, from the stored weighted columns: Upper = [s01 s02 s03 s12], Last = [s13 s23 0 0].
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static (Vector256<double> Upper, Vector256<double> Last) BandUpperTriangle(ref double xi, ref double ai, int p, ref double weighted)
    {
        var a1 = TLanes.Create(Unsafe.Add(ref ai, 1));
        var a2 = TLanes.Create(Unsafe.Add(ref ai, 2));
        var a3 = TLanes.Create(Unsafe.Add(ref ai, 3));
        ref double xr1 = ref Unsafe.Add(ref xi, p);
        ref double xr2 = ref Unsafe.Add(ref xi, 2 * p);
        ref double xr3 = ref Unsafe.Add(ref xi, 3 * p);
        ref double y1 = ref Unsafe.Add(ref weighted, p);
        ref double y2 = ref Unsafe.Add(ref weighted, 2 * p);
        var s01 = TLanes.Zero;
        var s02 = TLanes.Zero;
        var s03 = TLanes.Zero;
        var s12 = TLanes.Zero;
        var s13 = TLanes.Zero;
        var s23 = TLanes.Zero;
        for (nuint n = 0; n < (nuint)p; n += (nuint)TLanes.Count)
        {
            var c1 = TLanes.Load(ref xr1, n) - a1;
            var c2 = TLanes.Load(ref xr2, n) - a2;
            var c3 = TLanes.Load(ref xr3, n) - a3;
            var w0 = TLanes.Load(ref weighted, n);
            s01 = TLanes.MulAdd(w0, c1, s01);
            s02 = TLanes.MulAdd(w0, c2, s02);
            s03 = TLanes.MulAdd(w0, c3, s03);
            var w1 = TLanes.Load(ref y1, n);
            s12 = TLanes.MulAdd(w1, c2, s12);
            s13 = TLanes.MulAdd(w1, c3, s13);
            var w2 = TLanes.Load(ref y2, n);
            s23 = TLanes.MulAdd(w2, c3, s23);
        }

        var zero = TLanes.Zero;
        return (TLanes.SumEach(s01, s02, s03, s12), TLanes.SumEach(s13, s23, zero, zero));
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
