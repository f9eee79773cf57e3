using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// The passes of an engine whose rows live elsewhere (the shards of a distributed fit): each pass fills, for every
/// chunk of the engine's plan, exactly what the engine's own pass over those rows would fill (the chunk's K
/// accumulators, its Σ w·log p, its entropy, its labels or its diagnosis), so that the engine merges them in chunk order
/// and the fit is bit-identical to the local one. The log-weights are the E-step's and
/// the components the parameters, as the engine's own pass would use them.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal interface IRemoteChunks<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    /// <summary>An E-step pass: per chunk, the accumulators (when <paramref name="chunkStatistics"/> is given, replacing its rows' arrays), Σ w·log p, the entropy (when <paramref name="entropy"/>) and the labels (when <paramref name="labels"/> is given, N values).</summary>
    void Pass(double[] logWeights, TComponent[] components, TStatistics[][]? chunkStatistics, bool entropy, double[] chunkLogLikelihood, double[] chunkEntropy, int[]? labels, CancellationToken cancellationToken);

    /// <summary>A diagnostic pass: per chunk, Σ w·r_nk for every k and the responsibilities' weighted entropy.</summary>
    void Diagnose(double[] logWeights, TComponent[] components, double[][] chunkCounts, double[] chunkEntropy, CancellationToken cancellationToken);
}
