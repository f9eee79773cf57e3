using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A maximum a posteriori weight step under a symmetric Dirichlet(α) prior on π (α ≥ 1):
/// π_k = (N_k + α − 1 + 10ε) / Σ_j (N_j + α − 1 + 10ε). With α &gt; 1 no weight can reach 0, so a component that loses all
/// its rows stays alive with α − 1 pseudo-rows; α = 1 is maximum likelihood. mclust's and Fraley &amp; Raftery's
/// regularised EM use such a prior.
/// </summary>
public sealed class DirichletWeightPrior : IWeightStep
{
    /// <summary>Creates the prior.</summary>
    /// <param name="concentration">α, finite and at least 1 (below 1 the mode of the Dirichlet lies on the boundary and the MAP step is not defined).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="concentration"/> is below 1 or not finite.</exception>
    public DirichletWeightPrior(double concentration)
    {
        if (!(concentration >= 1) || !double.IsFinite(concentration))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(concentration), concentration, "Use a finite concentration α ≥ 1 (1 is maximum likelihood; 1 + a few pseudo-rows per component is typical).");
        }

        Concentration = concentration;
    }

    /// <summary>α, the Dirichlet concentration (each component gets α − 1 pseudo-rows).</summary>
    public double Concentration { get; }

    /// <inheritdoc />
    public void LogWeights(ReadOnlySpan<double> weights, Span<double> destination) => MaximumLikelihoodWeights.Instance.LogWeights(weights, destination);

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<double> responsibilityTotals, Span<double> destination)
    {
        double total = 0;
        for (int k = 0; k < responsibilityTotals.Length; k++)
        {
            destination[k] = responsibilityTotals[k] + (Concentration - 1) + MixtureConstants.EmptyComponentWeight;
            total += destination[k];
        }

        for (int k = 0; k < responsibilityTotals.Length; k++)
        {
            destination[k] /= total;
        }
    }

    /// <inheritdoc />
    /// <remarks>(α − 1)·Σ_k log π_k, whose derivative in the softmax logit α_j is (α − 1)·(1 − K·π_j).</remarks>
    public double AddLogPrior(ReadOnlySpan<double> weights, double scale, Span<double> logitGradient)
    {
        if (Concentration == 1)
        {
            return 0;
        }

        double sum = 0;
        int k = weights.Length;
        for (int j = 0; j < k; j++)
        {
            sum += Math.Log(weights[j]);
            logitGradient[j] += scale * (Concentration - 1) * (1 - (k * weights[j]));
        }

        return (Concentration - 1) * sum;
    }
}
