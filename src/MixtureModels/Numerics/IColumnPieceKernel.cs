namespace MixtureModels.Numerics;

/// <summary>
/// The family-specific half of a block kernel that works on transposed pieces of a block (a vector holds one column of as
/// many consecutive rows as it has lanes): the joint log-densities and the statistics of one piece. <see cref="ColumnPieces"/> is the
/// other half: it cuts the block into pieces, transposes them into per-thread scratch and runs the E-step between the two.
/// </summary>
/// <typeparam name="TStatistics">The family's statistics type.</typeparam>
internal interface IColumnPieceKernel<TStatistics> : IColumnPieceDensities
{
    /// <summary>Adds the weighted statistics of the piece into the K accumulators.</summary>
    /// <param name="rows">count × D row-major values of the piece (for a kernel that hands some component to the general path).</param>
    /// <param name="count">Rows in the piece.</param>
    /// <param name="columns">D × p: the piece's rows, transposed and zero-padded.</param>
    /// <param name="p">The padded row count, a multiple of the vector width.</param>
    /// <param name="responsibilities">K × p: wₙ·p(z = k | xₙ), zero in the padding rows.</param>
    /// <param name="statistics">The K accumulators.</param>
    void AddStatistics(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> columns, int p, ReadOnlySpan<double> responsibilities, ReadOnlySpan<TStatistics> statistics);
}
