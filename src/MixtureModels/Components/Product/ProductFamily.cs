using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Product;

/// <summary>
/// Products of independent marginals over disjoint column groups that together cover every column once. The M-step
/// runs each marginal's own family on its columns, so shared parameters (a tied Gaussian block) stay shared.
/// </summary>
public sealed class ProductFamily : IComponentFamily<ProductComponent, ProductStatistics>, IReparameterization<ProductComponent, ProductStatistics>, IStandardizedReparameterization<ProductComponent>, IBlockKernelSource<ProductComponent, ProductStatistics>, IComponentPrior<ProductComponent>, IDataValidator, IDegeneracyCheck<ProductComponent>
{
    private readonly Marginal[] _marginals;
    private readonly int[][] _columns;
    private readonly IMarginalFamily[] _families;

    /// <summary>Creates the family.</summary>
    /// <param name="dimension">D, the number of data columns.</param>
    /// <param name="marginals">Marginals whose columns cover 0..D−1 exactly once.</param>
    /// <exception cref="ArgumentException">A column is out of range, covered twice or not covered.</exception>
    public ProductFamily(int dimension, IReadOnlyList<Marginal> marginals)
    {
        ArgumentNullException.ThrowIfNull(marginals);
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1.");
        }

        if (marginals.Count == 0)
        {
            ThrowHelper.ThrowArgument(nameof(marginals), "marginals is empty. Give one marginal per group of columns.");
        }

        var owner = new int[dimension];
        Array.Fill(owner, -1);
        for (int m = 0; m < marginals.Count; m++)
        {
            var marginal = marginals[m] ?? throw new ArgumentNullException(nameof(marginals), string.Create(CultureInfo.InvariantCulture, $"marginals[{m}] is null."));
            foreach (int c in marginal.ColumnArray)
            {
                if (c >= dimension)
                {
                    ThrowHelper.ThrowArgument(nameof(marginals), string.Create(CultureInfo.InvariantCulture, $"marginals[{m}] ({marginal.Kind}) uses column {c} but the data has {dimension} columns. Use column indices in [0, {dimension})."));
                }

                if (owner[c] >= 0)
                {
                    ThrowHelper.ThrowArgument(nameof(marginals), string.Create(CultureInfo.InvariantCulture, $"Column {c} is covered by marginals[{owner[c]}] and marginals[{m}]. Give every column to exactly one marginal."));
                }

                owner[c] = m;
            }
        }

        int missing = Array.IndexOf(owner, -1);
        if (missing >= 0)
        {
            ThrowHelper.ThrowArgument(nameof(marginals), string.Create(CultureInfo.InvariantCulture, $"Column {missing} is not covered by any marginal. Give every column to exactly one marginal (drop unused columns from the data)."));
        }

        Dimension = dimension;
        _marginals = [.. marginals];
        _columns = _marginals.Select(m => m.ColumnArray).ToArray();
        _families = _marginals.Select(m => m.Family).ToArray();
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The marginals, in order.</summary>
    public IReadOnlyList<Marginal> Marginals => Array.AsReadOnly(_marginals);

    /// <inheritdoc />
    public int ParameterCount(int componentCount) => _marginals.Sum(m => m.Family.ParameterCount(componentCount));

    /// <inheritdoc />
    public ProductStatistics CreateStatistics(ProductComponent? current)
    {
        var parts = new ISufficientStatistics[_marginals.Length];
        for (int m = 0; m < parts.Length; m++)
        {
            parts[m] = _marginals[m].Family.CreateStatistics(current?.Marginal(m));
        }

        return new ProductStatistics(Dimension, _columns, parts, _families);
    }

