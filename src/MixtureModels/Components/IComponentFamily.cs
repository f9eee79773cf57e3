namespace MixtureModels.Components;

/// <summary>
/// A family of components (for example "Gaussians with tied covariance"): it creates the sufficient statistics and
/// performs the closed-form M-step that turns K accumulators into K components. Doing the M-step per family, not per
/// component, lets parameters be shared across components (tied covariance) without the EM engine knowing about it.
/// Implement it (with a component and a statistics type) to fit your own distribution with
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/>; optional capabilities are separate interfaces
/// (<see cref="IMissingValueComponent"/>, <see cref="IMissingValueStatistics"/>, <see cref="IBlockKernelSource{TComponent, TStatistics}"/>,
/// <see cref="IReparameterization{TComponent, TStatistics}"/>, <see cref="IComponentPrior{TComponent}"/>,
/// <see cref="IDataValidator"/>, <see cref="IDegeneracyCheck{TComponent}"/>).
/// </summary>
/// <typeparam name="TComponent">The component type the family produces.</typeparam>
/// <typeparam name="TStatistics">The statistics type the family accumulates.</typeparam>
public interface IComponentFamily<TComponent, TStatistics>
    where TComponent : IComponent
    where TStatistics : ISufficientStatistics<TStatistics>
{
    /// <summary>Dimension D of the rows.</summary>
    int Dimension { get; }

    /// <summary>Free parameters of K components of this family, excluding the K − 1 mixing weights.</summary>
    /// <param name="componentCount">K.</param>
    int ParameterCount(int componentCount);

    /// <summary>
    /// Creates an empty accumulator. When <paramref name="current"/> is given, the accumulator may centre its
    /// statistics on it (for example on the current mean) to keep them numerically accurate.
    /// </summary>
    /// <param name="current">The component being re-estimated, or null (the first M-step after an initialiser).</param>
    TStatistics CreateStatistics(TComponent? current);

    /// <summary>
    /// Empties an accumulator this family created and centres it for re-estimating <paramref name="current"/>, as
    /// <see cref="CreateStatistics"/> would, without allocating: the engine calls it before every pass over the data,
    /// so that one set of accumulators serves a whole fit. The accumulator must then be in the state
    /// <c>CreateStatistics(current)</c> returns (the engine relies on it for results that do not depend on reuse).
    /// </summary>
    /// <param name="statistics">An accumulator created by this family.</param>
    /// <param name="current">The component being re-estimated, or null (before the first M-step after an initialiser).</param>
    void ResetStatistics(TStatistics statistics, TComponent? current);

    /// <summary>The M-step: writes one component per accumulator into <paramref name="destination"/>.</summary>
    /// <param name="statistics">K accumulators created by this family.</param>
    /// <param name="destination">Receives K components.</param>
    /// <exception cref="CovarianceNotPositiveDefiniteException">An estimated covariance is not positive definite.</exception>
    void Estimate(ReadOnlySpan<TStatistics> statistics, Span<TComponent> destination);
}
