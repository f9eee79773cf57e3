using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Internal;

namespace MixtureModels;

/// <summary>Settings of <see cref="GaussianMixture"/>. The defaults are scikit-learn's <c>GaussianMixture</c> defaults.</summary>
public sealed record GaussianMixtureOptions
{
    /// <summary>Number of components K (n_components), at least 1. Required.</summary>
    public required int ComponentCount { get; init; }

    /// <summary>Shape of the covariances (covariance_type, default <see cref="CovarianceType.Full"/>).</summary>
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;

    /// <summary>Convergence threshold (tol, default 1e-3): EM stops when the mean log-likelihood changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Non-negative value added to every covariance diagonal (reg_covar, default 1e-6); keeps covariances positive definite.</summary>
    public double CovarianceRegularization { get; init; } = 1e-6;

    /// <summary>Maximum EM iterations per initialisation (max_iter, default 100), at least 1.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Number of initialisations (n_init, default 1); the one with the largest final lower bound is kept.</summary>
    public int InitializationCount { get; init; } = 1;

    /// <summary>How starting responsibilities are chosen (init_params, default <see cref="InitializationMethod.KMeans"/>).</summary>
    public InitializationMethod Initialization { get; init; } = InitializationMethod.KMeans;

    /// <summary>Optional starting weights (weights_init): K finite, non-negative values summing to 1.</summary>
    public IReadOnlyList<double>? InitialWeights { get; init; }

    /// <summary>Optional starting means (means_init): a K × D matrix.</summary>
    public Matrix<double>? InitialMeans { get; init; }

    /// <summary>
    /// Optional starting precision matrices (precisions_init), each D × D symmetric positive definite: K matrices for
    /// full, diagonal and spherical covariance (diagonal ones for diagonal, multiples of I for spherical), one for tied.
    /// </summary>
    public IReadOnlyList<Matrix<double>>? InitialPrecisions { get; init; }

    /// <summary>
    /// When true (warm_start), a second call to <see cref="GaussianMixture.Fit"/> continues from the previously fitted
    /// model with a single initialisation instead of initialising afresh.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>Seed of the random generator behind every random choice (random_state, default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads for the E- and M-steps: -1 (default) for all cores. Results are identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        InputValidation.AtLeast(ComponentCount, 1, nameof(ComponentCount), "Use at least one component.");
        if (!Enum.IsDefined(CovarianceType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(CovarianceType), CovarianceType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        if (!Enum.IsDefined(Initialization))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Initialization), Initialization, "Use one of KMeans, KMeansPlusPlus, RandomResponsibilities, RandomFromData.");
        }

        InputValidation.NonNegative(Tolerance, nameof(Tolerance), "Use a finite, non-negative tolerance such as 1e-3 (0 runs exactly MaxIterations iterations).");
        InputValidation.NonNegative(CovarianceRegularization, nameof(CovarianceRegularization), "Use a finite, non-negative regularisation such as 1e-6.");
        InputValidation.AtLeast(MaxIterations, 1, nameof(MaxIterations), "Allow at least one EM iteration.");
        InputValidation.AtLeast(InitializationCount, 1, nameof(InitializationCount), "Use at least one initialisation.");
        InputValidation.DegreeOfParallelism(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
    }
}
