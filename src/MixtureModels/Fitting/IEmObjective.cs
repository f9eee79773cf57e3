using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// The objective an EM-type fit reports after every iteration and stops on, when it is not the mean log-likelihood of
/// the E-step (the default when no objective is given). It is evaluated after the iteration's M-step, from that
/// iteration's E-step (the sum Σₙ wₙ log Σ_k exp(log-weight_k + log p(xₙ | θ_k)), the responsibilities' entropy and the
/// merged statistics, centred on the components the E-step used) and the parameters before and after the M-step. A variational fit reports its
/// evidence lower bound this way. Implementations must be immutable: one instance may serve many fits at once.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal interface IEmObjective<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    /// <summary>The objective after one iteration; the engine reports it and compares its change with the tolerance.</summary>
    /// <param name="logNormalizerSum">Σₙ wₙ log Σ_k exp(log-weight_k + log p(xₙ | θ_k)) of the iteration's E-step.</param>
    /// <param name="responsibilityEntropy">−Σₙ wₙ Σ_k r_nk log r_nk of the iteration's E-step responsibilities (the engine computes it for every fit with an objective).</param>
    /// <param name="previousWeights">The weights the E-step used.</param>
    /// <param name="previousComponents">The components the E-step used (the statistics are centred on them).</param>
    /// <param name="statistics">The K merged statistics of the E-step, the M-step's input.</param>
    /// <param name="weights">The weights after the M-step.</param>
    /// <param name="components">The components after the M-step.</param>
    double AfterMStep(double logNormalizerSum, double responsibilityEntropy, ReadOnlySpan<double> previousWeights, ReadOnlySpan<TComponent> previousComponents, ReadOnlySpan<TStatistics> statistics, ReadOnlySpan<double> weights, ReadOnlySpan<TComponent> components);
}
