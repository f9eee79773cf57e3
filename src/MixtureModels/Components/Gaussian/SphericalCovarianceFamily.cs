using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with one variance: σ²_k = mean over columns of (scatter_kd / N_k + reg).</summary>
public sealed class SphericalCovarianceFamily : GaussianFamily
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    public SphericalCovarianceFamily(int dimension, double regularization)
        : base(dimension, regularization)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Spherical;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * (Dimension + 1);

    /// <inheritdoc />
    public override ISufficientStatistics CreateStatistics(GaussianComponent? current) => new DiagonalScatterStatistics(Dimension, current is null ? default : current.Mean);

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<GaussianComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var variances = DiagonalCovarianceFamily.Variances((DiagonalScatterStatistics)statistics[k], Regularization);
            if (!SphericalGaussian.TryCreate(MeanOf(statistics[k]), variances.Average(), out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }
}
