namespace MixtureModels.Fitting;

/// <summary>
/// How N rows are cut into cache-sized blocks and blocks into a fixed number of chunks. Chunks are the unit of
/// parallel work and each has its own accumulators; the cut depends only on N, D and the accumulators' size, never on
/// the thread count, so merged results are bit-identical for any degree of parallelism. Large accumulators (a D × D
/// scatter for large D) lower the chunk count so that the chunks' accumulators stay within a fixed memory budget.
/// </summary>
internal sealed class BlockPlan
{
    /// <summary>The most chunks a pass is cut into.</summary>
    public const int MaxChunks = 64;

    /// <summary>The memory the chunks' accumulators of one pass may take together (32 MiB).</summary>
    public const long StatisticsBudget = 32L << 20;

    /// <summary>Cuts N rows of D columns; with <paramref name="statisticsBytesPerChunk"/> (K accumulators' size), into at most <see cref="StatisticsBudget"/> / that many chunks.</summary>
    public BlockPlan(int rows, int columns, long statisticsBytesPerChunk = 0)
    {
        Rows = rows;
        BlockRows = Math.Clamp(32768 / Math.Max(columns, 1), 16, 256);
        int maxChunks = statisticsBytesPerChunk <= 0 ? MaxChunks : (int)Math.Clamp(StatisticsBudget / statisticsBytesPerChunk, 1, MaxChunks);
        int blocks = (rows + BlockRows - 1) / BlockRows;
        int blocksPerChunk = (blocks + maxChunks - 1) / maxChunks;
        ChunkRows = blocksPerChunk * BlockRows;
        ChunkCount = (rows + ChunkRows - 1) / ChunkRows;
    }

    /// <summary>
    /// The plan of <paramref name="rows"/> rows of <paramref name="columns"/> columns cut into chunks of
    /// <paramref name="chunkRows"/> rows (a multiple of the block rows): the rows of a run of whole chunks of a larger plan,
    /// which a distributed shard computes exactly as the larger plan's engine computes them.
    /// </summary>
    public static BlockPlan WithChunkRows(int rows, int columns, int chunkRows) => new(rows, new BlockPlan(1, columns).BlockRows, chunkRows, 0);

    private BlockPlan(int rows, int blockRows, int chunkRows, int unused)
    {
        _ = unused;
        Rows = rows;
        BlockRows = blockRows;
        ChunkRows = chunkRows;
        ChunkCount = (rows + ChunkRows - 1) / ChunkRows;
    }

    public int Rows { get; }

    public int BlockRows { get; }

    public int ChunkRows { get; }

    public int ChunkCount { get; }

    public (int Start, int End) Chunk(int index) => (index * ChunkRows, Math.Min(Rows, (index + 1) * ChunkRows));
}
