using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// Weighted sufficient statistics of a Bernoulli component: the total weight W = Σ wₙ and the weighted counts of ones
/// c_d = Σₙ wₙ·xₙd per column. Plain data: two values to store, send and merge by addition.
/// </summary>
public sealed class BernoulliStatistics : ISufficientStatistics<BernoulliStatistics>, IMissingValueStatistics, IScalableStatistics
{
    private readonly double[] _counts;
    private readonly double[] _missing;
    private bool _anyMissing;

    /// <summary>Creates empty statistics of the given dimension.</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is less than 1.</exception>
    public BernoulliStatistics(int dimension)
    {
        if (dimension < 1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(dimension), dimension, "Use a dimension of at least 1.");
        }

        _counts = new double[dimension];
        _missing = new double[dimension];
    }

    /// <inheritdoc />
    public int Dimension => _counts.Length;

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The weighted counts of ones c_d = Σₙ wₙ·xₙd (length D); each lies in [0, <see cref="TotalWeight"/>].</summary>
    public ReadOnlySpan<double> WeightedCounts => _counts;

    /// <summary>
    /// Σ wₙ over the rows in which each column was missing (NaN), length D; all zero unless
    /// <see cref="AccumulateIncomplete"/> saw a missing entry. Column d's counts are out of W − MissingWeights[d].
    /// </summary>
    public ReadOnlySpan<double> MissingWeights => _missing;

    /// <summary>The weight of the rows in which column <paramref name="column"/> was observed: W − MissingWeights[column], at least 0.</summary>
    internal double ObservedWeight(int column) => _anyMissing ? Math.Max(TotalWeight - _missing[column], 0) : TotalWeight;

    /// <summary>
    /// Rebuilds statistics from saved <see cref="TotalWeight"/>, <see cref="WeightedCounts"/> and
    /// <see cref="MissingWeights"/> (statistics accumulated from data with missing entries).
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="weightedCounts">Σ w·x per column over the rows where it was observed.</param>
    /// <param name="missingWeights">Σ w per column over the rows where it was missing, each in [0, W].</param>
    /// <returns>Statistics that merge and estimate like the saved ones.</returns>
    /// <exception cref="ArgumentException">A length is wrong or a value is out of range.</exception>
    public static BernoulliStatistics FromValues(double totalWeight, ReadOnlySpan<double> weightedCounts, ReadOnlySpan<double> missingWeights)
    {
        var result = FromValues(totalWeight, weightedCounts);
        if (missingWeights.Length != weightedCounts.Length)
        {
            ThrowHelper.ThrowArgument(nameof(missingWeights), string.Create(CultureInfo.InvariantCulture, $"missingWeights has length {missingWeights.Length} but weightedCounts has {weightedCounts.Length}. Pass the saved MissingWeights, one value per column."));
        }

        double limit = totalWeight * (1 + 1e-9);
        for (int i = 0; i < missingWeights.Length; i++)
        {
            double m = missingWeights[i];
            if (!(m >= 0 && m <= limit) || weightedCounts[i] > ((totalWeight - m) * (1 + 1e-9)) + 1e-300)
            {
                ThrowHelper.ThrowArgument(nameof(missingWeights), string.Create(CultureInfo.InvariantCulture, $"missingWeights[{i}] = {m} is not in [0, totalWeight − weightedCounts[{i}]]. Pass the saved TotalWeight, WeightedCounts and MissingWeights together."));
            }

            result._missing[i] = m;
            result._anyMissing |= m > 0;
        }

        return result;
    }

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="TotalWeight"/> and <see cref="WeightedCounts"/> (for example
    /// after storing them as JSON, or receiving them from another machine), so they can be merged or estimated from.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="weightedCounts">c, length D ≥ 1, each finite, non-negative and at most W (up to rounding). Copied.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="totalWeight"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="weightedCounts"/> is empty or holds a value outside [0, W].</exception>
    public static BernoulliStatistics FromValues(double totalWeight, ReadOnlySpan<double> weightedCounts)
    {
        if (!(totalWeight >= 0) || !double.IsFinite(totalWeight))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(totalWeight), totalWeight, "Use the finite, non-negative TotalWeight of saved statistics.");
        }

        if (weightedCounts.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(weightedCounts), "weightedCounts is empty. Pass the saved WeightedCounts, one value per column.");
        }

        // Summation order may leave a count a few ulps above W; anything more means the values do not belong together.
        double limit = totalWeight * (1 + 1e-9);
        for (int i = 0; i < weightedCounts.Length; i++)
        {
            double c = weightedCounts[i];
            if (!(c >= 0 && c <= limit))
            {
                ThrowHelper.ThrowArgument(
                    nameof(weightedCounts),
                    string.Create(CultureInfo.InvariantCulture, $"weightedCounts[{i}] = {c} is not in [0, totalWeight = {totalWeight}]. A weighted count of 0/1 values lies between 0 and the total weight; pass the saved TotalWeight and WeightedCounts together."));
            }
        }

        var result = new BernoulliStatistics(weightedCounts.Length) { TotalWeight = totalWeight };
        weightedCounts.CopyTo(result._counts);
        return result;
    }

    /// <inheritdoc />
    /// <remarks>The rows are assumed binary (not checked here: this is the hot path).</remarks>
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        if (count == 0)
        {
            return;
        }

        double total = VectorKernels.Sum(weights);
        if (total == 0)
        {
            return;
        }

        TotalWeight += total;
        BernoulliKernel.WeightedColumnSums(rows[..(count * Dimension)], weights, _counts);
    }

    /// <summary>
    /// The way in for a batched kernel that computes a block's weighted counts itself: adds the block's total weight
    /// Σ wₙ to W and returns the counts c, into which the caller adds the block's Σₙ wₙ·xₙd per column (rows without
    /// missing entries only).
    /// </summary>
    /// <param name="weight">Σ wₙ over the block.</param>
    internal Span<double> AddBlockWeight(double weight)
    {
        TotalWeight += weight;
        return _counts;
    }

    /// <inheritdoc />
    public void Merge(BernoulliStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var o = other;
        if (o.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge statistics of dimension {other.Dimension} into {nameof(BernoulliStatistics)} of dimension {Dimension}. Merge statistics created by the same family."));
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += o._counts[i];
            _missing[i] += o._missing[i];
        }

        _anyMissing |= o._anyMissing;

        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        ScaleFactor.Apply(_counts, factor);
        ScaleFactor.Apply(_missing, factor);
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        Array.Clear(_counts);
        Array.Clear(_missing);
        _anyMissing = false;
    }

    /// <inheritdoc />
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length, d = Dimension;
        if (rows.Length < count * d)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but {count} rows of {d} are needed."));
        }

        double total = 0;
        for (int n = 0; n < count; n++)
        {
            double w = weights[n];
            if (w == 0)
            {
                continue;
            }

            total += w;
            var row = rows.Slice(n * d, d);
            for (int i = 0; i < d; i++)
            {
                double x = row[i];
                if (double.IsNaN(x))
                {
                    _missing[i] += w;
                    _anyMissing = true;
                }
                else
                {
                    _counts[i] += w * x;
                }
            }
        }

        TotalWeight += total;
    }
}
