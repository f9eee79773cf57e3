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

    ISufficientStatistics CreateStatistics(IComponent? current);

    void ResetStatistics(ISufficientStatistics statistics, IComponent current);

    /// <summary>The M-step of this marginal for all K components.</summary>
    void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<IComponent> destination);
}
