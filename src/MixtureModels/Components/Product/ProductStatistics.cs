using System.Globalization;
using MixtureModels.Internal;

namespace MixtureModels.Components.Product;

/// <summary>The sufficient statistics of a product component: one accumulator per marginal, fed that marginal's columns.</summary>
public sealed class ProductStatistics : ISufficientStatistics
{
    private readonly int[][] _columns;
    private readonly ISufficientStatistics[] _parts;

    internal ProductStatistics(int dimension, int[][] columns, ISufficientStatistics[] parts)
    {
        Dimension = dimension;
        _columns = columns;
        _parts = parts;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The marginals' accumulators, in the order of the family's <see cref="Marginal"/> list.</summary>
    public IReadOnlyList<ISufficientStatistics> Parts => Array.AsReadOnly(_parts);

    internal ISufficientStatistics Part(int index) => _parts[index];

    /// <inheritdoc />
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        if (count == 0)
        {
            return;
        }

        TotalWeight += VectorKernels.Sum(weights);
        for (int m = 0; m < _parts.Length; m++)
        {
            var columns = _columns[m];
            var gathered = ThreadScratch.Get(ThreadScratch.ProductColumns, count * columns.Length);
            ColumnGather.Gather(rows, count, Dimension, columns, gathered);
            _parts[m].Accumulate(gathered, weights);
        }
    }

    /// <inheritdoc />
    public void Merge(ISufficientStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is not ProductStatistics o || o.Dimension != Dimension || o._parts.Length != _parts.Length)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge {other.GetType().Name} into a product accumulator of dimension {Dimension} with {_parts.Length} marginals. Merge statistics created by the same family."));
            return;
        }

        for (int m = 0; m < _parts.Length; m++)
        {
            _parts[m].Merge(o._parts[m]);
        }

        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        foreach (var part in _parts)
        {
            part.Clear();
        }
    }
}
