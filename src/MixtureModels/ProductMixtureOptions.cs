using MixtureModels.Components.Product;

namespace MixtureModels;

/// <summary>
/// Settings of <see cref="ProductMixture"/>: the shared <see cref="MixtureOptions"/> plus the marginals that model
/// the columns of a mixed table.
/// </summary>
public sealed record ProductMixtureOptions : MixtureOptions
{
    /// <summary>The marginals; their columns must cover every data column exactly once. Required.</summary>
    public required IReadOnlyList<Marginal> Marginals { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        ArgumentNullException.ThrowIfNull(Marginals, nameof(Marginals));
    }
}
