using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>Settings of <see cref="KMeans"/>; the defaults follow scikit-learn's <c>KMeans</c>.</summary>
public sealed record KMeansOptions
{
    /// <summary>Number of clusters K, at least 1. Required.</summary>
    public required int ClusterCount { get; init; }

    /// <summary>Maximum Lloyd iterations per initialisation (max_iter, default 300), at least 1.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Relative tolerance (tol, default 1e-4): stop when the squared centre shift summed over clusters is at most
    /// tol × the mean column variance of the data.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Number of k-means++ initialisations (n_init, default 1); the run with the lowest inertia is kept.</summary>
    public int InitializationCount { get; init; } = 1;

    /// <summary>Seed of the random generator used by k-means++ (default 0): the same seed gives the same result.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Worker threads for the passes over the data (seeding, Lloyd iterations, <see cref="KMeansModel.Predict(DataMatrix)"/>): -1
    /// (default) for all cores. Results are identical for any value.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ArgumentChecks.AtLeast(ClusterCount, 1, nameof(ClusterCount), "Use at least one cluster.");
        ArgumentChecks.AtLeast(MaxIterations, 1, nameof(MaxIterations), "Allow at least one iteration.");
        ArgumentChecks.NonNegative(Tolerance, nameof(Tolerance), "Use a finite, non-negative tolerance such as 1e-4.");
        ArgumentChecks.AtLeast(InitializationCount, 1, nameof(InitializationCount), "Use at least one initialisation.");
        ArgumentChecks.DegreeOfParallelism(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
    }
}
