namespace MixtureModels.Orleans.Shards;

/// <summary>
/// One pass: the E-step's log-weights and the components as the K merged statistics they were estimated from (every
/// shard runs the family's M-step on the same bytes, so it holds the coordinator's components bit for bit).
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardPassRequest(
    [property: Id(0)] ShardPassKind Kind,
    [property: Id(1)] double[] LogWeights,
    [property: Id(2)] byte[] Statistics);
