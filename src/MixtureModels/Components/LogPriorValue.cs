namespace MixtureModels.Components;

/// <summary>The value of a reparameterisation's log prior without its gradient: what <see cref="IComponentPrior{TComponent}"/> returns for the built-in families.</summary>
internal static class LogPriorValue
{
    /// <summary>log π(θ) of <paramref name="components"/> (scale 0 into a scratch gradient of the right length).</summary>
    public static double Of<TComponent, TStatistics>(IReparameterization<TComponent, TStatistics> reparameterization, ReadOnlySpan<TComponent> components)
        where TComponent : IComponent
        where TStatistics : ISufficientStatistics<TStatistics> =>
        reparameterization.AddLogPrior(components, 0, new double[reparameterization.UnconstrainedLength(components.Length)]);
}
