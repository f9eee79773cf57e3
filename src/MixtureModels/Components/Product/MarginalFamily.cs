using System.Globalization;
using MixtureModels.Fitting;
using MixtureModels.Optimization;

namespace MixtureModels.Components.Product;

/// <summary>Adapts a typed <see cref="IComponentFamily{TComponent}"/> to <see cref="IMarginalFamily"/>.</summary>
internal sealed class MarginalFamily<TComponent> : IMarginalFamily
    where TComponent : class, IComponent
{
    private readonly IComponentFamily<TComponent> _family;

    public MarginalFamily(IComponentFamily<TComponent> family) => _family = family;

    public int Dimension => _family.Dimension;

    /// <summary>The wrapped family (read by <see cref="ProductStartingPoint"/> to check user-given components against it).</summary>
    public IComponentFamily<TComponent> Inner => _family;

    public int ParameterCount(int componentCount) => _family.ParameterCount(componentCount);

    public ISufficientStatistics CreateStatistics(IComponent? current) => _family.CreateStatistics((TComponent?)current);

    public void ResetStatistics(ISufficientStatistics statistics, IComponent current) => _family.ResetStatistics(statistics, (TComponent)current);

    /// <inheritdoc />
    public IBlockKernel<IComponent>? CreateBlockKernel(int componentCount) =>
        (_family as IBlockKernelSource<TComponent>)?.CreateBlockKernel(componentCount) is { } kernel ? new MarginalBlockKernel<TComponent>(kernel, componentCount) : null;

    public void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<IComponent> destination)
    {
        var typed = new TComponent[statistics.Length];
        _family.Estimate(statistics, typed);
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

    public void Gradient(ReadOnlySpan<ISufficientStatistics> statistics, ReadOnlySpan<IComponent> components, Span<double> destination) =>
        Reparameterization.Gradient(statistics, Typed(components), destination);

    /// <inheritdoc />
    public double AddLogPrior(ReadOnlySpan<IComponent> components, double scale, Span<double> destination) =>
        Reparameterization.AddLogPrior(Typed(components), scale, destination);

    /// <summary>The wrapped family as a reparameterisation, looked up at run time (every marginal family implements it).</summary>
    private IReparameterization<TComponent> Reparameterization => _family as IReparameterization<TComponent>
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
}
