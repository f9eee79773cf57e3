namespace MixtureModels.Fitting;

/// <summary>
/// How a fit treats the mixing weights π: the log-weights its E-step uses, its M-step for π from the components'
/// responsibility totals, and π's contribution to the objective that restarts are judged by. The hook that lets one
/// fitting driver serve maximum likelihood (<see cref="MaximumLikelihoodWeights"/>), a Dirichlet MAP step
/// (<see cref="DirichletWeightPrior"/>) and, later, a variational step (whose E-step uses E[log π] instead of log π).
/// Implementations must be immutable: one instance may serve many fits at once.
/// </summary>
public interface IWeightStep
{
    /// <summary>Writes the log-weights the E-step adds to each component's log-density (log π_k for a point estimate).</summary>
    /// <param name="weights">π_k, K values summing to 1.</param>
    /// <param name="destination">Receives K values (−∞ for a weight of 0).</param>
    void LogWeights(ReadOnlySpan<double> weights, Span<double> destination);

    /// <summary>The M-step: writes the new weights from the responsibility totals N_k = Σₙ wₙ·r_nk.</summary>
    /// <param name="responsibilityTotals">N_k, K non-negative values.</param>
    /// <param name="destination">Receives K non-negative weights summing to 1.</param>
    void Estimate(ReadOnlySpan<double> responsibilityTotals, Span<double> destination);

    /// <summary>
    /// Returns log p(π) up to a constant (0 for maximum likelihood) and adds <paramref name="scale"/> × ∂ log p(π) / ∂α_k
    /// to <paramref name="logitGradient"/>, α being the softmax logits the gradient algorithms optimise (π = softmax(α)).
    /// Restarts are judged by lower bound + (log p(π) + log p(θ)) / W, and the gradient algorithms maximise the same.
    /// </summary>
    /// <param name="weights">π_k, K values summing to 1.</param>
    /// <param name="scale">Factor on the gradient (0 when only the value is wanted).</param>
    /// <param name="logitGradient">K values the scaled gradient is added to.</param>
    double AddLogPrior(ReadOnlySpan<double> weights, double scale, Span<double> logitGradient);
}
