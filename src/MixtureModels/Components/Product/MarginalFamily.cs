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

    public void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<IComponent> destination)
    {
        var typed = new TComponent[statistics.Length];
        _family.Estimate(statistics, typed);
        for (int k = 0; k < typed.Length; k++)
        {
            destination[k] = typed[k];
        }
    }
}
