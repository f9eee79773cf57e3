namespace MixtureModels.Orleans.Shards;

/// <summary>
/// What a shard owns and how to compute it: rows [<see cref="FirstRow"/>, FirstRow + <see cref="Rows"/>) of the data
/// set, whole chunks of <see cref="ChunkRows"/> rows from chunk <see cref="FirstChunk"/>, read from
/// <see cref="Parts"/> (or pushed, when there are none), fitted by the family registered under <see cref="FamilyKey"/>.
/// </summary>
[GenerateSerializer]
[Immutable]
internal sealed record ShardAssignment
{
    [Id(0)]
    public required string FamilyKey { get; init; }

    [Id(1)]
    public required int Columns { get; init; }

    [Id(2)]
    public required long FirstRow { get; init; }

    [Id(3)]
    public required int Rows { get; init; }

    [Id(4)]
    public required int FirstChunk { get; init; }

    [Id(5)]
    public required int ChunkRows { get; init; }

    [Id(6)]
    public required int ComponentCount { get; init; }

    [Id(7)]
    public required bool AllowMissing { get; init; }

    [Id(8)]
    public required int MaxDegreeOfParallelism { get; init; }

    [Id(9)]
    public required ShardPart[] Parts { get; init; }

    [Id(10)]
    public required string Name { get; init; }
}
