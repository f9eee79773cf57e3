using System.Buffers;
using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Product;

/// <summary>The sufficient statistics of a product component: one accumulator per marginal, fed that marginal's columns.</summary>
public sealed class ProductStatistics : ISufficientStatistics<ProductStatistics>, IMissingValueStatistics, IScalableStatistics
{
    [ThreadStatic]
    private static double[]? t_gathered; // one marginal's columns of a block

    private readonly int[][] _columns;
    private readonly ISufficientStatistics[] _parts;
    private readonly IMarginalFamily[] _families;

    internal ProductStatistics(int dimension, int[][] columns, ISufficientStatistics[] parts, IMarginalFamily[] families)
    {
        Dimension = dimension;
        _columns = columns;
        _parts = parts;
        _families = families;
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The sum of the marginals' accumulators' sizes.</summary>
    long ISufficientStatistics.SizeInBytes => _parts.Sum(p => p.SizeInBytes) + 64;

    /// <summary>The marginals' accumulators, in the order of the family's <see cref="Marginal"/> list.</summary>
    public IReadOnlyList<ISufficientStatistics> Parts => Array.AsReadOnly(_parts);

    /// <summary>The number of marginals' accumulators (<see cref="Parts"/> without the wrapper).</summary>
    internal int PartCount => _parts.Length;

    /// <summary>Marginal <paramref name="index"/>'s accumulator.</summary>
    /// <param name="index">Marginal index.</param>
    internal ISufficientStatistics Part(int index) => _parts[index];

    /// <summary>
    /// Counts a block whose parts the caller feeds itself, each with its marginal's columns already gathered
    /// (<see cref="ProductBlockKernel"/>): adds Σ of the block's weights to <see cref="TotalWeight"/>, as
    /// <see cref="Accumulate"/> does.
    /// </summary>
    /// <param name="totalWeight">Σ of the block's weights.</param>
    internal void AddBlock(double totalWeight) => TotalWeight += totalWeight;

    /// <summary>
    /// Fills empty statistics (fresh from the family) with stored values (deserialisation): each part is merged into its
    /// empty counterpart, which copies it, and the total weight is set.
    /// </summary>
    internal void Restore(double totalWeight, IReadOnlyList<ISufficientStatistics> parts)
    {
        if (!(totalWeight >= 0) || !double.IsFinite(totalWeight))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(totalWeight), totalWeight, "Use the finite, non-negative TotalWeight of saved statistics.");
        }

        for (int m = 0; m < _parts.Length; m++)
        {
            _families[m].Merge(_parts[m], parts[m]);
        }

        TotalWeight = totalWeight;
    }

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
            var gathered = ScratchBuffer.Get(ref t_gathered, count * columns.Length);
            ColumnGather.Gather(rows, count, Dimension, columns, gathered);
            _parts[m].Accumulate(gathered, weights);
        }
    }

    /// <inheritdoc />
    public void Merge(ProductStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var o = other;
        if (o.Dimension != Dimension || o._parts.Length != _parts.Length)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge a product accumulator of dimension {o.Dimension} with {o._parts.Length} marginals into one of dimension {Dimension} with {_parts.Length} marginals. Merge statistics created by the same family."));
        }

        for (int m = 0; m < _parts.Length; m++)
        {
            _families[m].Merge(_parts[m], o._parts[m]);
        }

        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    /// <remarks>Every marginal's accumulator is scaled; the built-in marginals' statistics all implement <see cref="IScalableStatistics"/>.</remarks>
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        foreach (var part in _parts)
        {
            ((IScalableStatistics)part).Scale(factor);
        }
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

    /// <inheritdoc />
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        if (count == 0)
        {
            return;
        }

        TotalWeight += VectorKernels.Sum(weights); // every row counts towards the mixing weight
        var pool = ArrayPool<double>.Shared;
        for (int m = 0; m < _parts.Length; m++)
        {
            var columns = _columns[m];
            int c = columns.Length;
            double[] gathered = pool.Rent(count * c);
            double[] keptWeights = pool.Rent(count);
            int[] kept = ArrayPool<int>.Shared.Rent(count);
            try
            {
                // A row with none of this marginal's columns observed tells it nothing: it is left out.
                int used = MissingEntries.GatherObserved(rows, count, Dimension, columns, gathered, kept, out bool anyMissing);
                if (used == 0)
                {
                    continue;
                }

                for (int i = 0; i < used; i++)
                {
                    keptWeights[i] = weights[kept[i]];
                }

                if (anyMissing)
                {
                    _families[m].AccumulateIncomplete(_parts[m], gathered.AsSpan(0, used * c), keptWeights.AsSpan(0, used));
                }
                else
                {
                    _parts[m].Accumulate(gathered.AsSpan(0, used * c), keptWeights.AsSpan(0, used));
                }
            }
            finally
            {
                pool.Return(gathered);
                pool.Return(keptWeights);
                ArrayPool<int>.Shared.Return(kept);
            }
        }
    }
}
