using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Normal;

/// <summary>
/// Weighted moments of one column about a reference point a (not about the origin, so that data with a large offset
/// keeps its precision): W = Σ wₙ, s = Σ wₙ(xₙ − a) and the scatter S = Σ wₙ(xₙ − a)².
/// </summary>
/// <remarks>
/// The reference is the one given at construction, or else the first row accumulated (or the reference of the first
/// non-empty statistics merged in). Merging statistics with another reference b first moves them to a:
/// s += s_b + W_b·(b − a), S += S_b + 2·s_b·(b − a) + W_b·(b − a)².
/// </remarks>
public sealed class NormalStatistics : ISufficientStatistics<NormalStatistics>, IMissingValueStatistics, IScalableStatistics
{
    private double? _reference;

    /// <summary>Creates empty statistics centred on the first row they see.</summary>
    public NormalStatistics()
    {
    }

    /// <summary>Creates empty statistics centred on <paramref name="reference"/> (for example the current mean).</summary>
    /// <param name="reference">The reference point a, finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reference"/> is not finite.</exception>
    public NormalStatistics(double reference)
    {
        if (!double.IsFinite(reference))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(reference), reference, "Use a finite reference point such as the current mean.");
        }

        _reference = reference;
    }

    /// <summary>Always 1: the statistics describe one column.</summary>
    public int Dimension => 1;

    /// <inheritdoc />
    public double TotalWeight { get; private set; }

    /// <summary>The reference point a the moments are centred on; null until given, or set by the first row or merge.</summary>
    public double? Reference => _reference;

    /// <summary>s = Σ wₙ(xₙ − a).</summary>
    public double WeightedSum { get; private set; }

    /// <summary>S = Σ wₙ(xₙ − a)², the scatter about the reference.</summary>
    public double Scatter { get; private set; }

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="TotalWeight"/>, <see cref="Reference"/>, <see cref="WeightedSum"/>
    /// and <see cref="Scatter"/> (for example after storing them as JSON, or receiving them from another machine), so they
    /// can be merged or estimated from.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="reference">a, finite; may be null only when <paramref name="totalWeight"/> is 0.</param>
    /// <param name="weightedSum">s, finite.</param>
    /// <param name="scatter">S, finite and non-negative.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">A value is out of range or not finite, or <paramref name="reference"/> is null while W &gt; 0.</exception>
    public static NormalStatistics FromValues(double totalWeight, double? reference, double weightedSum, double scatter)
    {
        ArgumentChecks.NonNegative(totalWeight, nameof(totalWeight), "Use the finite, non-negative TotalWeight of saved statistics.");
        if (!double.IsFinite(weightedSum))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(weightedSum), weightedSum, "Use the finite WeightedSum of saved statistics.");
        }

        ArgumentChecks.NonNegative(scatter, nameof(scatter), "Use the finite, non-negative Scatter of saved statistics.");
        if (reference is null && totalWeight > 0)
        {
            ThrowHelper.ThrowArgument(nameof(reference), string.Create(CultureInfo.InvariantCulture, $"reference is null but totalWeight = {totalWeight:R} is positive. Pass the saved Reference."));
        }

        var result = reference is { } a ? new NormalStatistics(a) : new NormalStatistics();
        result.TotalWeight = totalWeight;
        result.WeightedSum = weightedSum;
        result.Scatter = scatter;
        return result;
    }

    /// <summary>Adds W += Σ wₙ, s += Σ wₙ(xₙ − a) and S += Σ wₙ(xₙ − a)² over a block of one-value rows.</summary>
    /// <param name="rows">One value per row (at least weights.Length values).</param>
    /// <param name="weights">One non-negative weight per row.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="weights"/>.</exception>
    public void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Normal statistics read one value per row."));
        }

        if (weights.IsEmpty)
        {
            return;
        }

        double a = _reference ??= rows[0];
        VectorKernels.WeightedMoments(rows, weights, a, out double total, out double sum, out double scatter);
        TotalWeight += total;
        WeightedSum += sum;
        Scatter += scatter;
    }

    /// <inheritdoc />
    public void Merge(NormalStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var o = other;
        if (o._reference is not { } b)
        {
            return; // nothing was ever accumulated there
        }

        double a = _reference ??= b;
        double shift = b - a;
        WeightedSum += o.WeightedSum + (o.TotalWeight * shift);
        Scatter += o.Scatter + (shift == 0 ? 0 : (2 * o.WeightedSum * shift) + (o.TotalWeight * shift * shift));
        TotalWeight += o.TotalWeight;
    }

    /// <inheritdoc />
    public void Scale(double factor)
    {
        ScaleFactor.Check(factor);
        TotalWeight *= factor;
        WeightedSum *= factor;
        Scatter *= factor;
    }

    /// <summary>Resets to the empty state (no rows, zero weight), keeping the reference point.</summary>
    public void Clear()
    {
        TotalWeight = 0;
        WeightedSum = 0;
        Scatter = 0;
    }

    /// <summary>Empties the statistics and centres them on <paramref name="reference"/>.</summary>
    internal void Reset(double? reference)
    {
        Clear();
        _reference = reference;
    }

    /// <summary>The weighted mean μ = a + s / (W + 10ε) (a, or 0 without a reference, for an empty accumulator).</summary>
    internal double ComputeMean() => (_reference ?? 0) + (WeightedSum / (TotalWeight + MixtureConstants.EmptyComponentWeight));

    /// <summary>Σ wₙ(xₙ − μ)² = S − c·s² with c = 2/N − W/N², N = W + 10ε: the scatter about <see cref="ComputeMean"/>.</summary>
    internal double CentredScatter()
    {
        double nk = TotalWeight + MixtureConstants.EmptyComponentWeight;
        double c = (2.0 / nk) - (TotalWeight / (nk * nk));
        return Scatter - (c * WeightedSum * WeightedSum);
    }

    /// <inheritdoc />
    public void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        if (rows.Length < weights.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but weights has {weights.Length}. Normal statistics read one value per row."));
        }

        ObservedRows.AccumulateOneColumn(this, rows, weights); // a missing value contributes nothing, not even weight
    }
}
