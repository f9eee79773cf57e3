using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussian statistics with the diagonal scatter Σ wₙ(xₙ − a)² per column (diagonal and spherical covariance).</summary>
public sealed class DiagonalScatterStatistics : GaussianStatistics
{
    private readonly double[] _scatter;
    private readonly double[] _missing; // Σ w of the rows in which each column was NaN (only AccumulateIncomplete adds to it)
    private bool _anyMissing;

    /// <summary>Creates empty statistics of the given dimension, centred on <paramref name="reference"/> (or on the first row seen when empty).</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="reference">Reference point of length D, or empty.</param>
    public DiagonalScatterStatistics(int dimension, ReadOnlySpan<double> reference = default)
        : base(dimension, reference)
    {
        _scatter = new double[dimension];
        _missing = new double[dimension];
    }

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="GaussianStatistics.TotalWeight"/>,
    /// <see cref="GaussianStatistics.Reference"/>, <see cref="GaussianStatistics.WeightedSum"/> and <see cref="Scatter"/>
    /// (for example after storing them as JSON, or receiving them from another machine), so they can be merged.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="reference">The reference point (length D), or empty when nothing was accumulated.</param>
    /// <param name="weightedSum">s, length D.</param>
    /// <param name="scatter">Σ wₙ(xₙ − a)² per column, length D.</param>
    /// <exception cref="ArgumentException">A length is wrong or a value is not finite.</exception>
    public static DiagonalScatterStatistics FromValues(double totalWeight, ReadOnlySpan<double> reference, ReadOnlySpan<double> weightedSum, ReadOnlySpan<double> scatter)
    {
        int d = weightedSum.Length;
        var result = new DiagonalScatterStatistics(Math.Max(d, 1), reference);
        if (scatter.Length != d || !AllFinite(scatter))
        {
            ThrowHelper.ThrowArgument(nameof(scatter), $"scatter must hold D = {d} finite values (the saved Scatter).");
        }

        result.Restore(totalWeight, reference, weightedSum);
        scatter.CopyTo(result._scatter);
        return result;
    }

    /// <summary>Σ wₙ(xₙ − a)² per column, about the reference (length D).</summary>
    public ReadOnlySpan<double> Scatter => _scatter;

    /// <summary>
    /// Σ wₙ over the rows in which each column was missing (NaN), length D; all zero unless
    /// <see cref="AccumulateIncomplete"/> saw a missing entry. Column d's sum and scatter are over the other rows,
    /// whose weight is W − MissingWeights[d].
    /// </summary>
    public ReadOnlySpan<double> MissingWeights => _missing;

    /// <summary>Whether some accumulated row had a missing entry (then the per-column weights differ from W).</summary>
    internal bool HasMissing => _anyMissing;

    /// <summary>
    /// Rebuilds statistics saved from data with missing entries: as
    /// <see cref="FromValues(double, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double})"/> plus the
    /// saved <see cref="MissingWeights"/>.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="reference">The reference point (length D), or empty when nothing was accumulated.</param>
    /// <param name="weightedSum">s, length D (per column over the rows where it was observed).</param>
    /// <param name="scatter">Σ wₙ(xₙ − a)² per column over the rows where it was observed, length D.</param>
    /// <param name="missingWeights">Σ wₙ per column over the rows where it was missing, each in [0, W], length D.</param>
    /// <returns>Statistics that merge and estimate like the saved ones.</returns>
    /// <exception cref="ArgumentException">A length is wrong or a value is not finite or out of range.</exception>
    public static DiagonalScatterStatistics FromValues(double totalWeight, ReadOnlySpan<double> reference, ReadOnlySpan<double> weightedSum, ReadOnlySpan<double> scatter, ReadOnlySpan<double> missingWeights)
    {
        var result = FromValues(totalWeight, reference, weightedSum, scatter);
        if (missingWeights.Length != weightedSum.Length)
        {
            ThrowHelper.ThrowArgument(nameof(missingWeights), $"missingWeights must hold D = {weightedSum.Length} values (the saved MissingWeights).");
        }

        double limit = totalWeight * (1 + 1e-9);
        for (int i = 0; i < missingWeights.Length; i++)
        {
            double m = missingWeights[i];
            if (!(m >= 0 && m <= limit))
            {
                ThrowHelper.ThrowArgument(nameof(missingWeights), $"missingWeights[{i}] = {m} is not in [0, totalWeight = {totalWeight}]. Pass the saved TotalWeight and MissingWeights together.");
            }

            result._missing[i] = m;
            result._anyMissing |= m > 0;
        }

        return result;
    }

    /// <inheritdoc />
    public override void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length, d = Dimension;
        if (count == 0)
        {
            return;
        }

        if (rows.Length < count * d)
        {
            ThrowHelper.ThrowArgument(nameof(rows), $"rows has {rows.Length} values but {count} rows of {d} are needed.");
        }

