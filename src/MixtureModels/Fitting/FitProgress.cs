namespace MixtureModels;

/// <summary>
/// Reported after every EM iteration, synchronously on the fitting thread and in order. <see cref="Progress{T}"/>
/// re-posts each report to a synchronization context or the thread pool, so its handler may run after the fit returned
/// and, on the thread pool, out of order; pass a <see cref="SynchronousProgress{T}"/> (or your own <see cref="IProgress{T}"/>) for immediate, ordered reports.
/// </summary>
/// <param name="Initialization">Index of the current initialisation (restart), from 0.</param>
/// <param name="Iteration">Iteration number within this initialisation, from 1.</param>
/// <param name="LowerBound">Mean (sample-weighted) log-likelihood of the parameters this iteration started from.</param>
/// <param name="Change">LowerBound minus the previous iteration's (+∞ on the first iteration of a fresh start).</param>
public readonly record struct FitProgress(int Initialization, int Iteration, double LowerBound, double Change);
