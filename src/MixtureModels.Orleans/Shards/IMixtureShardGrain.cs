namespace MixtureModels.Orleans.Shards;

/// <summary>
/// A shard of a distributed fit: it owns a run of whole chunks of the fit's plan (rows read on the silo from sources,
/// or pushed by the coordinator) and answers with the statistics of its chunks under given parameters. Its key is
/// "fit id/shard index". A new activation (after its silo was lost) holds no rows and says so
/// (<see cref="ShardPassResult.Loaded"/> false); the coordinator then loads it again from the same assignment.
/// </summary>
internal interface IMixtureShardGrain : IGrainWithStringKey
{
    /// <summary>Counts the rows and columns of one source part (a file, say), read on this silo.</summary>
    Task<ShardCountResult> CountAsync(string kind, string location);

    /// <summary>Adds rows pushed by the coordinator (row-major values) to those the next <see cref="LoadAsync"/> without parts takes; the first block of a push drops what an earlier, broken push left.</summary>
    Task AppendRowsAsync(double[] values, bool first);

    /// <summary>Loads the shard's rows (from its parts, or the pushed rows) and checks them.</summary>
    Task<ShardLoadResult> LoadAsync(ShardAssignment assignment);

    /// <summary>Selection-samples, from each of its chunks, the given number of rows (in row order; all of them when that is the chunk's size).</summary>
    Task<ShardSampleResult> SampleAsync(int[] chunkCounts, int seed);

    /// <summary>One E-step pass of the shard's chunks under the given parameters.</summary>
    Task<ShardPassResult> PassAsync(ShardPassRequest request);

    /// <summary>The silo that hosts this activation (for tests and diagnostics).</summary>
    Task<SiloAddress> GetSiloAsync();

    /// <summary>Drops the rows and deactivates.</summary>
    Task ReleaseAsync();
}
