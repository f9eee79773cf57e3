using System.Globalization;

namespace MixtureModels.Orleans;

/// <summary>
/// How a distributed fit uses the cluster: the number of shards, and how long a call to a shard may take and how
/// often it is retried. None of these settings changes the fitted numbers.
/// </summary>
public sealed record DistributedFitOptions
{
    /// <summary>
    /// Shard grains the rows are cut into (default 4; at most the fit's chunk count, which is at most 64). Each owns
    /// whole chunks of the plan the local fit would use, so the result does not depend on it.
    /// </summary>
    public int ShardCount { get; init; } = 4;

    /// <summary>The longest a call to a shard (a pass, a load, a push) may take before it is retried (default 5 minutes).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries of a failed or timed-out call, each after re-loading the shard (default 3); then <see cref="ShardUnavailableException"/>.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>The pause before a retry (default 200 ms), which lets the cluster notice a lost silo.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming a setting out of range.</summary>
    internal void Validate()
    {
        if (ShardCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ShardCount), ShardCount, string.Create(CultureInfo.InvariantCulture, $"ShardCount = {ShardCount} is out of range. Use at least 1 shard."));
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, string.Create(CultureInfo.InvariantCulture, $"CallTimeout = {CallTimeout} is out of range. Use a positive time, such as TimeSpan.FromMinutes(5)."));
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, string.Create(CultureInfo.InvariantCulture, $"MaxRetries = {MaxRetries} is out of range. Use 0 (no retry) or more."));
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, string.Create(CultureInfo.InvariantCulture, $"RetryDelay = {RetryDelay} is out of range. Use zero or a positive time."));
        }
    }
}
