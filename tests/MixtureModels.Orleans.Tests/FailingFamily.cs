using MixtureModels.Components;

namespace MixtureModels.Orleans.Tests;

/// <summary>A family registered on the silos whose every pass fails: a shard that fails on every retry.</summary>
internal sealed class FailingFamily(int dimension) : IComponentFamily<ExponentialComponent, ExponentialStatistics>
{
    private readonly ExponentialFamily _inner = new();

    public int Dimension => dimension;

    public int ParameterCount(int componentCount) => _inner.ParameterCount(componentCount);

    public ExponentialStatistics CreateStatistics(ExponentialComponent? current) => _inner.CreateStatistics(current);

    public void ResetStatistics(ExponentialStatistics statistics, ExponentialComponent? current) => _inner.ResetStatistics(statistics, current);

    public void Estimate(ReadOnlySpan<ExponentialStatistics> statistics, Span<ExponentialComponent> destination) =>
        throw new InvalidOperationException("This family fails on every silo, on purpose.");
}
