using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>Gaussian statistics with the full D × D scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ (full and tied covariance).</summary>
public sealed class FullScatterStatistics : GaussianStatistics, ISufficientStatistics
{
    [ThreadStatic]
    private static double[]? t_centredRows;  // a block's centred, zero-padded rows (when D is not a multiple of the vector width)

    [ThreadStatic]
    private static double[]? t_weightedRows; // a block's weighted centred rows

    [ThreadStatic]
    private static double[]? t_blockMoments; // a block's partial scatter and sums, and the reference point

    private readonly double[] _scatter; // D×D row-major; only the upper triangle is accumulated

    /// <summary>Above this padded dimension a block's scatter is built in strips of this many rows (a multiple of the kernel's row tile).</summary>
    private const int StripRows = 64;

    /// <summary>The D × D scatter and the two D-vectors: 8·(D² + 2D) bytes and a little more.</summary>
    long ISufficientStatistics.SizeInBytes => (8L * Dimension * (Dimension + 2)) + 64;

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

    /// <summary>
    /// The way in for a batched kernel that computes a block's moments itself: adds the block's total weight to W and
    /// returns the accumulator s, into which the caller adds the block's Σ wₙ(xₙ − a), and the scatter (D × D
    /// row-major), into whose upper triangle it adds Σ wₙ(xₙ − a)(xₙ − a)ᵀ, both about
    /// <see cref="GaussianStatistics.Reference"/> (which must be set).
    /// </summary>
    internal Span<double> AddBlockWeight(double weight, out Span<double> scatter)
    {
        AddTotalWeight(weight);
        scatter = _scatter;
        return WeightedSumAccumulator;
    }

