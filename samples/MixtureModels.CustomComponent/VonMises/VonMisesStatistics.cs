using MixtureModels.Components;

namespace MixtureModels.CustomComponent.VonMises;

/// <summary>
/// Weighted sufficient statistics of a von Mises component: W = Σ wₙ, C = Σ wₙ cos xₙ and S = Σ wₙ sin xₙ. They are
/// sums, so accumulating in two halves and merging equals accumulating at once (up to rounding), which is what lets the
/// engine run blocks in parallel and merge them in a fixed order. They also remember the mean direction of the
/// component being re-estimated, which the family keeps for a component that received no weight.
/// </summary>
public sealed class VonMisesStatistics : ISufficientStatistics<VonMisesStatistics>, IScalableStatistics
{
    /// <summary>Creates empty statistics.</summary>
    /// <param name="previousMean">Mean direction of the component being re-estimated (0 when there is none).</param>
    public VonMisesStatistics(double previousMean = 0)
    {
        PreviousMean = previousMean;
    }

    /// <summary>Rebuilds statistics from saved values (JSON, another machine), so that they merge and estimate like the saved ones.</summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="sumCos">C = Σ w cos x, finite, |C| ≤ W (up to rounding).</param>
    /// <param name="sumSin">S = Σ w sin x, finite, |S| ≤ W (up to rounding).</param>
    /// <param name="previousMean">The mean direction of the component being re-estimated, finite.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">A value is not finite, W is negative, or C or S exceeds W.</exception>
    public static VonMisesStatistics FromValues(double totalWeight, double sumCos, double sumSin, double previousMean)
    {
        if (!double.IsFinite(totalWeight) || totalWeight < 0 || !double.IsFinite(sumCos) || !double.IsFinite(sumSin) || !double.IsFinite(previousMean))
        {
            throw new ArgumentException("totalWeight must be finite and non-negative, and sumCos, sumSin and previousMean finite. Pass saved statistics.", nameof(totalWeight));
        }

        double limit = totalWeight * (1 + 1e-12);
        if (Math.Abs(sumCos) > limit || Math.Abs(sumSin) > limit)
        {
            throw new ArgumentException("|sumCos| and |sumSin| cannot exceed totalWeight (a cosine is at most 1). Pass saved statistics.", nameof(sumCos));
        }

        return new VonMisesStatistics(previousMean) { TotalWeight = totalWeight, SumCos = sumCos, SumSin = sumSin };
    }

    /// <summary>Always 1: one column of angles.</summary>
    public int Dimension => 1;

    /// <summary>W = Σ wₙ.</summary>
    public double TotalWeight { get; private set; }

    /// <summary>C = Σ wₙ cos xₙ.</summary>
    public double SumCos { get; private set; }

    /// <summary>S = Σ wₙ sin xₙ.</summary>
    public double SumSin { get; private set; }

    /// <summary>Mean direction of the component being re-estimated: what an empty component keeps.</summary>
    public double PreviousMean { get; private set; }

    /// <summary>Adds a block of angles, each with its weight.</summary>
    /// <param name="rows">weights.Length angles in radians.</param>
    /// <param name="weights">One non-negative weight per angle.</param>
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        double w = 0;
        double c = 0;
        double s = 0;
        for (int n = 0; n < weights.Length; n++)
        {
            double weight = weights[n];
            if (weight == 0)
            {
                continue;
            }

            (double sin, double cos) = Math.SinCos(rows[n]);
            w += weight;
            c += weight * cos;
            s += weight * sin;
        }

        TotalWeight += w;
        SumCos += c;
        SumSin += s;
    }

    /// <summary>Adds the sums of <paramref name="other"/>; its previous mean is ignored.</summary>
    /// <param name="other">Statistics to add; left unchanged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void Merge(VonMisesStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TotalWeight += other.TotalWeight;
        SumCos += other.SumCos;
        SumSin += other.SumSin;
    }

    /// <summary>Multiplies W, C and S by <paramref name="factor"/> (what online EM needs to interpolate running statistics).</summary>
    /// <param name="factor">A finite, non-negative factor.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public void Scale(double factor)
    {
        if (!double.IsFinite(factor) || factor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Give a finite, non-negative factor.");
        }

        TotalWeight *= factor;
        SumCos *= factor;
        SumSin *= factor;
    }

    /// <summary>Resets the sums to 0, keeping the previous mean.</summary>
    public void Clear()
    {
        TotalWeight = 0;
        SumCos = 0;
        SumSin = 0;
    }

    /// <summary>Empties the sums and records the mean of the component about to be re-estimated.</summary>
    /// <param name="previousMean">Its mean direction in radians.</param>
    public void Reset(double previousMean)
    {
        Clear();
        PreviousMean = previousMean;
    }
}
