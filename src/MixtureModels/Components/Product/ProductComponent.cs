using MixtureModels.Internal;

namespace MixtureModels.Components.Product;

/// <summary>
/// A product of independent marginals over disjoint groups of columns: log p(x) = Σ_m log p_m(x[columns_m]).
/// Immutable; built by <see cref="ProductFamily"/>.
/// </summary>
public sealed class ProductComponent : IComponent
{
    private readonly int[][] _columns;
    private readonly IComponent[] _marginals;

    internal ProductComponent(int dimension, int[][] columns, IComponent[] marginals)
    {
        Dimension = dimension;
        _columns = columns;
        _marginals = marginals;
        ParameterCount = marginals.Sum(m => m.ParameterCount);
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public int ParameterCount { get; }

    /// <summary>The marginal components, in the order of the family's <see cref="Marginal"/> list.</summary>
    public IReadOnlyList<IComponent> Marginals => Array.AsReadOnly(_marginals);

    /// <summary>The data columns of marginal <paramref name="index"/>.</summary>
    /// <param name="index">Marginal index.</param>
    public IReadOnlyList<int> ColumnsOf(int index) => Array.AsReadOnly(_columns[index]);

    internal IComponent Marginal(int index) => _marginals[index];

    /// <inheritdoc />
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int count = destination.Length;
        destination.Clear();
        var partial = ThreadScratch.Get(ThreadScratch.ProductDensity, count);
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            var gathered = ThreadScratch.Get(ThreadScratch.ProductColumns, count * columns.Length);
            ColumnGather.Gather(rows, count, Dimension, columns, gathered);
            _marginals[m].LogDensity(gathered, partial);
            for (int n = 0; n < count; n++)
            {
                destination[n] += partial[n];
            }
        }
    }

    /// <inheritdoc />
    public double LogDensity(ReadOnlySpan<double> row)
    {
        Span<double> result = stackalloc double[1];
        LogDensity(row[..Dimension], result);
        return result[0];
    }

    /// <inheritdoc />
    public void Sample(Random random, Span<double> destination)
    {
        Span<double> buffer = Dimension <= 64 ? stackalloc double[Dimension] : new double[Dimension];
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            var draw = buffer[..columns.Length];
            _marginals[m].Sample(random, draw);
            for (int j = 0; j < columns.Length; j++)
            {
                destination[columns[j]] = draw[j];
            }
        }
    }
}