    private protected override void AccumulateMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum)
    {
        int d = Dimension, count = weights.Length;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        if (dp > StripRows)
        {
            AccumulateMomentsInStrips(rows, weights, reference, sum);
            return;
        }

        var weighted = ScratchBuffer.Get(ref t_weightedRows, count * dp);
        var block = ScratchBuffer.Get(ref t_blockMoments, (dp * dp) + (2 * dp));
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
            var centred = ScratchBuffer.Get(ref t_centredRows, count * dp);
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

    /// <summary>
    /// <see cref="AccumulateMoments"/> for large D: the block's scatter is built <see cref="StripRows"/> rows at a time,
    /// each entry exactly as the whole-matrix kernel computes it, so the thread's scratch stays O(D) instead of D².
    /// </summary>
    private void AccumulateMomentsInStrips(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum)
    {
        int d = Dimension, count = weights.Length;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        var weighted = ScratchBuffer.Get(ref t_weightedRows, count * dp);
        var block = ScratchBuffer.Get(ref t_blockMoments, (StripRows * dp) + (2 * dp));
        var strip = block[..(StripRows * dp)];
        var blockSum = block.Slice(StripRows * dp, dp);
        var center = block.Slice((StripRows * dp) + dp, dp);
        blockSum.Clear();
        center.Clear();
        ReadOnlySpan<double> source = rows;
        if (dp == d)
        {
            reference.CopyTo(center);
        }
        else
        {
            var centred = ScratchBuffer.Get(ref t_centredRows, count * dp);
            FullCovarianceKernel.Centre(rows, count, reference, dp, centred);
            source = centred;
        }

        FullCovarianceKernel.WeightRows(source, center, weights, count, dp, weighted, blockSum);
        for (int i = 0; i < d; i++)
        {
            sum[i] += blockSum[i];
        }

        for (int r0 = 0; r0 < d; r0 += StripRows)
        {
            int r1 = Math.Min(r0 + StripRows, dp);
            strip[..((r1 - r0) * dp)].Clear();
            FullCovarianceKernel.ScatterRows(source, center, weighted, count, dp, strip, r0, r1);
            for (int i = r0; i < Math.Min(r1, d); i++)
            {
                var stripRow = strip.Slice((i - r0) * dp, dp);
                for (int j = i; j < d; j++)
                {
                    _scatter[(i * d) + j] += stripRow[j];
                }
            }
        }
    }

    private protected override void AddScatter(GaussianStatistics other, ReadOnlySpan<double> shift)
    {
        int d = Dimension;
        var o = (FullScatterStatistics)other;
        if (shift.IsEmpty)
        {
            // The same reference (every merge of an EM pass): the upper triangle, row by row, element by element.
            for (int i = 0; i < d; i++)
            {
                AddRow(_scatter.AsSpan((i * d) + i, d - i), o._scatter.AsSpan((i * d) + i, d - i));
            }

            return;
        }

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

    /// <summary>target[j] += source[j] for every j (each sum rounded once, as the scalar loop rounds it).</summary>
    private static void AddRow(Span<double> target, ReadOnlySpan<double> source)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double t = ref MemoryMarshal.GetReference(target);
            ref double s = ref MemoryMarshal.GetReference(source);
            for (; j + Vector256<double>.Count <= target.Length; j += Vector256<double>.Count)
            {
                (Vector256.LoadUnsafe(ref t, (nuint)j) + Vector256.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
            }
        }

        for (; j < target.Length; j++)
        {
            target[j] += source[j];
        }
    }

    private protected override void ClearScatter() => Array.Clear(_scatter);

    /// <inheritdoc />
    private protected override void ScaleScatter(double factor) => ScaleFactor.Apply(_scatter, factor);

    /// <inheritdoc />
    /// <remarks>
    /// Expected statistics under the component being re-estimated (Ghahramani and Jordan 1994): each row becomes
    /// x̂ = (x_O, E[x_M | x_O]) and adds w·(x̂ − a) to the sum and w·(x̂ − a)(x̂ − a)ᵀ + w·C to the scatter, C being the
    /// conditional covariance Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM in the missing rows and columns. Rows without NaN add what
    /// <see cref="GaussianStatistics.Accumulate"/> adds.
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// The statistics know no current full or tied Gaussian (they were created with none, as for the initial M-step:
    /// the fitter initialises on a copy of the data with missing entries imputed, so EM never calls this then).
    /// </exception>
    public override void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        if (count == 0)
        {
            return;
        }

        if (Current is not FullGaussian current || current.Dimension != Dimension)
        {
            throw new InvalidOperationException("AccumulateIncomplete needs the full or tied Gaussian being re-estimated: create the statistics with the family's CreateStatistics(current) or ResetStatistics(statistics, current). Rows with missing entries cannot enter the initial M-step; impute them first.");
        }

        int d = Dimension;
        var reference = EnsureReference(current.Mean);
        var sum = WeightedSumAccumulator;
        Span<double> completed = d <= 64 ? stackalloc double[d] : new double[d];
        Span<double> centred = d <= 64 ? stackalloc double[d] : new double[d];
        FullGaussian.Conditioning? last = null;
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            double w = weights[n];
            if (w == 0)
            {
                continue;
            }

            var row = rows.Slice(n * d, d);
            FullGaussian.Conditioning? pattern = null;
            if (FullGaussian.HasMissing(row))
            {
                pattern = last = current.GetConditioning(row, last);
                current.CompleteRow(row, pattern, completed);
            }
            else
            {
                row.CopyTo(completed);
            }

            for (int i = 0; i < d; i++)
            {
                centred[i] = completed[i] - reference[i];
                sum[i] += w * centred[i];
            }

            for (int i = 0; i < d; i++)
            {
                double wi = w * centred[i];
                var scatterRow = _scatter.AsSpan(i * d, d);
                for (int j = i; j < d; j++)
                {
                    scatterRow[j] += wi * centred[j];
                }
            }

            if (pattern is not null)
            {
                var missing = pattern.Missing;
                int m = missing.Length;
                var conditional = current.ConditionalCovariance(pattern);
                for (int p = 0; p < m; p++)
                {
                    for (int q = p; q < m; q++)
                    {
                        _scatter[(missing[p] * d) + missing[q]] += w * conditional[(p * m) + q];
                    }
                }
            }

            total += w;
        }

        AddTotalWeight(total);
    }
}
