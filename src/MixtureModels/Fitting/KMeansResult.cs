namespace MixtureModels.Fitting;

/// <summary>The outcome of one Lloyd run: centres (K × D, row-major), the label of every row, Σ w·‖x − c‖², iterations and whether it converged.</summary>
internal sealed record KMeansResult(double[] Centers, int[] Labels, double Inertia, int Iterations, bool Converged);
