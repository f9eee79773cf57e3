using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussian statistics with the full D × D scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ (full and tied covariance).</summary>
public sealed class FullScatterStatistics : GaussianStatistics
{
    private readonly double[] _scatter; // D×D row-major; only the upper triangle is accumulated

    /// <summary>Creates empty statistics of the given dimension, centred on <paramref name="reference"/> (or on the first row seen when empty).</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="reference">Reference point of length D, or empty.</param>
    public FullScatterStatistics(int dimension, ReadOnlySpan<double> reference = default)
        : base(dimension, reference)
    {
        _scatter = new double[dimension * dimension];
    }

    /// <summary>
    /// Rebuilds statistics from the values of <see cref="GaussianStatistics.TotalWeight"/>,
    /// <see cref="GaussianStatistics.Reference"/>, <see cref="GaussianStatistics.WeightedSum"/> and <see cref="Scatter"/>
    /// (for example after storing them as JSON, or receiving them from another machine), so they can be merged.
    /// </summary>
    /// <param name="totalWeight">W, finite and non-negative.</param>
    /// <param name="reference">The reference point (length D), or empty when nothing was accumulated.</param>
    /// <param name="weightedSum">s, length D.</param>
    /// <param name="scatter">The scatter about the reference, D × D row-major (the upper triangle is used).</param>
    /// <exception cref="ArgumentException">A length is wrong or a value is not finite.</exception>
    public static FullScatterStatistics FromValues(double totalWeight, ReadOnlySpan<double> reference, ReadOnlySpan<double> weightedSum, ReadOnlySpan<double> scatter)
    {
        int d = weightedSum.Length;
        var result = new FullScatterStatistics(Math.Max(d, 1), reference);
        if (scatter.Length != d * d || !AllFinite(scatter))
        {
            ThrowHelper.ThrowArgument(nameof(scatter), $"scatter must hold D × D = {d * d} finite values (the saved Scatter).");
        }

        result.Restore(totalWeight, reference, weightedSum);
        scatter.CopyTo(result._scatter);
        return result;
    }

    /// <summary>The scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ about the reference, D × D row-major (upper triangle).</summary>
    public ReadOnlySpan<double> Scatter => _scatter;

    /// <summary>Adds the scatter about the weighted mean, Σ wₙ(xₙ − μ)(xₙ − μ)ᵀ (full symmetric D × D), to <paramref name="destination"/>.</summary>
    internal void AddCentredScatter(Span<double> destination)
    {
        int d = Dimension;
        double c = CentringCoefficient;
        var s = WeightedSum;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = _scatter[(i * d) + j] - (c * s[i] * s[j]);
                destination[(i * d) + j] += v;
                if (j != i)
                {
                    destination[(j * d) + i] += v;
                }
            }
        }
    }

    private protected override void AccumulateMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum)
    {
        int d = Dimension, count = weights.Length;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        var weighted = ThreadScratch.Get(ThreadScratch.StatisticsWeightedRows, count * dp);
        var block = ThreadScratch.Get(ThreadScratch.StatisticsBlock, (dp * dp) + (2 * dp));
        block.Clear();
        var blockScatter = block[..(dp * dp)];
        var blockSum = block.Slice(dp * dp, dp);
        var center = block.Slice((dp * dp) + dp, dp);
        if (dp == d)
        {
            // Rows already have the kernel's stride: centre them in registers.
            reference.CopyTo(center);
            FullCovarianceKernel.Scatter(rows, center, weights, count, dp, weighted, blockScatter, blockSum);
        }
        else
        {
            var centred = ThreadScratch.Get(ThreadScratch.StatisticsRows, count * dp);
            FullCovarianceKernel.Centre(rows, count, reference, dp, centred);
            FullCovarianceKernel.Scatter(centred, center, weights, count, dp, weighted, blockScatter, blockSum);
        }

        for (int i = 0; i < d; i++)
        {
            sum[i] += blockSum[i];
            for (int j = i; j < d; j++)
            {
                _scatter[(i * d) + j] += blockScatter[(i * dp) + j];
            }
        }
    }

    private protected override void AddScatter(GaussianStatistics other, ReadOnlySpan<double> shift)
    {
        int d = Dimension;
        var o = (FullScatterStatistics)other;
        var s = o.WeightedSum;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = o._scatter[(i * d) + j];
                if (!shift.IsEmpty)
                {
                    v += (s[i] * shift[j]) + (shift[i] * s[j]) + (o.TotalWeight * shift[i] * shift[j]);
                }

                _scatter[(i * d) + j] += v;
            }
        }
    }

    private protected override void ClearScatter() => Array.Clear(_scatter);
}
