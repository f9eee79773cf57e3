namespace MixtureModels.Fitting;

/// <summary>What the EM engine needs to know besides the data and the family.</summary>
/// <param name="Tolerance">Stop when |ΔL| &lt; Tolerance between iterations (L: mean log-likelihood).</param>
/// <param name="MaxIterations">Upper bound on EM iterations per initialisation.</param>
/// <param name="MaxDegreeOfParallelism">Worker threads, or -1 for all cores. Results do not depend on it.</param>
internal sealed record EmSettings(double Tolerance, int MaxIterations, int MaxDegreeOfParallelism);
