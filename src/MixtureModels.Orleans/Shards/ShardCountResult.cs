namespace MixtureModels.Orleans.Shards;

/// <summary>The rows and columns of a source part, or why it could not be read.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardCountResult(
    [property: Id(0)] long Rows,
    [property: Id(1)] int Columns,
    [property: Id(2)] string? Error);
