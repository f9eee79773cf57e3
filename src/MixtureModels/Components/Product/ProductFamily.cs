using System.Globalization;
using MixtureModels.Internal;

namespace MixtureModels.Components.Product;

/// <summary>
/// Products of independent marginals over disjoint column groups that together cover every column once. The M-step
/// runs each marginal's own family on its columns, so shared parameters (a tied Gaussian block) stay shared.
/// </summary>
public sealed class ProductFamily : IComponentFamily<ProductComponent>
{
    private readonly Marginal[] _marginals;
    private readonly int[][] _columns;

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
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>The marginals, in order.</summary>
    public IReadOnlyList<Marginal> Marginals => Array.AsReadOnly(_marginals);

    /// <inheritdoc />
    public int ParameterCount(int componentCount) => _marginals.Sum(m => m.Family.ParameterCount(componentCount));

    /// <inheritdoc />
    public ISufficientStatistics CreateStatistics(ProductComponent? current)
    {
        var parts = new ISufficientStatistics[_marginals.Length];
        for (int m = 0; m < parts.Length; m++)
        {
            parts[m] = _marginals[m].Family.CreateStatistics(current?.Marginal(m));
        }

        return new ProductStatistics(Dimension, _columns, parts);
    }

    /// <inheritdoc />
    public void ResetStatistics(ISufficientStatistics statistics, ProductComponent current)
    {
        var product = Cast(statistics);
        product.Clear();
        for (int m = 0; m < _marginals.Length; m++)
        {
            _marginals[m].Family.ResetStatistics(product.Part(m), current.Marginal(m));
        }
    }

    /// <inheritdoc />
    public void Estimate(ReadOnlySpan<ISufficientStatistics> statistics, Span<ProductComponent> destination)
    {
        int k = statistics.Length;
        var byMarginal = new IComponent[_marginals.Length][];
        var parts = new ISufficientStatistics[k];
        for (int m = 0; m < _marginals.Length; m++)
        {
            for (int c = 0; c < k; c++)
            {
                parts[c] = Cast(statistics[c]).Part(m);
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

    /// <summary>Checks every marginal's columns of <paramref name="data"/> (binary, counts, levels).</summary>
    internal void ValidateData(DataMatrix data, string parameterName, bool allowMissing = false)
    {
        foreach (var marginal in _marginals)
        {
            marginal.ValidateData(data, parameterName, allowMissing);
        }
    }

    private ProductStatistics Cast(ISufficientStatistics statistics)
    {
        if (statistics is ProductStatistics product && product.Dimension == Dimension && product.Parts.Count == _marginals.Length)
        {
            return product;
        }

        ThrowHelper.ThrowArgument(nameof(statistics), $"statistics is not a product accumulator of this family. Pass one created by this family's CreateStatistics.");
        return null!;
    }
}
