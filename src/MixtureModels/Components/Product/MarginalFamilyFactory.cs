namespace MixtureModels.Components.Product;

/// <summary>Wraps a typed family as an <see cref="IMarginalFamily"/>, inferring its component and statistics types.</summary>
internal static class MarginalFamilyFactory
{
    /// <summary>The adapter of <paramref name="family"/>.</summary>
    public static IMarginalFamily Wrap<TComponent, TStatistics>(IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics> =>
        new MarginalFamily<TComponent, TStatistics>(family);
}
