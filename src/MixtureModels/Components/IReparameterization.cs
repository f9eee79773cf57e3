namespace MixtureModels.Components;

/// <summary>
/// A component family seen by the gradient optimiser: K components ↔ one unconstrained real vector (log-variances,
/// log-Cholesky factors, logits, log-rates, free means), and the gradient of the weighted log-likelihood with respect
/// to that vector, computed from the family's own sufficient statistics.
/// </summary>
/// <remarks>
/// With c_nk = wₙ·p(z = k | xₙ) accumulated into statistics_k (created or reset for component k), the family returns
/// ∂/∂u of Σ_k Σₙ c_nk log p_k(xₙ | θ_k(u)). For exponential families this is a closed form in the statistics; with
/// missing entries, statistics accumulated by <see cref="IMissingValueStatistics.AccumulateIncomplete"/> give the exact
/// gradient of the observed-data log-likelihood (Fisher's identity).
/// </remarks>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type of the family.</typeparam>
public interface IReparameterization<TComponent, TStatistics>
    where TComponent : IComponent
    where TStatistics : ISufficientStatistics<TStatistics>
{
    /// <summary>Length of the unconstrained vector of K components (shared parameters counted once).</summary>
    int UnconstrainedLength(int componentCount);

    /// <summary>Writes the unconstrained vector of <paramref name="components"/>.</summary>
    void ToUnconstrained(ReadOnlySpan<TComponent> components, Span<double> destination);

    /// <summary>
    /// Builds K components from an unconstrained vector; false when the vector maps to parameters that overflow
    /// (for example exp of a huge log-variance), so that the optimiser can treat the point as +∞.
    /// </summary>
    bool TryFromUnconstrained(ReadOnlySpan<double> values, Span<TComponent> destination);

    /// <summary>Writes ∂/∂u Σ_k Σₙ c_nk log p_k(xₙ) at <paramref name="components"/> from their accumulated statistics.</summary>
    void Gradient(ReadOnlySpan<TStatistics> statistics, ReadOnlySpan<TComponent> components, Span<double> destination);

    /// <summary>
    /// Returns log π(θ), the log density (up to a constant) of the family's prior on the component parameters — the
    /// prior its M-step maximises the posterior of (a <see cref="CovariancePrior"/>, a Beta prior on Bernoulli
    /// probabilities, a Dirichlet prior on categorical ones) — and adds <paramref name="scale"/> × ∂/∂u log π to
    /// <paramref name="destination"/>. A family without a prior returns 0 and adds nothing.
    /// </summary>
    double AddLogPrior(ReadOnlySpan<TComponent> components, double scale, Span<double> destination);
}
