using System.Globalization;

namespace MixtureModels.Orleans;

/// <summary>
/// A shard of a distributed fit could not get its rows: its source could not be opened or read on the silo, a row is
/// invalid for the family, or the silo has no family or row source registered under the key the fit names. Not
/// retried: reading again would fail again. The message names the shard, the source and the cause.
/// </summary>
public sealed class ShardSourceException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="shard">The shard ("fit id/index"), or the part being counted.</param>
    /// <param name="source">What the shard reads: a source's kind and location, or "rows pushed by the client".</param>
    /// <param name="reason">What went wrong, as the silo reported it.</param>
    public ShardSourceException(string shard, string source, string reason)
        : base(string.Create(CultureInfo.InvariantCulture, $"Shard {shard} could not load {source}: {reason} Check that the source exists and is readable on every silo (a location is opened on the silo, not on the client), and that every silo registers the fit's family and row source (AddMixtureFamily, AddMixtureRowSource)."))
    {
        Shard = shard;
        SourceDescription = source;
        Reason = reason;
    }

    /// <summary>The shard ("fit id/index"), or the part being counted.</summary>
    public string Shard { get; }

    /// <summary>What the shard reads: a source's kind and location, or the pushed rows.</summary>
    public string SourceDescription { get; }

    /// <summary>What went wrong, as the silo reported it.</summary>
    public string Reason { get; }
}
