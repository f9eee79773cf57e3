namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family whose M-step maximises a posterior: the log density (up to a constant) of its prior
/// on the component parameters. The estimator judges restarts by lower bound + log π(θ) / W, the objective EM then
/// maximises; the gradient algorithms take the prior's gradient from <see cref="IReparameterization{TComponent, TStatistics}.AddLogPrior"/>.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
public interface IComponentPrior<TComponent>
{
    /// <summary>log π(θ_1, …, θ_K) up to a constant; 0 when the family is configured without a prior.</summary>
    /// <param name="components">The K components.</param>
    double LogPrior(ReadOnlySpan<TComponent> components);
}
