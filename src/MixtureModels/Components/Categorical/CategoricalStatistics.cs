using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Categorical;

/// <summary>
/// Weighted sufficient statistics of a categorical component over one column with L levels:
/// W = Σ wₙ and the weighted count c_l = Σ_{n: xₙ = v_l} wₙ of every level l (level values v_l as the family's
/// <see cref="CategoricalFamily.Levels"/>; 0, …, L − 1 unless given).
/// </summary>
public sealed class CategoricalStatistics : ISufficientStatistics<CategoricalStatistics>, IMissingValueStatistics, IScalableStatistics
{
    private readonly double[] _counts;
    private double[]? _levels; // the family's level values; null for 0, 1, …, L − 1

    /// <summary>Creates empty statistics for <paramref name="levelCount"/> levels.</summary>
    /// <param name="levelCount">L, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levelCount"/> is less than 1.</exception>
    public CategoricalStatistics(int levelCount)
    {
        ArgumentChecks.AtLeast(levelCount, 1, nameof(levelCount), "Use the number of levels of the column (at least 1).");
        _counts = new double[levelCount];
    }

    /// <summary>Creates empty statistics whose rows hold the given level values (null: 0, …, L − 1).</summary>
    internal CategoricalStatistics(int levelCount, double[]? levels)
        : this(levelCount)
    {
        _levels = levels;
    }

    /// <summary>The level values the rows are read as (null for 0, …, L − 1).</summary>
    internal double[]? LevelValues => _levels;

    /// <summary>Reads rows with the level values of <paramref name="template"/> (statistics rebuilt from saved values).</summary>
    internal CategoricalStatistics WithLevelsOf(CategoricalStatistics template)
    {
        _levels = template._levels;
        return this;
    }

    /// <summary>Always 1: the statistics describe one column.</summary>
    public int Dimension => 1;

    /// <summary>Number of levels L.</summary>
    public int LevelCount => _counts.Length;

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>c_l = Σ_{n: xₙ = l} wₙ for l = 0, …, L − 1.</summary>
    public ReadOnlySpan<double> WeightedCounts => _counts;

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="TotalWeight"/> and <see cref="WeightedCounts"/> (for example after
    /// storing them as JSON, or receiving them from another machine), so they can be merged or estimated from.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative; equal to Σ c_l within a relative 1e-8.</param>
    /// <param name="weightedCounts">c_l, one finite, non-negative value per level (at least one level).</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">A value is negative or not finite, <paramref name="weightedCounts"/> is empty, or W differs from Σ c_l.</exception>
    public static CategoricalStatistics FromValues(double totalWeight, ReadOnlySpan<double> weightedCounts)
    {
        ArgumentChecks.NonNegative(totalWeight, nameof(totalWeight), "Use the finite, non-negative TotalWeight of saved statistics.");
        if (weightedCounts.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(weightedCounts), "weightedCounts is empty. Pass the saved WeightedCounts, one value per level.");
        }

        double sum = 0;
        for (int l = 0; l < weightedCounts.Length; l++)
        {
            double c = weightedCounts[l];
            if (!(c >= 0) || !double.IsFinite(c))
            {
                ThrowHelper.ThrowArgument(nameof(weightedCounts), string.Create(CultureInfo.InvariantCulture, $"weightedCounts[{l}] = {c}. Weighted counts must be finite and non-negative (the saved WeightedCounts)."));
            }

            sum += c;
        }

        if (!(Math.Abs(sum - totalWeight) <= 1e-8 * Math.Max(1.0, totalWeight)))
        {
            ThrowHelper.ThrowArgument(nameof(totalWeight), string.Create(CultureInfo.InvariantCulture, $"totalWeight = {totalWeight:R} but weightedCounts sum to {sum:R}. Pass the TotalWeight and WeightedCounts saved from the same statistics."));
        }

        var result = new CategoricalStatistics(weightedCounts.Length) { TotalWeight = totalWeight };
        weightedCounts.CopyTo(result._counts);
        return result;
    }

    /// <summary>Adds wₙ to the count of the level whose value is xₙ, and to W, for every row of a block. Rows must hold level values: they are not checked here.</summary>
    /// <param name="rows">One level per row (at least weights.Length values).</param>
    /// <param name="weights">One non-negative weight per row.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="weights"/>.</exception>
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Categorical statistics read one value per row."));
        }

        var counts = _counts;
        var levels = _levels;
        double total = 0;
        for (int n = 0; n < weights.Length; n++)
        {
            double w = weights[n];
            total += w;
            counts[levels is null ? (int)rows[n] : CategoricalLevels.IndexOf(rows[n], levels, counts.Length)] += w;
        }

        TotalWeight += total;
    }

    /// <inheritdoc />
    public void Merge(CategoricalStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var o = other;
        if (o.LevelCount != LevelCount)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge {nameof(CategoricalStatistics)} with {o.LevelCount} levels into {nameof(CategoricalStatistics)} with {LevelCount} levels. Merge statistics created by the same family."));
        }

        for (int l = 0; l < _counts.Length; l++)
        {
            _counts[l] += o._counts[l];
        }

        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        ScaleFactor.Apply(_counts, factor);
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        Array.Clear(_counts);
    }

    /// <inheritdoc />
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Categorical statistics read one value per row."));
        }

        ObservedRows.AccumulateOneColumn(this, rows, weights); // a missing value contributes nothing, not even weight
    }
}
