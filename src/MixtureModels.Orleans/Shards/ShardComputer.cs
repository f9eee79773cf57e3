namespace MixtureModels.Orleans.Shards;

/// <summary>The passes of one loaded shard, type-erased for the grain.</summary>
internal abstract class ShardComputer
{
    /// <summary>One E-step pass of the shard's chunks.</summary>
    public abstract ShardPassResult Pass(ShardPassRequest request, CancellationToken cancellationToken);
}
