using MixtureModels.Components;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Internal;

/// <summary>
/// Forwards every member to the family it wraps but is no <see cref="IBlockKernelSource{TComponent}"/>, so that
/// the EM engine driven with it runs the per-component path even where the wrapped family offers a block kernel.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
internal sealed class PerComponentFamily<TComponent> : IComponentFamily<TComponent>
    where TComponent : IComponent
{
    private readonly IComponentFamily<TComponent> _inner;

    public PerComponentFamily(IComponentFamily<TComponent> inner) => _inner = inner;

    /// <summary>The wrapped family.</summary>
    public IComponentFamily<TComponent> Inner => _inner;

    public int Dimension => _inner.Dimension;

    public int ParameterCount(int componentCount) => _inner.ParameterCount(componentCount);

    public ISufficientStatistics CreateStatistics(TComponent? current) => _inner.CreateStatistics(current);

    public void ResetStatistics(ISufficientStatistics statistics, TComponent current) => _inner.ResetStatistics(statistics, current);

    public void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<TComponent> destination) => _inner.Estimate(statistics, destination);
}
