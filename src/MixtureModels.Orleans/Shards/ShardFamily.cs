namespace MixtureModels.Orleans.Shards;

/// <summary>
/// A component family registered on a silo under a key (<see cref="MixtureShardServiceCollectionExtensions.AddMixtureFamily"/>):
/// the type-erased maker of the computation of one shard.
/// </summary>
internal abstract class ShardFamily
{
    protected ShardFamily(string key) => Key = key;

    /// <summary>The key the coordinator names the family by.</summary>
    public string Key { get; }

    /// <summary>Checks the shard's rows for the family and prepares its passes.</summary>
    /// <exception cref="ArgumentException">A row is invalid for the family.</exception>
    public abstract ShardComputer Create(DataMatrix rows, ShardAssignment assignment);
}
