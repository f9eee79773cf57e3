using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with its own general covariance: Σ_k = scatter_k / N_k + reg·I.</summary>
public sealed class FullCovarianceFamily : GaussianFamily
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    public FullCovarianceFamily(int dimension, double regularization)
        : base(dimension, regularization)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Full;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * (Dimension + (Dimension * (Dimension + 1) / 2));

    /// <inheritdoc />
    /// <remarks>
    /// The statistics remember <paramref name="current"/>: <see cref="ISufficientStatistics.AccumulateIncomplete"/> takes
    /// the conditional mean and covariance of missing entries under it (for tied covariance, under the shared
    /// covariance every current component carries). Without it (the initial M-step) that method throws.
    /// </remarks>
    public override ISufficientStatistics CreateStatistics(GaussianComponent? current) =>
        new FullScatterStatistics(Dimension, current is null ? default : current.Mean) { Current = current };

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<GaussianComponent> destination)
    {
        int d = Dimension;
        for (int k = 0; k < statistics.Length; k++)
        {
            var s = (FullScatterStatistics)statistics[k];
            var covariance = new double[d * d];
            s.AddCentredScatter(covariance);
            double nk = s.TotalWeight + MixtureConstants.EmptyComponentWeight;
            for (int i = 0; i < covariance.Length; i++)
            {
                covariance[i] /= nk;
            }

            for (int i = 0; i < d; i++)
            {
                covariance[(i * d) + i] += Regularization;
            }

            if (!FullGaussian.TryCreate(MeanOf(s), covariance, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }
}
