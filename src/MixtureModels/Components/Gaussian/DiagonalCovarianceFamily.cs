using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussians, each with its own diagonal covariance: σ²_kd = scatter_kd / N_k + reg.</summary>
public sealed class DiagonalCovarianceFamily : GaussianFamily
{
    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="regularization">reg_covar, finite and non-negative.</param>
    public DiagonalCovarianceFamily(int dimension, double regularization)
        : base(dimension, regularization)
    {
    }

    /// <inheritdoc />
    public override CovarianceType CovarianceType => CovarianceType.Diagonal;

    /// <inheritdoc />
    public override int ParameterCount(int componentCount) => componentCount * 2 * Dimension;

    /// <inheritdoc />
    public override ISufficientStatistics CreateStatistics(GaussianComponent? current) => new DiagonalScatterStatistics(Dimension, current is null ? default : current.Mean);

    /// <inheritdoc />
    public override void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<GaussianComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var variances = Variances((DiagonalScatterStatistics)statistics[k], Regularization);
            var diagonal = (DiagonalScatterStatistics)statistics[k];
            var mean = new double[Dimension];
            diagonal.ComputeObservedMean(mean); // MeanOf when nothing was missing
            if (!DiagonalGaussian.TryCreate(mean, variances, out var component))
            {
                ThrowHelper.ThrowNotPositiveDefinite(k, Regularization);
            }

            destination[k] = component;
        }
    }

    /// <summary>Per-column variances scatter / (W + 10ε) + reg.</summary>
    internal static double[] Variances(DiagonalScatterStatistics statistics, double regularization)
    {
        var variances = new double[statistics.Dimension];
        statistics.CentredScatter(variances);
        double nk = statistics.TotalWeight + MixtureConstants.EmptyComponentWeight;
        for (int i = 0; i < variances.Length; i++)
        {
            // With missing entries each column is normalised by the weight of its observed rows, W_d + 10ε.
            double n = statistics.HasMissing ? statistics.ObservedWeight(i) + MixtureConstants.EmptyComponentWeight : nk;
            variances[i] = (variances[i] / n) + regularization;
        }

        return variances;
    }
}
