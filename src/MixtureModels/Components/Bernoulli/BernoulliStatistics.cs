using System.Globalization;
using MixtureModels.Internal;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// Weighted sufficient statistics of a Bernoulli component: the total weight W = Σ wₙ and the weighted counts of ones
/// c_d = Σₙ wₙ·xₙd per column. Plain data: two values to store, send and merge by addition.
/// </summary>
public sealed class BernoulliStatistics : ISufficientStatistics
{
    private readonly double[] _counts;

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
    }

    /// <inheritdoc />
    public int Dimension => _counts.Length;

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The weighted counts of ones c_d = Σₙ wₙ·xₙd (length D); each lies in [0, <see cref="TotalWeight"/>].</summary>
    public ReadOnlySpan<double> WeightedCounts => _counts;

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

    /// <inheritdoc />
    public void Merge(ISufficientStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other is not BernoulliStatistics o || o.Dimension != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(other), string.Create(CultureInfo.InvariantCulture, $"Cannot merge {other.GetType().Name} (dimension {other.Dimension}) into {nameof(BernoulliStatistics)} (dimension {Dimension}). Merge statistics created by the same family."));
            return;
        }

        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += o._counts[i];
        }

        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        Array.Clear(_counts);
    }
}
