namespace MixtureModels.Fitting;

/// <summary>Reported after every EM iteration.</summary>
/// <param name="Initialization">Index of the current initialisation (restart), from 0.</param>
/// <param name="Iteration">Iteration number within this initialisation, from 1.</param>
/// <param name="LowerBound">Mean (sample-weighted) log-likelihood of the parameters this iteration started from.</param>
/// <param name="Change">LowerBound minus the previous iteration's (+∞ on the first iteration of a fresh start).</param>
public readonly record struct FitProgress(int Initialization, int Iteration, double LowerBound, double Change);
