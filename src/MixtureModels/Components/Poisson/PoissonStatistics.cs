using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>
/// Weighted sufficient statistics of a Poisson component over one column: W = Σ wₙ and S = Σ wₙ xₙ.
/// The maximum-likelihood rate is S / W. Counts are non-negative, so the plain sum loses no precision to cancellation.
/// </summary>
public sealed class PoissonStatistics : ISufficientStatistics<PoissonStatistics>, IMissingValueStatistics, IScalableStatistics
{
    /// <summary>Creates empty statistics (W = 0, S = 0).</summary>
    public PoissonStatistics()
    {
    }

    /// <summary>Always 1: the statistics describe one column.</summary>
    public int Dimension => 1;

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>S = Σ wₙ xₙ, the weighted sum of the counts.</summary>
    public double WeightedSum { get; private set; }

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="TotalWeight"/> and <see cref="WeightedSum"/> (for example after
    /// storing them as JSON, or receiving them from another machine), so they can be merged or estimated from.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="weightedSum">S, finite and non-negative.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is negative, NaN or infinite.</exception>
    public static PoissonStatistics FromValues(double totalWeight, double weightedSum)
    {
        ArgumentChecks.NonNegative(totalWeight, nameof(totalWeight), "Use the finite, non-negative TotalWeight of saved statistics.");
        ArgumentChecks.NonNegative(weightedSum, nameof(weightedSum), "Use the finite, non-negative WeightedSum of saved statistics (counts are never negative).");
        return new PoissonStatistics { TotalWeight = totalWeight, WeightedSum = weightedSum };
    }

    /// <summary>Adds S += Σ wₙ xₙ and W += Σ wₙ over a block of one-value rows. Rows are not checked here.</summary>
    /// <param name="rows">One count per row (at least weights.Length values).</param>
    /// <param name="weights">One non-negative weight per row.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="weights"/>.</exception>
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Poisson statistics read one value per row."));
        }

        double total = 0;
        double sum = 0;
        for (int n = 0; n < weights.Length; n++)
        {
            double w = weights[n];
            total += w;
            sum += w * rows[n];
        }

        TotalWeight += total;
        WeightedSum += sum;
    }

    /// <inheritdoc />
    public void Merge(PoissonStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var o = other;
        TotalWeight += o.TotalWeight;
        WeightedSum += o.WeightedSum;
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        WeightedSum *= factor;
    }

    /// <inheritdoc />
    public void Clear()
    {
        TotalWeight = 0;
        WeightedSum = 0;
    }

    /// <inheritdoc />
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Poisson statistics read one value per row."));
        }

        ObservedRows.AccumulateOneColumn(this, rows, weights); // a missing value contributes nothing, not even weight
    }
}
