using System.Buffers;
using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Product;

/// <summary>
/// A product of independent marginals over disjoint groups of columns: log p(x) = Σ_m log p_m(x[columns_m]).
/// Immutable; built by <see cref="ProductFamily"/>.
/// </summary>
public sealed class ProductComponent : IMissingValueComponent, IUncheckedComponent
{
    [ThreadStatic]
    private static double[]? t_gathered; // one marginal's columns of a block

    [ThreadStatic]
    private static double[]? t_partial;  // one marginal's log-densities of a block

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

    /// <summary>
    /// Marginal <paramref name="index"/> as the component type it has, without a cast: <c>GetMarginal&lt;NormalComponent&gt;(0)</c>
    /// for <see cref="Marginal.Normal"/>, <c>GaussianComponent</c> for <see cref="Marginal.Gaussian"/>,
    /// <c>BernoulliComponent</c>, <c>CategoricalComponent</c> and <c>PoissonComponent</c> for the other built-in marginals.
    /// </summary>
    /// <typeparam name="TMarginal">The marginal's component type (or a base type or interface of it).</typeparam>
    /// <param name="index">Marginal index in [0, <see cref="Marginals"/>.Count).</param>
    /// <returns>The marginal component.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, Marginals.Count).</exception>
    /// <exception cref="InvalidCastException">Marginal <paramref name="index"/> is of another type; the message names its type.</exception>
    public TMarginal GetMarginal<TMarginal>(int index)
        where TMarginal : IComponent
    {
        if ((uint)index >= (uint)_marginals.Length)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(index), index, string.Create(CultureInfo.InvariantCulture, $"Pass a marginal index in [0, {_marginals.Length})."));
        }

        if (_marginals[index] is TMarginal typed)
        {
            return typed;
        }

        throw new InvalidCastException(string.Create(CultureInfo.InvariantCulture, $"Marginal {index} is a {_marginals[index].GetType().Name}, not a {typeof(TMarginal).Name}. Call GetMarginal<{_marginals[index].GetType().Name}>({index}), or read Marginals[{index}]."));
    }

    /// <summary>The data columns of marginal <paramref name="index"/>.</summary>
    /// <param name="index">Marginal index.</param>
    public IReadOnlyList<int> ColumnsOf(int index) => Array.AsReadOnly(_columns[index]);

    /// <summary>The number of marginals.</summary>
    internal int MarginalCount => _marginals.Length;

    /// <summary>Marginal <paramref name="index"/>'s component.</summary>
    /// <param name="index">Marginal index.</param>
    internal IComponent Marginal(int index) => _marginals[index];

    /// <summary>Marginal <paramref name="index"/> as a component that handles missing entries (every built-in marginal does).</summary>
    private IMissingValueComponent MissingValueMarginal(int index) => _marginals[index] as IMissingValueComponent
        ?? throw new NotSupportedException($"Marginal {index} ({_marginals[index].GetType().Name}) does not implement IMissingValueComponent, so rows with missing entries cannot be evaluated.");

    /// <summary>The data columns of marginal <paramref name="index"/>, without a copy or wrapper.</summary>
    /// <param name="index">Marginal index.</param>
    internal int[] ColumnArray(int index) => _columns[index];

    /// <inheritdoc />
    internal void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int count = destination.Length;
        destination.Clear();
        var partial = ScratchBuffer.Get(ref t_partial, count);
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            var gathered = ScratchBuffer.Get(ref t_gathered, count * columns.Length);
            ColumnGather.Gather(rows, count, Dimension, columns, gathered);
            ComponentDensities.LogDensity(_marginals[m], gathered, partial);
            VectorKernels.Add(partial, destination);
        }
    }

    /// <inheritdoc />
    internal double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        Span<double> result = stackalloc double[1];
        LogDensityUnchecked(row, result);
        return result[0];
    }

    /// <inheritdoc />
    internal void SampleUnchecked(Random random, Span<double> destination)
    {
        Span<double> buffer = Dimension <= 64 ? stackalloc double[Dimension] : new double[Dimension];
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            var draw = buffer[..columns.Length];
            ComponentDensities.Sample(_marginals[m], random, draw);
            for (int j = 0; j < columns.Length; j++)
            {
                destination[columns[j]] = draw[j];
            }
        }
    }

    /// <inheritdoc />
    internal void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int count = destination.Length;
        destination.Clear();
        var pool = ArrayPool<double>.Shared;
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            int c = columns.Length;
            double[] gathered = pool.Rent(count * c);
            double[] partial = pool.Rent(count);
            int[] kept = ArrayPool<int>.Shared.Rent(count);
            try
            {
                // Only the rows with at least one observed entry in this marginal's columns; the others contribute log 1 = 0.
                int used = MissingEntries.GatherObserved(rows, count, Dimension, columns, gathered, kept, out bool anyMissing);
                if (used == 0)
                {
                    continue;
                }

                var block = gathered.AsSpan(0, used * c);
                var result = partial.AsSpan(0, used);
                if (anyMissing)
                {
                    ComponentDensities.MarginalLogDensity(MissingValueMarginal(m), block, result);
                }
                else
                {
                    ComponentDensities.LogDensity(_marginals[m], block, result);
                }

                for (int i = 0; i < used; i++)
                {
                    destination[kept[i]] += result[i];
                }
            }
            finally
            {
                pool.Return(gathered);
                pool.Return(partial);
                ArrayPool<int>.Shared.Return(kept);
            }
        }
    }

    /// <inheritdoc />
    internal void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        Span<double> buffer = Dimension <= 64 ? stackalloc double[2 * Dimension] : new double[2 * Dimension];
        for (int m = 0; m < _marginals.Length; m++)
        {
            var columns = _columns[m];
            var part = buffer[..columns.Length];
            var completed = buffer.Slice(Dimension, columns.Length);
            bool anyMissing = false, anyObserved = false;
            for (int j = 0; j < columns.Length; j++)
            {
                part[j] = row[columns[j]];
                if (double.IsNaN(part[j]))
                {
                    anyMissing = true;
                }
                else
                {
                    anyObserved = true;
                }
            }

            if (!anyMissing)
            {
                part.CopyTo(completed);
            }
            else if (!anyObserved && _marginals[m] is GaussianComponent gaussian)
            {
                gaussian.Mean.CopyTo(completed); // nothing observed: the conditional mean is the mean
            }
            else
            {
                ComponentDensities.ConditionalMean(MissingValueMarginal(m), part, completed);
            }

            for (int j = 0; j < columns.Length; j++)
            {
                destination[columns[j]] = completed[j];
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds NaN or ±∞ (use <see cref="MarginalLogDensity"/> for rows with missing entries).</exception>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.Finite(rows, Dimension, nameof(rows), missingAllowedElsewhere: true);
        LogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, or holds NaN or ±∞.</exception>
    public double LogDensity(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Finite(row, Dimension, nameof(row), missingAllowedElsewhere: true);
        return LogDensityUnchecked(row);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length D.</exception>
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SampleUnchecked(random, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds ±∞ (a row with every entry missing has log-density 0).</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.ObservedOrMissing(rows, Dimension, nameof(rows), needObserved: false);
        MarginalLogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D, or the row holds ±∞.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SpanArguments.ObservedOrMissing(row, Dimension, nameof(row), needObserved: false);
        ConditionalMeanUnchecked(row, destination);
    }

    void IUncheckedComponent.LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => LogDensityUnchecked(rows, destination);

    void IUncheckedComponent.MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => MarginalLogDensityUnchecked(rows, destination);

    void IUncheckedComponent.ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) => ConditionalMeanUnchecked(row, destination);

    void IUncheckedComponent.SampleUnchecked(Random random, Span<double> destination) => SampleUnchecked(random, destination);

    /// <summary>The marginals in column order, for example "Product(Normal(μ = 0, σ² = 1), Categorical(L = 3))".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"Product({string.Join(", ", _marginals.Select(m => m.ToString()))})";
}
