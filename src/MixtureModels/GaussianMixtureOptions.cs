using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>Settings of <see cref="GaussianMixture"/>: the shared <see cref="MixtureOptions"/> plus the covariance shape, its regularisation and an optional starting point. The defaults are scikit-learn's <c>GaussianMixture</c> defaults.</summary>
public sealed record GaussianMixtureOptions : MixtureOptions
{
    /// <summary>Shape of the covariances (covariance_type, default <see cref="CovarianceType.Full"/>).</summary>
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;

    /// <summary>Non-negative value added to every covariance diagonal (reg_covar, default 1e-6); keeps covariances positive definite.</summary>
    public double CovarianceRegularization { get; init; } = 1e-6;

    /// <summary>
    /// Optional conjugate prior on the covariances (and, for mclust's Normal-inverse-Wishart form, the means); null by
    /// default: maximum likelihood, as scikit-learn. With a prior both EM and the gradient algorithms maximise the
    /// posterior: no component can collapse onto a point and drive the likelihood to +∞, so the optimum stays finite.
    /// <see cref="CovariancePrior.FromData"/> gives mclust's default prior for the data and K. See
    /// <see cref="CovariancePrior"/> for the formulas.
    /// </summary>
    public CovariancePrior? CovariancePrior { get; init; }

    /// <summary>
    /// Optional Dirichlet(α) prior on the mixing weights (null by default: maximum-likelihood weights, as scikit-learn and
    /// mclust). With one, the weight step is the MAP step π_k = (N_k + α − 1) / (N + K(α − 1)) and its log prior enters
    /// the objective; see <see cref="DirichletWeightPrior"/>.
    /// </summary>
    public DirichletWeightPrior? WeightPrior { get; init; }

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
    /// Optional starting covariance matrices, the alternative to <see cref="InitialPrecisions"/> in the same shapes: each
    /// D × D symmetric positive definite, K of them for full, diagonal and spherical covariance (diagonal ones for
    /// diagonal, multiples of I for spherical), one for tied. At most one of <see cref="InitialPrecisions"/>,
    /// <see cref="InitialCovariances"/>, <see cref="InitialDiagonalPrecisions"/> and <see cref="InitialSphericalPrecisions"/>
    /// may be given.
    /// </summary>
    public IReadOnlyList<Matrix<double>>? InitialCovariances { get; init; }

    /// <summary>
    /// Optional starting precisions of a <see cref="CovarianceType.Diagonal"/> model in scikit-learn's shape
    /// (precisions_init for 'diag'): a K × D matrix of finite positive values, row k the inverse variances of component k.
    /// </summary>
    public Matrix<double>? InitialDiagonalPrecisions { get; init; }

    /// <summary>
    /// Optional starting precisions of a <see cref="CovarianceType.Spherical"/> model in scikit-learn's shape
    /// (precisions_init for 'spherical'): K finite positive values, the inverse variance of each component.
    /// </summary>
    public IReadOnlyList<double>? InitialSphericalPrecisions { get; init; }

    /// <summary>Whether any starting covariance or precision is given.</summary>
    internal bool HasInitialCovariances =>
        InitialPrecisions is not null || InitialCovariances is not null || InitialDiagonalPrecisions is not null || InitialSphericalPrecisions is not null;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        if (!Enum.IsDefined(CovarianceType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(CovarianceType), CovarianceType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        ArgumentChecks.NonNegative(CovarianceRegularization, nameof(CovarianceRegularization), "Use a finite, non-negative regularisation such as 1e-6.");
    }
}
