namespace MixtureModels.Orleans.Shards;

/// <summary>A maker of row sources registered on a silo under a kind (<see cref="MixtureShardServiceCollectionExtensions.AddMixtureRowSource"/>).</summary>
/// <param name="Kind">The kind the coordinator names it by, such as "csv".</param>
/// <param name="Create">Opens the source at a location (a path, a URI, a key of the user's own).</param>
internal sealed record ShardRowSourceFactory(string Kind, Func<string, RowSource> Create);
