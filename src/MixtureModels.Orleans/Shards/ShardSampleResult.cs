namespace MixtureModels.Orleans.Shards;

/// <summary>Sampled rows (row-major), chunk after chunk; <see cref="Loaded"/> false when the activation holds no rows.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardSampleResult(
    [property: Id(0)] bool Loaded,
    [property: Id(1)] double[] Values);
