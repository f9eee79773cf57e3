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
            var diagonal = (DiagonalScatterStatistics)statistics[k];
            double variance = diagonal.HasMissing ? ObservedVariance(diagonal) : DiagonalCovarianceFamily.Variances(diagonal, Regularization).Average();
            var mean = new double[Dimension];
            diagonal.ComputeObservedMean(mean); // MeanOf when nothing was missing
            if (!SphericalGaussian.TryCreate(mean, variance, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <summary>
    /// σ² = Σ_d scatter_d / Σ_d (W_d + 10ε) + reg, with each column's scatter about its own observed mean: the exact
    /// maximiser of the expected log-likelihood of the observed entries (the complete-data formula when W_d = W).
    /// </summary>
    private double ObservedVariance(DiagonalScatterStatistics statistics)
    {
        var scatter = new double[Dimension];
        statistics.CentredScatter(scatter);
        double total = 0, weight = 0;
        for (int i = 0; i < Dimension; i++)
        {
            total += scatter[i];
            weight += statistics.ObservedWeight(i) + MixtureConstants.EmptyComponentWeight;
        }

        return (total / weight) + Regularization;
    }
}
