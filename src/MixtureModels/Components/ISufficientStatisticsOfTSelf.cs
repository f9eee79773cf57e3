namespace MixtureModels.Components;

/// <summary>
/// Sufficient statistics that can be merged with others of their own type: the accumulators of other threads, other
/// chunks of a stream or other machines. The EM engine merges the accumulators of its chunks in a fixed order, so a
/// fit's result does not depend on the thread count. The self type makes a mismatch a compile error: a family's
/// M-step and merge take exactly the statistics it creates.
/// </summary>
/// <typeparam name="TSelf">The implementing type.</typeparam>
public interface ISufficientStatistics<in TSelf> : ISufficientStatistics
    where TSelf : ISufficientStatistics<TSelf>
{
    /// <summary>Adds the statistics of <paramref name="other"/>, which must have the same dimension (and, for types with a shape, the same shape).</summary>
    /// <param name="other">Statistics to add; left unchanged.</param>
    /// <exception cref="ArgumentException"><paramref name="other"/> has another dimension or shape.</exception>
    void Merge(TSelf other);
}