    /// <inheritdoc />
    public void ResetStatistics(ProductStatistics statistics, ProductComponent? current)
    {
        var product = Check(statistics);
        product.Clear();
        for (int m = 0; m < _marginals.Length; m++)
        {
            _marginals[m].Family.ResetStatistics(product.Part(m), current?.Marginal(m));
        }
    }

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<ProductStatistics> statistics, Span<ProductComponent> destination)
    {
        int k = statistics.Length;
        var byMarginal = new IComponent[_marginals.Length][];
        var parts = new ISufficientStatistics[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                parts[c] = Check(statistics[c]).Part(m);
            }

            byMarginal[m] = new IComponent[k];
            _marginals[m].Family.Estimate(parts, byMarginal[m]);
        }

        for (int c = 0; c < k; c++)
        {
            var marginals = new IComponent[_marginals.Length];
            for (int m = 0; m < marginals.Length; m++)
            {
                marginals[m] = byMarginal[m][c];
            }

            destination[c] = new ProductComponent(Dimension, _columns, marginals);
        }
    }

    /// <inheritdoc />
    /// <remarks>A component is degenerate when one of its marginals is, by that marginal family's own check (normal and Gaussian marginals: see <see cref="Normal.NormalFamily"/> and <see cref="Gaussian.GaussianFamily"/>) or, for Bernoulli, categorical and Poisson marginals, by the generic rule of <see cref="IDegeneracyCheck{TComponent}"/>; the flags of its marginals are combined.</remarks>
    /// <exception cref="ArgumentException">The spans do not have one entry per component.</exception>
    public void CheckDegeneracy(ReadOnlySpan<ProductComponent> components, ReadOnlySpan<double> effectiveRowCounts, Span<ComponentDegeneracy> destination)
    {
        DegeneracyArguments.Check(components.Length, effectiveRowCounts.Length, destination.Length);
        destination.Clear();
        var parts = new IComponent[components.Length];
        var flags = new ComponentDegeneracy[components.Length];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < parts.Length; c++)
            {
                ArgumentNullException.ThrowIfNull(components[c], nameof(components));
                parts[c] = components[c].Marginal(m);
            }

            _marginals[m].Family.CheckDegeneracy(parts, effectiveRowCounts, flags);
            for (int c = 0; c < parts.Length; c++)
            {
                destination[c] |= flags[c];
            }
        }
    }

    /// <summary>Checks every marginal's columns of <paramref name="data"/> (binary, counts, levels).</summary>
    internal void ValidateData(DataMatrix data, string parameterName, bool allowMissing = false)
    {
        foreach (var marginal in _marginals)
        {
            marginal.ValidateData(data, parameterName, allowMissing);
        }
    }

    /// <summary>
    /// Σ_m L_m(K): the marginals' unconstrained vectors of all K components, concatenated in marginal order
    /// (marginal-major: block m holds marginal m's own layout for components 0..K−1, so a tied Gaussian block keeps its
    /// shared parameters once).
    /// </summary>
    int IReparameterization<ProductComponent, ProductStatistics>.UnconstrainedLength(int componentCount)
    {
        int length = 0;
        foreach (var marginal in _marginals)
        {
            length = checked(length + marginal.Family.UnconstrainedLength(componentCount));
        }

        return length;
    }

    /// <summary>Writes every marginal's block in marginal order.</summary>
    void IReparameterization<ProductComponent, ProductStatistics>.ToUnconstrained(ReadOnlySpan<ProductComponent> components, Span<double> destination)
    {
        int k = components.Length, offset = 0;
        var parts = new IComponent[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                parts[c] = components[c].Marginal(m);
            }

            var family = _marginals[m].Family;
            int length = family.UnconstrainedLength(k);
            family.ToUnconstrained(parts, destination.Slice(offset, length));
            offset += length;
        }
    }

    /// <summary>Builds every marginal's K components from its block; false when any block overflows.</summary>
    bool IReparameterization<ProductComponent, ProductStatistics>.TryFromUnconstrained(ReadOnlySpan<double> values, Span<ProductComponent> destination)
    {
        int k = destination.Length, offset = 0;
        var byMarginal = new IComponent[_marginals.Length][];
        for (int m = 0; m < _marginals.Length; m++)
        {
            var family = _marginals[m].Family;
            int length = family.UnconstrainedLength(k);
            byMarginal[m] = new IComponent[k];
            if (!family.TryFromUnconstrained(values.Slice(offset, length), byMarginal[m]))
            {
                return false;
            }

            offset += length;
        }

        for (int c = 0; c < k; c++)
        {
            var marginals = new IComponent[_marginals.Length];
            for (int m = 0; m < marginals.Length; m++)
            {
                marginals[m] = byMarginal[m][c];
            }

            destination[c] = new ProductComponent(Dimension, _columns, marginals);
        }

        return true;
    }

    /// <summary>
    /// Every marginal's gradient from its part of the product statistics, in the same blocks: the log-density of a
    /// product is the sum of its marginals', each depending on its own block only.
    /// </summary>
    void IReparameterization<ProductComponent, ProductStatistics>.Gradient(ReadOnlySpan<ProductStatistics> statistics, ReadOnlySpan<ProductComponent> components, Span<double> destination)
    {
        int k = components.Length, offset = 0;
        var parts = new ISufficientStatistics[k];
        var marginalComponents = new IComponent[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                parts[c] = Check(statistics[c]).Part(m);
                marginalComponents[c] = components[c].Marginal(m);
            }

            var family = _marginals[m].Family;
            int length = family.UnconstrainedLength(k);
            family.Gradient(parts, marginalComponents, destination.Slice(offset, length));
            offset += length;
        }
    }

    /// <summary>The sum of the marginals' log priors, each adding its gradient to its own block.</summary>
    double IReparameterization<ProductComponent, ProductStatistics>.AddLogPrior(ReadOnlySpan<ProductComponent> components, double scale, Span<double> destination)
    {
        int k = components.Length, offset = 0;
        var marginalComponents = new IComponent[k];
        double value = 0;
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                marginalComponents[c] = components[c].Marginal(m);
            }

            var family = _marginals[m].Family;
            int length = family.UnconstrainedLength(k);
            value += family.AddLogPrior(marginalComponents, scale, destination.Slice(offset, length));
            offset += length;
        }

        return value;
    }

    /// <summary>
    /// The regularisation of the marginals that can collapse (normal and Gaussian), for messages: the largest if they
    /// differ, 0 if there are none.
    /// </summary>
    double IStandardizedReparameterization<ProductComponent>.Regularization =>
        _families.Where(f => f.CanCollapse).Select(f => f.Regularization).DefaultIfEmpty(0).Max();

    /// <inheritdoc />
    string IStandardizedReparameterization<ProductComponent>.RegularizationOption => "the collapsing marginal's regularisation (Marginal.Normal's varianceRegularization, Marginal.Gaussian's covarianceRegularization)";

    /// <inheritdoc />
    string IStandardizedReparameterization<ProductComponent>.PriorAdvice => "the prior of the collapsing marginal: Marginal.Normal(column, varianceRegularization, prior) or Marginal.Gaussian(columns, covarianceType, covarianceRegularization, prior), for example CovariancePrior.FromData over that marginal's columns";

    /// <summary>
    /// Every marginal's factors in its own block, in the layout of the unconstrained vector: the normal and Gaussian
    /// marginals' standardising factors, 1 for the others (Bernoulli, categorical and Poisson parameters are logits or
    /// log rates, which do not change with the units of a column).
    /// </summary>
    void IStandardizedReparameterization<ProductComponent>.StandardizingScales(ReadOnlySpan<ProductComponent> start, Span<double> destination)
    {
        int k = start.Length, offset = 0;
        var parts = new IComponent[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                parts[c] = start[c].Marginal(m);
            }

            var family = _families[m];
            int length = family.UnconstrainedLength(k);
            family.StandardizingScales(parts, destination.Slice(offset, length));
            offset += length;
        }
    }

    /// <summary>Asks every marginal, with the scales of its own columns, whether one of its covariances collapsed.</summary>
    bool IStandardizedReparameterization<ProductComponent>.HasCollapsed(ReadOnlySpan<ProductComponent> components, ReadOnlySpan<double> columnScales, double floor, out int component)
    {
        int k = components.Length;
        var parts = new IComponent[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            var family = _families[m];
            if (!family.CanCollapse)
            {
                continue;
            }

            for (int c = 0; c < k; c++)
            {
                parts[c] = components[c].Marginal(m);
            }

            var columns = _columns[m];
            var scales = new double[columns.Length];
            for (int j = 0; j < columns.Length; j++)
            {
                scales[j] = columnScales[columns[j]];
            }

            if (family.HasCollapsed(parts, scales, floor, out component))
            {
                return true;
            }
        }

        component = 0;
        return false;
    }

    /// <summary>The K components' batched E-step and statistics (<see cref="ProductBlockKernel"/>), on any CPU: it gathers each marginal's columns once per block instead of once per component, and runs the marginals' own block kernels where they have them.</summary>
    /// <param name="componentCount">K.</param>
    IBlockKernel<ProductComponent, ProductStatistics>? IBlockKernelSource<ProductComponent, ProductStatistics>.CreateBlockKernel(int componentCount)
    {
        var parts = new IBlockDensityKernel<IComponent>?[_marginals.Length];
        for (int m = 0; m < parts.Length; m++)
        {
            parts[m] = _marginals[m].Family.CreateBlockKernel(componentCount);
        }

        return new ProductBlockKernel(this, _columns, parts, componentCount);
    }

    /// <inheritdoc />
    double IComponentPrior<ProductComponent>.LogPrior(ReadOnlySpan<ProductComponent> components) =>
        LogPriorValue.Of(this, components);

    /// <inheritdoc />
    void IDataValidator.Validate(DataMatrix data, string parameterName, bool allowMissing) => ValidateData(data, parameterName, allowMissing);

    /// <summary><paramref name="statistics"/>, checked to be a product accumulator of this family's shape.</summary>
    /// <param name="statistics">An accumulator created by <see cref="CreateStatistics"/>.</param>
    private ProductStatistics Check(ProductStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        if (statistics.Dimension == Dimension && statistics.PartCount == _marginals.Length)
        {
            return statistics;
        }

        ThrowHelper.ThrowArgument(nameof(statistics), $"statistics is not a product accumulator of this family. Pass one created by this family's CreateStatistics.");
        return null!;
    }
}
