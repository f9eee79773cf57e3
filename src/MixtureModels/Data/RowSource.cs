using System.Globalization;
using System.Runtime.CompilerServices;

namespace MixtureModels;

/// <summary>
/// Rows that are read block by block, once per pass, instead of held in memory: the input of the out-of-core fits
/// (<c>Fit(RowSource)</c> and <c>FitAsync(RowSource, ...)</c> of <see cref="GaussianMixture"/>, <see cref="BernoulliMixture"/>,
/// <see cref="ProductMixture"/>, <see cref="StudentTMixture"/>, <see cref="BayesianGaussianMixture"/> and
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/>).
/// It lives in Data/ but in the root namespace <c>MixtureModels</c>, next to <see cref="DataMatrix"/>.
/// </summary>
/// <remarks>
/// <para>
/// A fit reads the source once to count, check and sample the rows, then once per EM iteration, once per restart's
/// diagnosis and once for the final labels. Every pass must yield the same rows in the same order; how they are cut
/// into blocks may differ from pass to pass and does not change the result. A pass that yields a different number of
/// rows or columns than the first one stops the fit with an <see cref="InvalidOperationException"/>.
/// </para>
/// <para>
/// The fit copies each block as it arrives, so a source may reuse one buffer for all its blocks: a block is read only
/// until the next one is requested. The memory of a fit is then a few batches of rows (about 4 MB each), the K
/// components' statistics, the initialisation sample (<see cref="MixtureOptions.SourceSampleRows"/> rows) and the labels
/// (4 bytes per row), whatever the number of rows.
/// </para>
/// <para>
/// Implement <see cref="ReadBlocksAsync"/> for a source of your own, or use <see cref="FromBlocks"/>,
/// <see cref="FromAsyncBlocks"/>, <see cref="FromMatrix"/>, <see cref="CsvRowSource"/> (text files), or the readers of the packages
/// <c>MixtureModels.Parquet</c> and <c>MixtureModels.Arrow</c>.
/// </para>
/// </remarks>
public abstract class RowSource
{
    /// <summary>
    /// Starts a new pass: yields every row of the source, from the first, in blocks of any size (each block a
    /// <see cref="DataMatrix"/> of at least one row, all blocks with the same column count).
    /// </summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <returns>The blocks, in row order. A block may share a buffer with the next one: the caller copies what it needs before it asks for the next.</returns>
    public abstract IAsyncEnumerable<DataMatrix> ReadBlocksAsync(CancellationToken cancellationToken);

    /// <summary>A source whose passes enumerate the sequence that <paramref name="blocks"/> returns (called once per pass).</summary>
    /// <param name="blocks">Returns a fresh enumeration of the blocks, from the first row, each time it is called.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is null.</exception>
    /// <example>
    /// <code>
    /// var source = RowSource.FromBlocks(() => File.ReadLines(path).Chunk(4096).Select(Parse));
    /// </code>
    /// </example>
    public static RowSource FromBlocks(Func<IEnumerable<DataMatrix>> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return new EnumerableRowSource(blocks);
    }

    /// <summary>A source whose passes enumerate the asynchronous sequence that <paramref name="blocks"/> returns (called once per pass).</summary>
    /// <param name="blocks">Returns a fresh asynchronous enumeration of the blocks, from the first row, for the pass's cancellation token.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is null.</exception>
    public static RowSource FromAsyncBlocks(Func<CancellationToken, IAsyncEnumerable<DataMatrix>> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return new AsyncEnumerableRowSource(blocks);
    }

    /// <summary>
    /// A source over rows already in memory, yielded in blocks of <paramref name="blockRows"/> rows (the last one may be
    /// shorter): for tests, and to compare an out-of-core fit with the in-memory fit of the same rows.
    /// </summary>
    /// <param name="data">The rows. Not copied; do not change them while a fit runs.</param>
    /// <param name="blockRows">Rows per block, at least 1.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockRows"/> is less than 1.</exception>
    public static RowSource FromMatrix(DataMatrix data, int blockRows)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (blockRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(blockRows), blockRows, string.Create(CultureInfo.InvariantCulture, $"blockRows = {blockRows} is out of range. Use at least 1 row per block."));
        }

        return new EnumerableRowSource(() => Blocks(data, blockRows));
    }

    /// <summary>Adapts a synchronous sequence of blocks (read on the caller's thread) to <see cref="ReadBlocksAsync"/>.</summary>
    internal static async IAsyncEnumerable<DataMatrix> AsAsync(IEnumerable<DataMatrix> blocks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return block;
        }
    }

    private static IEnumerable<DataMatrix> Blocks(DataMatrix data, int blockRows)
    {
        for (int start = 0; start < data.Rows; start += blockRows)
        {
            yield return data.Slice(start, Math.Min(blockRows, data.Rows - start));
        }
    }

    /// <summary>A source over a synchronous sequence of blocks.</summary>
    private sealed class EnumerableRowSource(Func<IEnumerable<DataMatrix>> blocks) : RowSource
    {
        public override IAsyncEnumerable<DataMatrix> ReadBlocksAsync(CancellationToken cancellationToken) => AsAsync(blocks(), cancellationToken);
    }

    /// <summary>A source over an asynchronous sequence of blocks.</summary>
    private sealed class AsyncEnumerableRowSource(Func<CancellationToken, IAsyncEnumerable<DataMatrix>> blocks) : RowSource
    {
        public override IAsyncEnumerable<DataMatrix> ReadBlocksAsync(CancellationToken cancellationToken) => blocks(cancellationToken);
    }
}
