using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians with their own means and one shared covariance: Σ = Σ_k scatter_k / Σ_k N_k + reg·I.</summary>
public sealed class TiedCovarianceFamily : GaussianFamily
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    public TiedCovarianceFamily(int dimension, double regularization)
        : base(dimension, regularization)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Tied;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => (componentCount * Dimension) + (Dimension * (Dimension + 1) / 2);

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
        var covariance = new double[d * d];
        double total = 0;
        foreach (var statistic in statistics)
        {
            var s = (FullScatterStatistics)statistic;
            s.AddCentredScatter(covariance);
            total += s.TotalWeight + MixtureConstants.EmptyComponentWeight;
        }

        for (int i = 0; i < covariance.Length; i++)
        {
            covariance[i] /= total;
        }

        for (int i = 0; i < d; i++)
        {
            covariance[(i * d) + i] += Regularization;
        }

        if (!FullGaussian.TryCreate(MeanOf(statistics[0]), covariance, out var first))
        {
            ThrowHelper.ThrowNotPositiveDefinite(-1, Regularization);
        }

        destination[0] = first;
        for (int k = 1; k < statistics.Length; k++)
        {
            destination[k] = FullGaussian.WithSharedCovariance(MeanOf(statistics[k]), first);
        }
    }
}
