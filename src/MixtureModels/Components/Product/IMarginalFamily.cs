namespace MixtureModels.Components.Product;

/// <summary>
/// A component family seen through <see cref="IComponent"/> only, so that a product can hold families of different
/// component types side by side.
/// </summary>
internal interface IMarginalFamily
{
    /// <summary>Columns the marginal covers.</summary>
    int Dimension { get; }

    /// <summary>Free parameters of K such marginals (shared ones counted once).</summary>
    int ParameterCount(int componentCount);

    /// <summary>The wrapped family's accumulator, centred on <paramref name="current"/> when given.</summary>
    ISufficientStatistics CreateStatistics(IComponent? current);

    /// <summary>Empties and centres an accumulator of the wrapped family.</summary>
    void ResetStatistics(ISufficientStatistics statistics, IComponent? current);

    /// <summary>Adds <paramref name="source"/> into <paramref name="target"/>, both accumulators of the wrapped family.</summary>
    void Merge(ISufficientStatistics target, ISufficientStatistics source);

    /// <summary>Adds rows with missing entries into an accumulator of the wrapped family (see <see cref="IMissingValueStatistics"/>).</summary>
    /// <exception cref="NotSupportedException">The wrapped family's statistics do not take missing entries.</exception>
    void AccumulateIncomplete(ISufficientStatistics target, ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);

    /// <summary>
    /// The wrapped family's batched density kernel for <paramref name="componentCount"/> components, seen through
    /// <see cref="IComponent"/>, or null when the family has none for this CPU or shape (see <see cref="IBlockKernelSource{TComponent, TStatistics}"/>).
    /// </summary>
    /// <param name="componentCount">K.</param>
    IBlockDensityKernel<IComponent>? CreateBlockKernel(int componentCount);

    /// <summary>The M-step of this marginal for all K components.</summary>
    void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<IComponent> destination);

    /// <summary>Length of this marginal's unconstrained vector of K components (see <see cref="IReparameterization{TComponent, TStatistics}"/>).</summary>
    /// <exception cref="NotSupportedException">The wrapped family has no reparameterisation.</exception>
    int UnconstrainedLength(int componentCount);

    /// <summary>Writes the unconstrained vector of K marginal components.</summary>
    /// <exception cref="NotSupportedException">The wrapped family has no reparameterisation.</exception>
    void ToUnconstrained(ReadOnlySpan<IComponent> components, Span<double> destination);

    /// <summary>Builds K marginal components from an unconstrained vector; false when it overflows.</summary>
    /// <exception cref="NotSupportedException">The wrapped family has no reparameterisation.</exception>
    bool TryFromUnconstrained(ReadOnlySpan<double> values, Span<IComponent> destination);

    /// <summary>Writes the gradient of the weighted log-likelihood of this marginal from its K accumulators.</summary>
    /// <exception cref="NotSupportedException">The wrapped family has no reparameterisation.</exception>
    void Gradient(ReadOnlySpan<ISufficientStatistics> statistics, ReadOnlySpan<IComponent> components, Span<double> destination);

    /// <summary>Returns this marginal's log prior over K components and adds scale × its gradient (see <see cref="IReparameterization{TComponent, TStatistics}.AddLogPrior"/>).</summary>
    /// <exception cref="NotSupportedException">The wrapped family has no reparameterisation.</exception>
    double AddLogPrior(ReadOnlySpan<IComponent> components, double scale, Span<double> destination);

    /// <summary>
    /// Whether the wrapped family can collapse (it implements <see cref="IStandardizedReparameterization{TComponent}"/>:
    /// the normal and Gaussian families), and its regularisation then (0 otherwise).
    /// </summary>
    bool CanCollapse { get; }

    /// <summary>The wrapped family's regularisation (reg_covar) when <see cref="CanCollapse"/>, else 0.</summary>
    double Regularization { get; }

    /// <summary>
    /// Writes this marginal's standardising factors (see <see cref="IStandardizedReparameterization{TComponent}.StandardizingScales"/>)
    /// into its UnconstrainedLength(K) block: the wrapped family's when it has them, else 1 (its coordinates as they are).
    /// </summary>
    void StandardizingScales(ReadOnlySpan<IComponent> start, Span<double> destination);

    /// <summary>
    /// Whether a covariance of this marginal has collapsed (see <see cref="IStandardizedReparameterization{TComponent}.HasCollapsed"/>);
    /// <paramref name="columnScales"/> are the scales of this marginal's own columns, in its order. Always false for a
    /// family that cannot collapse.
    /// </summary>
    bool HasCollapsed(ReadOnlySpan<IComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component);

    /// <summary>The degeneracy of this marginal in each of K components: the wrapped family's <see cref="IDegeneracyCheck{TComponent}"/>, or the generic rule.</summary>
    void CheckDegeneracy(ReadOnlySpan<IComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination);
}
