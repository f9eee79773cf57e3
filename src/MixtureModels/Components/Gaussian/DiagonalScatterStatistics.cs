using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussian statistics with the diagonal scatter Σ wₙ(xₙ − a)² per column (diagonal and spherical covariance).</summary>
public sealed class DiagonalScatterStatistics : GaussianStatistics
{
    private readonly double[] _scatter;

    /// <summary>Creates empty statistics of the given dimension, centred on <paramref name="reference"/> (or on the first row seen when empty).</summary>
    /// <param name="dimension">D, at least 1.</param>
    /// <param name="reference">Reference point of length D, or empty.</param>
    public DiagonalScatterStatistics(int dimension, ReadOnlySpan<double> reference = default)
        : base(dimension, reference)
    {
        _scatter = new double[dimension];
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

    /// <summary>Writes Σ wₙ(xₙ_d − μ_d)², the scatter about the weighted mean, into <paramref name="destination"/> (length D).</summary>
    internal void CentredScatter(Span<double> destination)
    {
        double c = CentringCoefficient;
        var s = WeightedSum;
        for (int i = 0; i < Dimension; i++)
        {
            destination[i] = _scatter[i] - (c * s[i] * s[i]);
        }
    }

    private protected override void AccumulateMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum) =>
        DiagonalCovarianceKernel.Moments(rows, weights, reference, sum, _scatter);

    private protected override void AddScatter(GaussianStatistics other, ReadOnlySpan<double> shift)
    {
        var o = (DiagonalScatterStatistics)other;
        var s = o.WeightedSum;
        for (int i = 0; i < Dimension; i++)
        {
            double v = o._scatter[i];
            if (!shift.IsEmpty)
            {
                v += (2 * s[i] * shift[i]) + (o.TotalWeight * shift[i] * shift[i]);
            }

            _scatter[i] += v;
        }
    }

    private protected override void ClearScatter() => Array.Clear(_scatter);
}
