namespace MixtureModels.Fitting;

/// <summary>
/// A fused block kernel that can fetch the engine's next block into the cache while it computes this one, in small
/// steps spread over its work (a burst of prefetches at the start of a block would wait for the memory system as long
/// as the loads it replaces). The results are those of <see cref="Components.IBlockKernel{TComponent, TStatistics}.Accumulate"/>.
/// </summary>
/// <typeparam name="TStatistics">The statistics type of the family.</typeparam>
internal interface IFetchAheadKernel<TStatistics>
{
    /// <summary>
    /// <see cref="Components.IBlockKernel{TComponent, TStatistics}.Accumulate"/>, fetching <paramref name="next"/> (the rows
    /// the caller will pass next, or empty) meanwhile.
    /// </summary>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="rowWeights">wₙ per row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) (length count).</param>
    /// <param name="statistics">The K accumulators of the calling worker.</param>
    /// <param name="next">The values to fetch ahead, or empty.</param>
    void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<TStatistics> statistics, ReadOnlySpan<double> next);
}
