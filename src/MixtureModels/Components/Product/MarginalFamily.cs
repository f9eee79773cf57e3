using System.Globalization;

namespace MixtureModels.Components.Product;

/// <summary>
/// Adapts a typed <see cref="IComponentFamily{TComponent, TStatistics}"/> to <see cref="IMarginalFamily"/>, so that a
/// product can hold marginals of different types side by side. The only place where a product's parts are cast back
/// to their own types.
/// </summary>
/// <typeparam name="TComponent">The wrapped family's component type.</typeparam>
/// <typeparam name="TStatistics">The wrapped family's statistics type.</typeparam>
internal sealed class MarginalFamily<TComponent, TStatistics> : IMarginalFamily
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly IComponentFamily<TComponent, TStatistics> _family;

    public MarginalFamily(IComponentFamily<TComponent, TStatistics> family) => _family = family;

    public int Dimension => _family.Dimension;

    /// <summary>The wrapped family (read by <see cref="ProductStartingPoint"/> to check user-given components against it).</summary>
    public IComponentFamily<TComponent, TStatistics> Inner => _family;

    public int ParameterCount(int componentCount) => _family.ParameterCount(componentCount);

    public ISufficientStatistics CreateStatistics(IComponent? current) => _family.CreateStatistics((TComponent?)current);

    public void ResetStatistics(ISufficientStatistics statistics, IComponent? current) => _family.ResetStatistics((TStatistics)statistics, (TComponent?)current);

    public void Merge(ISufficientStatistics target, ISufficientStatistics source) => ((TStatistics)target).Merge((TStatistics)source);

    public void AccumulateIncomplete(ISufficientStatistics target, ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (target is not IMissingValueStatistics incomplete)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{typeof(TStatistics).Name} does not take rows with missing entries. Use a marginal whose statistics implement IMissingValueStatistics."));
        }

        incomplete.AccumulateIncomplete(rows, weights);
    }

    /// <inheritdoc />
    public IBlockDensityKernel<IComponent>? CreateBlockKernel(int componentCount) =>
        (_family as IBlockKernelSource<TComponent, TStatistics>)?.CreateBlockKernel(componentCount) is { } kernel ? new MarginalBlockKernel<TComponent>(kernel, componentCount) : null;

    public void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<IComponent> destination)
    {
        var typedStatistics = new TStatistics[statistics.Length];
        for (int k = 0; k < typedStatistics.Length; k++)
        {
            typedStatistics[k] = (TStatistics)statistics[k];
        }

        var typed = new TComponent[statistics.Length];
        _family.Estimate(typedStatistics, typed);
        for (int k = 0; k < typed.Length; k++)
        {
            destination[k] = typed[k];
        }
    }

    public int UnconstrainedLength(int componentCount) => Reparameterization.UnconstrainedLength(componentCount);

    public void ToUnconstrained(ReadOnlySpan<IComponent> components, Span<double> destination) =>
        Reparameterization.ToUnconstrained(Typed(components), destination);

    public bool TryFromUnconstrained(ReadOnlySpan<double> values, Span<IComponent> destination)
    {
        var typed = new TComponent[destination.Length];
        if (!Reparameterization.TryFromUnconstrained(values, typed))
        {
            return false;
        }

        for (int k = 0; k < typed.Length; k++)
        {
            destination[k] = typed[k];
        }

        return true;
    }

    public void Gradient(ReadOnlySpan<ISufficientStatistics> statistics, ReadOnlySpan<IComponent> components, Span<double> destination)
    {
        var typedStatistics = new TStatistics[statistics.Length];
        for (int k = 0; k < typedStatistics.Length; k++)
        {
            typedStatistics[k] = (TStatistics)statistics[k];
        }

        Reparameterization.Gradient(typedStatistics, Typed(components), destination);
    }

    /// <inheritdoc />
    public double AddLogPrior(ReadOnlySpan<IComponent> components, double scale, Span<double> destination) =>
        Reparameterization.AddLogPrior(Typed(components), scale, destination);

    /// <inheritdoc />
    public bool CanCollapse => _family is IStandardizedReparameterization<TComponent>;

    /// <inheritdoc />
    public double Regularization => (_family as IStandardizedReparameterization<TComponent>)?.Regularization ?? 0;

    /// <inheritdoc />
    public void StandardizingScales(ReadOnlySpan<IComponent> start, Span<double> destination)
    {
        if (_family is IStandardizedReparameterization<TComponent> standardized)
        {
            standardized.StandardizingScales(Typed(start), destination);
        }
        else
        {
            destination.Fill(1);
        }
    }

    /// <inheritdoc />
    public bool HasCollapsed(ReadOnlySpan<IComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        if (_family is IStandardizedReparameterization<TComponent> standardized)
        {
            return standardized.HasCollapsed(Typed(components), columnScales, floor, out component);
        }

        component = 0;
        return false;
    }

    /// <summary>The wrapped family as a reparameterisation, looked up at run time (every built-in marginal family implements it).</summary>
    private IReparameterization<TComponent, TStatistics> Reparameterization => _family as IReparameterization<TComponent, TStatistics>
        ?? throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{_family.GetType().Name} does not implement the unconstrained reparameterisation needed by the gradient optimiser."));

    private static TComponent[] Typed(ReadOnlySpan<IComponent> components)
    {
        var typed = new TComponent[components.Length];
        for (int k = 0; k < typed.Length; k++)
        {
            typed[k] = (TComponent)components[k];
        }

        return typed;
    }

    /// <inheritdoc />
    public void CheckDegeneracy(ReadOnlySpan<IComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        var typed = new TComponent[components.Length];
        for (int k = 0; k < typed.Length; k++)
        {
            typed[k] = (TComponent)components[k];
        }

        DegeneracyRule.Check<TComponent>(_family, typed, effectiveRowCounts, destination);
    }
}
