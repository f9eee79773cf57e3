namespace MixtureModels.Fitting;

/// <summary>
/// How N rows are cut into cache-sized blocks and blocks into a fixed number of chunks. Chunks are the unit of
/// parallel work and each has its own accumulators; the cut depends only on N and D, never on the thread count,
/// so merged results are bit-identical for any degree of parallelism.
/// </summary>
internal sealed class BlockPlan
{
    private const int MaxChunks = 64;

    public BlockPlan(int rows, int columns)
    {
        Rows = rows;
        BlockRows = Math.Clamp(32768 / Math.Max(columns, 1), 16, 256);
        int blocks = (rows + BlockRows - 1) / BlockRows;
        int blocksPerChunk = (blocks + MaxChunks - 1) / MaxChunks;
        ChunkRows = blocksPerChunk * BlockRows;
        ChunkCount = (rows + ChunkRows - 1) / ChunkRows;
    }

    public int Rows { get; }

    public int BlockRows { get; }

    public int ChunkRows { get; }

    public int ChunkCount { get; }

    public (int Start, int End) Chunk(int index) => (index * ChunkRows, Math.Min(Rows, (index + 1) * ChunkRows));
}
