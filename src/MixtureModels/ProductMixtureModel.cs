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

    internal ProductMixtureModel(double[] weights, ProductComponent[] components, ProductFamily family, FitReport report, int[] trainingLabels, MissingValueHandling missingValues)
        : base(weights, components, family.ParameterCount(components.Length), report, trainingLabels, missingValues)
    {
        _family = family;
    }

    /// <summary>The marginals every component is made of, in order.</summary>
    public IReadOnlyList<Marginal> Marginals => _family.Marginals;

    /// <inheritdoc />
    protected override void ValidateQueryData(DataMatrix data) => _family.ValidateData(data, nameof(data), MissingValues == MissingValueHandling.Marginalize);
}
