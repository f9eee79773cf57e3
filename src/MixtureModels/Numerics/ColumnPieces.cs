using System.Runtime.CompilerServices;

namespace MixtureModels.Numerics;

/// <summary>
/// The part of the block kernels <c>DiagonalBlockKernel</c> and <c>BernoulliBlockKernel</c> that does not
/// depend on the family: a block is cut into pieces whose transposed rows and responsibilities stay in the first-level
/// cache, each piece is transposed into this thread's scratch, and the family's <see cref="IColumnPieceKernel{TStatistics}"/> computes
/// its log-densities and statistics, with the E-step (<see cref="BlockVectorMath.NormalizeBlock"/>) in between.
/// </summary>
internal static class ColumnPieces
{
    [ThreadStatic]
    private static double[]? t_piece; // a piece's transposed rows and its responsibilities (or densities)

    /// <summary>
    /// The most rows of a piece for D columns and K components: at most <see cref="PieceBudget"/> doubles (24 KB) of
    /// transposed rows and responsibilities, half the first-level data cache of recent cores; a multiple of the vector
    /// width, between one vector and 256. <see cref="Accumulate{TLanes, TStatistics}"/> cuts a block into pieces of nearly equal size.
    /// </summary>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <param name="dimension">D.</param>
    /// <param name="componentCount">K.</param>
    public static int PieceRows<TLanes>(int dimension, int componentCount)
        where TLanes : unmanaged, ILanes<TLanes> =>
        Math.Clamp(PieceBudget / (dimension + componentCount) / TLanes.Count * TLanes.Count, TLanes.Count, 256);

    /// <summary>Doubles of transposed rows and responsibilities per piece.</summary>
    internal const int PieceBudget = 3072;

    /// <summary>The fused E+M pass of a family block kernel's <c>IBlockKernel.Accumulate</c>, piece by piece.</summary>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="kernel">The family's piece kernel, prepared.</param>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="rowWeights">wₙ per row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) (length count).</param>
    /// <param name="statistics">The K accumulators of this chunk.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate<TLanes, TStatistics>(IColumnPieceKernel<TStatistics> kernel, ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<TStatistics> statistics)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int d = kernel.Dimension, k = kernel.ComponentCount, pieceRows = PieceRows<TLanes>(d, k);
        int pieces = (count + pieceRows - 1) / pieceRows;
        pieceRows = Padded<TLanes>((count + pieces - 1) / pieces); // pieces of nearly equal size: no short last piece
        int ahead = pieceRows * d, third = (ahead / 3) + 1;
        for (int start = 0; start < count; start += pieceRows)
        {
            int rowCount = Math.Min(pieceRows, count - start);
            int p = Padded<TLanes>(rowCount);
            var pieceRowValues = rows.Slice(start * d, rowCount * d);
            var scratch = ScratchBuffer.Get(ref t_piece, (d + k) * p);
            var columns = scratch[..(d * p)];
            var responsibilities = scratch.Slice(d * p, k * p);
            BlockVectorMath.Transpose<TLanes>(pieceRowValues, rowCount, d, columns, p);

            // The next piece's rows are fetched from memory in three parts while this piece is computed; after the last
            // piece of the block, those are the rows that follow the block in memory, which an in-memory pass reads next
            // (the engine itself fetches only the first 4 KB of them; a prefetch past the data never faults).
            int next = (start + rowCount) * d;
            BlockVectorMath.PrefetchFrom(rows, next, third);
            kernel.LogDensities(columns, p, responsibilities);
            BlockVectorMath.PrefetchFrom(rows, next + third, third);
            BlockVectorMath.NormalizeBlock<TLanes>(responsibilities, k, p, rowCount, rowWeights.IsEmpty ? default : rowWeights.Slice(start, rowCount), logLikelihood.Slice(start, rowCount));
            BlockVectorMath.PrefetchFrom(rows, next + (2 * third), ahead - (2 * third));
            kernel.AddStatistics(pieceRowValues, rowCount, columns, p, responsibilities, statistics);
        }
    }

    /// <summary>The joint log-densities of a family block kernel's <c>IBlockDensityKernel.JointLogDensity</c>, piece by piece.</summary>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <param name="kernel">The family's piece kernel, prepared.</param>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="logProb">K × stride destination.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    public static void JointLogDensity<TLanes>(IColumnPieceDensities kernel, ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride)
        where TLanes : unmanaged, ILanes<TLanes> =>
        JointLogDensity<TLanes>(kernel, rows, count, logProb, stride, PieceRows<TLanes>(kernel.Dimension, kernel.ComponentCount), TLanes.Count);

    /// <summary>The same with the kernel's own piece size and padding (a kernel whose tiles span more than one vector of rows).</summary>
    /// <typeparam name="TLanes">The vector width.</typeparam>
    /// <param name="kernel">The kernel, prepared.</param>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="logProb">K × stride destination.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    /// <param name="pieceRows">Rows per piece.</param>
    /// <param name="rowMultiple">Each piece is zero-padded to a multiple of this many rows (a multiple of the vector width).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void JointLogDensity<TLanes>(IColumnPieceDensities kernel, ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride, int pieceRows, int rowMultiple)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int d = kernel.Dimension, k = kernel.ComponentCount;
        for (int start = 0; start < count; start += pieceRows)
        {
            int rowCount = Math.Min(pieceRows, count - start);
            int p = (rowCount + rowMultiple - 1) / rowMultiple * rowMultiple;
            var scratch = ScratchBuffer.Get(ref t_piece, (d + k) * p);
            var columns = scratch[..(d * p)];
            var densities = scratch.Slice(d * p, k * p);
            BlockVectorMath.Transpose<TLanes>(rows.Slice(start * d, rowCount * d), rowCount, d, columns, p);
            BlockVectorMath.PrefetchFrom(rows, (start + rowCount) * d, pieceRows * d); // the next piece, as in Accumulate
            kernel.LogDensities(columns, p, densities);
            for (int c = 0; c < k; c++)
            {
                densities.Slice(c * p, rowCount).CopyTo(logProb.Slice((c * stride) + start, rowCount));
            }
        }
    }

    /// <summary>count rounded up to whole vectors of rows.</summary>
    private static int Padded<TLanes>(int count)
        where TLanes : unmanaged, ILanes<TLanes> => (count + TLanes.Count - 1) / TLanes.Count * TLanes.Count;
}
