using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The maximum-likelihood weight step (the default, as scikit-learn's <c>GaussianMixture</c>): π_k = (N_k + 10ε) / Σ_j (N_j + 10ε),
/// where 10ε keeps an empty component's weight positive and its log finite.
/// </summary>
public sealed class MaximumLikelihoodWeights : IWeightStep
{
    private MaximumLikelihoodWeights()
    {
    }

    /// <summary>The single instance.</summary>
    public static MaximumLikelihoodWeights Instance { get; } = new();

    /// <inheritdoc />
    public void LogWeights(ReadOnlySpan<double> weights, Span<double> destination)
    {
        for (int k = 0; k < weights.Length; k++)
        {
            destination[k] = Math.Log(weights[k]);
        }
    }

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<double> responsibilityTotals, Span<double> destination)
    {
        double total = 0;
        for (int k = 0; k < responsibilityTotals.Length; k++)
        {
            destination[k] = responsibilityTotals[k] + MixtureConstants.EmptyComponentWeight;
            total += destination[k];
        }

        for (int k = 0; k < responsibilityTotals.Length; k++)
        {
            destination[k] /= total;
        }
    }

    /// <inheritdoc />
    public double AddLogPrior(ReadOnlySpan<double> weights, double scale, Span<double> logitGradient) => 0;
}
