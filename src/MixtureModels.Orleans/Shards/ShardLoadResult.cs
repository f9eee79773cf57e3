namespace MixtureModels.Orleans.Shards;

/// <summary>The outcome of loading a shard: null <see cref="Error"/> when its rows are loaded and valid.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardLoadResult(
    [property: Id(0)] string? Error);
