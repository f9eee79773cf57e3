namespace MixtureModels.Orleans.Shards;

/// <summary>
/// What a pass returns, per chunk of the shard in order: the K statistics of every chunk (one serialised list of
/// chunks × K), Σ log p, the entropy, the labels of the shard's rows, or the diagnosis' per-chunk Σ r_nk (chunks × K).
/// <see cref="Loaded"/> false when the activation holds no rows (it was re-activated after a failure).
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardPassResult
{
    [Id(0)]
    public bool Loaded { get; init; }

    [Id(1)]
    public byte[]? Statistics { get; init; }

    [Id(2)]
    public double[] ChunkLogLikelihood { get; init; } = [];

    [Id(3)]
    public double[] ChunkEntropy { get; init; } = [];

    [Id(4)]
    public int[]? Labels { get; init; }

    [Id(5)]
    public double[]? ChunkCounts { get; init; }
}
