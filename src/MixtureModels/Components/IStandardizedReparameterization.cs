namespace MixtureModels.Components;

/// <summary>
/// An optional capability of a family's <see cref="IReparameterization{TComponent, TStatistics}"/> (asked once per
/// gradient fit): it knows how its unconstrained coordinates change when every column j is centred and divided by a
/// scale, so that the gradient algorithms can run in standardised coordinates (making them indifferent to the units
/// of the columns), and it can tell when a component's covariance has collapsed.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
internal interface IStandardizedReparameterization<TComponent>
    where TComponent : IComponent
{
    /// <summary>The covariance regularisation (reg_covar) of the family's M-step, for messages.</summary>
    double Regularization { get; }

    /// <summary>For messages: the option that holds <see cref="Regularization"/> (EM adds it to every variance).</summary>
    string RegularizationOption => "CovarianceRegularization";

    /// <summary>For messages: where a prior that keeps the optimum finite is set.</summary>
    string PriorAdvice => "GaussianMixtureOptions.CovariancePrior, for example CovariancePrior.FromData(data, k)";

    /// <summary>
    /// Writes, for every unconstrained coordinate uᵢ of the K components, a factor bᵢ &gt; 0 such that uᵢ = aᵢ + bᵢ·u'ᵢ
    /// maps the parameters u' of the same mixture in coordinates standardised by <paramref name="start"/> (each
    /// component's columns centred and divided by that component's standard deviations, or the shared covariance's)
    /// back to u. The offsets aᵢ do not matter to the optimisers, which are invariant to translations.
    /// </summary>
    /// <param name="start">The K components the optimisation starts from.</param>
    /// <param name="destination">UnconstrainedLength(K) factors.</param>
    void StandardizingScales(ReadOnlySpan<TComponent> start, Span<double> destination);

    /// <summary>
    /// Finds a component whose covariance, in the standardised coordinates (S⁻¹ΣS⁻¹ with S = diag(s)), has a variance
    /// or eigenvalue below <paramref name="floor"/>: a collapse onto a point or a lower-dimensional set.
    /// </summary>
    /// <param name="components">The K components.</param>
    /// <param name="columnScales">s_j &gt; 0 per column.</param>
    /// <param name="floor">The smallest standardised variance allowed.</param>
    /// <param name="component">The first collapsed component, or -1 for a shared (tied) covariance.</param>
    /// <returns>Whether one collapsed.</returns>
    bool HasCollapsed(ReadOnlySpan<TComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component);
}
