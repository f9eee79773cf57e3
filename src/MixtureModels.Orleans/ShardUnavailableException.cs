using System.Globalization;

namespace MixtureModels.Orleans;

/// <summary>
/// A shard of a distributed fit did not answer within <see cref="DistributedFitOptions.CallTimeout"/>, or failed, on
/// every one of 1 + <see cref="DistributedFitOptions.MaxRetries"/> attempts (each after re-loading the shard, which
/// re-activates it on a live silo). The inner exception is the last failure.
/// </summary>
public sealed class ShardUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="shard">The shard ("fit id/index").</param>
    /// <param name="attempts">The attempts made.</param>
    /// <param name="innerException">The last failure.</param>
    public ShardUnavailableException(string shard, int attempts, Exception innerException)
        : base(string.Create(CultureInfo.InvariantCulture, $"Shard {shard} failed {attempts} times in a row; the last failure was {innerException?.GetType().Name}: {innerException?.Message} Check the cluster's silos, or raise DistributedFitOptions.MaxRetries or CallTimeout (a pass over a large shard takes longer)."), innerException)
    {
        Shard = shard;
        Attempts = attempts;
    }

    /// <summary>The shard ("fit id/index").</summary>
    public string Shard { get; }

    /// <summary>The attempts made.</summary>
    public int Attempts { get; }
}
