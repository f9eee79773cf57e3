using MixtureModels.Components;

namespace MixtureModels.Tests.Components;

/// <summary>
/// Forwards every member to the family it wraps but is no <see cref="IBlockKernelSource{TComponent, TStatistics}"/>, so that
/// the EM engine driven with it runs the per-component path even where the wrapped family offers a block kernel.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class PerComponentFamily<TComponent, TStatistics> : IComponentFamily<TComponent, TStatistics>
    where TComponent : IComponent
    where TStatistics : ISufficientStatistics<TStatistics>
{
    private readonly IComponentFamily<TComponent, TStatistics> _inner;

    public PerComponentFamily(IComponentFamily<TComponent, TStatistics> inner) => _inner = inner;

    /// <summary>The wrapped family.</summary>
    public IComponentFamily<TComponent, TStatistics> Inner => _inner;

    public int Dimension => _inner.Dimension;

    public int ParameterCount(int componentCount) => _inner.ParameterCount(componentCount);

    public TStatistics CreateStatistics(TComponent? current) => _inner.CreateStatistics(current);

    public void ResetStatistics(TStatistics statistics, TComponent? current) => _inner.ResetStatistics(statistics, current);

    public void Estimate(ReadOnlySpan<TStatistics> statistics, Span<TComponent> destination) => _inner.Estimate(statistics, destination);
}
