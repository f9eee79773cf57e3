using MixtureModels.Components.Product;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// A fitted mixture of products of marginals over a mixed table: weights, per-component marginals
/// (<see cref="ProductComponent.Marginals"/>), the fit's report and every query of
/// <see cref="FittedMixtureModel{TComponent}"/>. Query data must suit every marginal (binary, counts, levels).
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class ProductMixtureModel : FittedMixtureModel<ProductComponent>
{
    private readonly ProductFamily _family;

    internal ProductMixtureModel(FitOutcome<ProductComponent> outcome, ProductFamily family)
        : base(outcome)
    {
        _family = family;
    }

    /// <summary>The marginals every component is made of, in order.</summary>
    public IReadOnlyList<Marginal> Marginals => _family.Marginals;
}
