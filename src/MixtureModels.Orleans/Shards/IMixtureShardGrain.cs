using Orleans.Concurrency;

namespace MixtureModels.Orleans.Shards;

/// <summary>
/// A shard of a distributed fit: it owns a run of whole chunks of the fit's plan (rows read on the silo from sources,
/// or pushed by the coordinator) and answers with the statistics of its chunks under given parameters. Its key is
/// "fit id/shard index". A new activation (after its silo was lost) holds no rows and says so
/// (<see cref="ShardPassResult.Loaded"/> false); the coordinator then loads it again from the same assignment.
/// </summary>
/// <remarks>
/// The methods that read or compute declare a response timeout of a day: the coordinator bounds every call by
/// <see cref="DistributedFitOptions.CallTimeout"/> itself, so a long pass is not cut by Orleans' default of 30 s.
/// </remarks>
internal interface IMixtureShardGrain : IGrainWithStringKey
{
    /// <summary>The response timeout of the methods that read or compute.</summary>
    private const string LongCall = "1.00:00:00";

    /// <summary>Counts the rows and columns of one source part (a file, say), read on this silo.</summary>
    [ResponseTimeout(LongCall)]
    Task<ShardCountResult> CountAsync(string kind, string location);

    /// <summary>Adds rows pushed by the coordinator (row-major values) to those the next <see cref="LoadAsync"/> without parts takes; the first block of a push drops what an earlier, broken push left.</summary>
    [ResponseTimeout(LongCall)]
    Task AppendRowsAsync(double[] values, bool first);

    /// <summary>Loads the shard's rows (from its parts, or the pushed rows) and checks them.</summary>
    [ResponseTimeout(LongCall)]
    Task<ShardLoadResult> LoadAsync(ShardAssignment assignment, CancellationToken cancellationToken);

    /// <summary>Selection-samples, from each of its chunks, the given number of rows (in row order; all of them when that is the chunk's size).</summary>
    [ResponseTimeout(LongCall)]
    Task<ShardSampleResult> SampleAsync(int[] chunkCounts, int seed);

    /// <summary>One E-step pass of the shard's chunks under the given parameters; the coordinator's cancellation stops it between blocks.</summary>
    [ResponseTimeout(LongCall)]
    Task<ShardPassResult> PassAsync(ShardPassRequest request, CancellationToken cancellationToken);

    /// <summary>The silo that hosts this activation (for tests and diagnostics).</summary>
    Task<SiloAddress> GetSiloAsync();

    /// <summary>Drops the rows and deactivates (one-way: the caller does not wait, and a busy shard does it after its current call).</summary>
    [OneWay]
    Task ReleaseAsync();
}
