using MixtureModels.Components;
using MixtureModels.Components.Product;

namespace MixtureModels;

/// <summary>
/// A product mixture derived from a fitted one by <see cref="ProductMixtureModel.Condition"/>: the mixture over the
/// columns that were not conditioned on, with the remaining marginals unchanged and the weights moved to
/// p(z = k | x_a). It answers every query of <see cref="MixtureModel{TComponent}"/> through the same batched kernel and
/// data checks as the fitted model; it has no fit report. Immutable and safe to query from many threads at once.
/// </summary>
public sealed class ProductMixtureDistribution : MixtureModel<ProductComponent>
{
    private readonly ProductFamily _family;
    private readonly int[] _sourceColumns;

    internal ProductMixtureDistribution(double[] weights, ProductComponent[] components, ProductFamily family, MissingValueHandling missingValues, int[] sourceColumns)
        : base(weights, components, family.ParameterCount(components.Length), KernelFactory(family, components.Length), family)
    {
        _family = family;
        _sourceColumns = sourceColumns;
        MissingValues = missingValues;
    }

    /// <summary>What NaN means in this mixture's queries: the setting of the fitted model it was derived from.</summary>
    public override MissingValueHandling MissingValues { get; }

    /// <summary>The remaining marginals, in the fitted model's order, with their columns numbered in this mixture (0 … D − 1).</summary>
    public IReadOnlyList<Marginal> Marginals => _family.Marginals;

    /// <summary>For each of this mixture's D columns, the index of the fitted model's column it is (length D, ascending).</summary>
    public IReadOnlyList<int> SourceColumns => Array.AsReadOnly(_sourceColumns);

    /// <summary>Conditions this mixture further on whole marginals; see <see cref="ProductMixtureModel.Condition"/>.</summary>
    /// <param name="columns">This mixture's columns to condition on: distinct, in [0, D), covering whole marginals, at least one and fewer than D.</param>
    /// <param name="values">One value per entry of <paramref name="columns"/>, in that order, valid for its marginal.</param>
    /// <returns>The conditional mixture over the remaining columns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid or split a marginal, or a value is missing, non-finite, invalid for its marginal, or impossible under every component.</exception>
    public ProductMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        ProductMixtureAlgebra.Condition(this, _family.Marginals, MissingValues, columns, values, _sourceColumns);

    private static Func<IBlockDensityKernel<ProductComponent>?> KernelFactory(ProductFamily family, int componentCount) =>
        () => ((IBlockKernelSource<ProductComponent, ProductStatistics>)family).CreateBlockKernel(componentCount);
}
