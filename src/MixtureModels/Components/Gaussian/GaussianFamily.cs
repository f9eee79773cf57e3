using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Base of the four Gaussian families: holds the dimension and the covariance regularisation (reg_covar) that the
/// M-step adds to every covariance diagonal.
/// </summary>
public abstract class GaussianFamily : IComponentFamily<GaussianComponent>
{
    private protected GaussianFamily(int dimension, double regularization)
    {
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1.");
        }

        if (!(regularization >= 0) || !double.IsFinite(regularization))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(regularization), regularization, "Use a finite, non-negative covariance regularisation such as 1e-6.");
        }

        Dimension = dimension;
        Regularization = regularization;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Non-negative value added to the diagonal of every estimated covariance (scikit-learn's reg_covar).</summary>
    public double Regularization { get; }

    /// <summary>The covariance shape this family estimates.</summary>
    public abstract CovarianceType CovarianceType { get; }

    /// <summary>Creates the family for a covariance type.</summary>
    /// <param name="covarianceType">Shape of the covariances.</param>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static GaussianFamily Create(CovarianceType covarianceType, int dimension, double regularization) => covarianceType switch
    {
        CovarianceType.Full => new FullCovarianceFamily(dimension, regularization),
        CovarianceType.Tied => new TiedCovarianceFamily(dimension, regularization),
        CovarianceType.Diagonal => new DiagonalCovarianceFamily(dimension, regularization),
        CovarianceType.Spherical => new SphericalCovarianceFamily(dimension, regularization),
        _ => throw new ArgumentOutOfRangeException(nameof(covarianceType), covarianceType, $"covarianceType = {covarianceType} is not defined. Use one of Full, Tied, Diagonal, Spherical."),
    };

    /// <inheritdoc />
    public abstract int ParameterCount(int componentCount);

    /// <inheritdoc />
    public abstract ISufficientStatistics CreateStatistics(GaussianComponent? current);

    /// <inheritdoc />
    public void ResetStatistics(ISufficientStatistics statistics, GaussianComponent current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (statistics is GaussianStatistics gaussian && gaussian.Dimension == Dimension)
        {
            gaussian.Reset(current.Mean);
            gaussian.Current = current;
            return;
        }

        ThrowHelper.ThrowArgument(nameof(statistics), $"statistics is not a Gaussian accumulator of dimension {Dimension}. Pass one created by this family's CreateStatistics.");
    }

    /// <inheritdoc />
    public abstract void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<GaussianComponent> destination);

    /// <summary>Means of every accumulator, as arrays the new components will own.</summary>
    private protected double[] MeanOf(ISufficientStatistics statistics)
    {
        var mean = new double[Dimension];
        ((GaussianStatistics)statistics).ComputeMean(mean);
        return mean;
    }
}
