using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Settings of <see cref="BayesianGaussianMixture"/>: the shared <see cref="MixtureOptions"/> (component count, tolerance,
/// iterations, initialisations, initialisation method, starting responsibilities or labels, warm start, seed, threads)
/// plus the covariance shape, its regularisation and the priors. The defaults are scikit-learn's
/// <c>BayesianGaussianMixture</c> defaults; a prior left null takes scikit-learn's data-dependent default.
/// </summary>
/// <remarks>
/// <see cref="MixtureOptions.Tolerance"/> (default 1e-3) applies to the change of the whole evidence lower bound, as in
/// scikit-learn (not to a mean per row). <see cref="MixtureOptions.Algorithm"/> must stay
/// <see cref="FittingAlgorithm.ExpectationMaximization"/> (the variational updates) and
/// <see cref="MixtureOptions.MissingValues"/> must stay <see cref="MissingValueHandling.Reject"/>.
/// </remarks>
public sealed record BayesianGaussianMixtureOptions : MixtureOptions
{
    /// <summary>Shape of the covariances (covariance_type, default <see cref="CovarianceType.Full"/>).</summary>
    public CovarianceType CovarianceType { get; init; } = CovarianceType.Full;

    /// <summary>Non-negative value added to the diagonal of every component's weighted covariance estimate before the prior is combined with it (reg_covar, default 1e-6).</summary>
    public double CovarianceRegularization { get; init; } = 1e-6;

    /// <summary>The prior on the weights (weight_concentration_prior_type, default <see cref="WeightConcentrationPriorType.DirichletProcess"/>).</summary>
    public WeightConcentrationPriorType WeightConcentrationPriorType { get; init; } = WeightConcentrationPriorType.DirichletProcess;

    /// <summary>
    /// The weight prior's concentration (weight_concentration_prior): γ of the Dirichlet process or α₀ of the Dirichlet
    /// distribution, finite and positive; null (the default) for 1/K. Smaller values leave more components empty.
    /// </summary>
    public double? WeightConcentrationPrior { get; init; }

    /// <summary>β₀, the precision of the prior on the means relative to the component precision (mean_precision_prior), finite and positive; null (the default) for 1.</summary>
    public double? MeanPrecisionPrior { get; init; }

    /// <summary>m₀, the prior mean of the means (mean_prior): D finite values; null (the default) for the data's (sample-weighted) mean.</summary>
    public IReadOnlyList<double>? MeanPrior { get; init; }

    /// <summary>ν₀, the prior's degrees of freedom (degrees_of_freedom_prior): finite and greater than D − 1; null (the default) for D.</summary>
    public double? DegreesOfFreedomPrior { get; init; }

    /// <summary>
    /// W₀⁻¹, the prior's covariance (covariance_prior), D × D symmetric positive definite: any such matrix for full and
    /// tied covariance, a diagonal one for diagonal, a positive multiple of I for spherical. Null (the default) for
    /// scikit-learn's: the data's covariance (denominator W − 1) for full and tied, its diagonal for diagonal, the mean
    /// of that diagonal times I for spherical.
    /// </summary>
    public Matrix<double>? CovariancePrior { get; init; }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> or <see cref="ArgumentException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        if (!Enum.IsDefined(CovarianceType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(CovarianceType), CovarianceType, "Use one of Full, Tied, Diagonal, Spherical.");
        }

        ArgumentChecks.NonNegative(CovarianceRegularization, nameof(CovarianceRegularization), "Use a finite, non-negative regularisation such as 1e-6.");
        if (!Enum.IsDefined(WeightConcentrationPriorType))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(WeightConcentrationPriorType), WeightConcentrationPriorType, "Use DirichletProcess or DirichletDistribution.");
        }

        Positive(WeightConcentrationPrior, nameof(WeightConcentrationPrior), "Use a finite, positive concentration such as 1/K (the default when null); smaller values switch more components off.");
        Positive(MeanPrecisionPrior, nameof(MeanPrecisionPrior), "Use a finite, positive precision such as 1 (the default when null).");
        if (DegreesOfFreedomPrior is { } nu && !double.IsFinite(nu))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(DegreesOfFreedomPrior), nu, "Use a finite value greater than D − 1, such as D (the default when null).");
        }

        if (MeanPrior is not null)
        {
            for (int i = 0; i < MeanPrior.Count; i++)
            {
                if (!double.IsFinite(MeanPrior[i]))
                {
                    ThrowHelper.ThrowArgument(nameof(MeanPrior), string.Create(CultureInfo.InvariantCulture, $"MeanPrior[{i}] = {MeanPrior[i]} is not finite. Give D finite values, or null for the data's mean."));
                }
            }
        }

        if (CovariancePrior is not null && CovariancePrior.RowCount != CovariancePrior.ColumnCount)
        {
            ThrowHelper.ThrowArgument(nameof(CovariancePrior), string.Create(CultureInfo.InvariantCulture, $"CovariancePrior is {CovariancePrior.RowCount} × {CovariancePrior.ColumnCount}; it must be D × D. Give a square symmetric positive definite matrix, or null for the data's covariance."));
        }
    }

    private static void Positive(double? value, string name, string fix)
    {
        if (value is { } v && (!(v > 0) || !double.IsFinite(v)))
        {
            ThrowHelper.ThrowArgumentOutOfRange(name, v, fix);
        }
    }
}
