namespace MixtureModels.Orleans.Shards;

/// <summary>A run of rows of one source part: skip <see cref="Skip"/> rows of the part, then take <see cref="Take"/>.</summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardPart(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Location,
    [property: Id(2)] long Skip,
    [property: Id(3)] int Take);