        if (Reference.IsEmpty)
        {
            // Nothing accumulated yet: centre on the first observed value of each column (a NaN reference would poison every sum).
            var reference = new double[d];
            for (int i = 0; i < d; i++)
            {
                for (int n = 0; n < count; n++)
                {
                    double x = rows[(n * d) + i];
                    if (!double.IsNaN(x))
                    {
                        reference[i] = x;
                        break;
                    }
                }
            }

            Reset(reference);
        }

        // Every row counts towards W (the mixing weight); the moments skip the missing entries and record their weight per column.
        double total = VectorKernels.Sum(weights);
        if (total == 0)
        {
            return;
        }

        AddTotalWeight(total);
        AccumulateObservedMoments(rows[..(count * d)], weights, Reference, WeightedSumAccumulator);
    }

    /// <summary>W_d: the weight of the rows in which column <paramref name="column"/> was observed (W when nothing was missing).</summary>
    internal double ObservedWeight(int column) => _anyMissing ? Math.Max(TotalWeight - _missing[column], 0) : TotalWeight;

    /// <summary>Writes μ_d = a_d + s_d / (W_d + 10ε), the weighted mean of each column over its observed rows.</summary>
    internal void ComputeObservedMean(Span<double> destination)
    {
        if (!_anyMissing)
        {
            ComputeMean(destination);
            return;
        }

        var a = Reference;
        var s = WeightedSum;
        for (int i = 0; i < Dimension; i++)
        {
            double nk = ObservedWeight(i) + MixtureConstants.EmptyComponentWeight;
            destination[i] = (a.IsEmpty ? 0 : a[i]) + (s[i] / nk);
        }
    }

    /// <summary>Writes Σ wₙ(xₙ_d − μ_d)², the scatter about the weighted mean, into <paramref name="destination"/> (length D).</summary>
    internal void CentredScatter(Span<double> destination)
    {
        var s = WeightedSum;
        if (_anyMissing)
        {
            // Per column, about its own observed mean: c_d = 2/n_d − W_d/n_d² with n_d = W_d + 10ε.
            for (int i = 0; i < Dimension; i++)
            {
                double w = ObservedWeight(i);
                double nk = w + MixtureConstants.EmptyComponentWeight;
                double cd = (2.0 / nk) - (w / (nk * nk));
                destination[i] = _scatter[i] - (cd * s[i] * s[i]);
            }

            return;
        }

        double c = CentringCoefficient;
        for (int i = 0; i < Dimension; i++)
        {
            destination[i] = _scatter[i] - (c * s[i] * s[i]);
        }
    }

    /// <summary>
    /// The way in for a batched kernel that computes a block's moments itself: adds the block's total weight to W and
    /// returns the accumulator s, into which the caller adds the block's Σ wₙ(xₙ − a), and the scatter, into which it
    /// adds Σ wₙ(xₙ − a)², both about <see cref="GaussianStatistics.Reference"/> (which must be set).
    /// </summary>
    internal Span<double> AddBlockWeight(double weight, out Span<double> scatter)
    {
        AddTotalWeight(weight);
        scatter = _scatter;
        return WeightedSumAccumulator;
    }

    private protected override void AccumulateMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum) =>
        DiagonalCovarianceKernel.Moments(rows, weights, reference, sum, _scatter);

    /// <summary>The moments of the observed entries only; a missing entry adds its row's weight to that column's missing weight.</summary>
    private void AccumulateObservedMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum)
    {
        int d = Dimension;
        for (int n = 0; n < weights.Length; n++)
        {
            double w = weights[n];
            if (w == 0)
            {
                continue;
            }

            var row = rows.Slice(n * d, d);
            for (int i = 0; i < d; i++)
            {
                double x = row[i];
                if (double.IsNaN(x))
                {
                    _missing[i] += w;
                    _anyMissing = true;
                    continue;
                }

                double delta = x - reference[i];
                double wd = w * delta;
                sum[i] += wd;
                _scatter[i] += wd * delta;
            }
        }
    }

    private protected override void AddScatter(GaussianStatistics other, ReadOnlySpan<double> shift)
    {
        var o = (DiagonalScatterStatistics)other;
        var s = o.WeightedSum;
        if (o._anyMissing && !shift.IsEmpty)
        {
            // The base moved o's sum with o's total weight W; column d's sum only covers o's W_d = W − missing_d.
            var sum = WeightedSumAccumulator;
            for (int i = 0; i < Dimension; i++)
            {
                sum[i] -= o._missing[i] * shift[i];
            }
        }

        for (int i = 0; i < Dimension; i++)
        {
            double v = o._scatter[i];
            if (!shift.IsEmpty)
            {
                v += (2 * s[i] * shift[i]) + (o.ObservedWeight(i) * shift[i] * shift[i]);
            }

            _scatter[i] += v;
            _missing[i] += o._missing[i];
        }

        _anyMissing |= o._anyMissing;
    }

    private protected override void ScaleScatter(double factor)
    {
        ScaleFactor.Apply(_scatter, factor);
        ScaleFactor.Apply(_missing, factor);
    }

    /// <inheritdoc />
    private protected override void ClearScatter()
    {
        Array.Clear(_scatter);
        Array.Clear(_missing);
        _anyMissing = false;
    }
}
