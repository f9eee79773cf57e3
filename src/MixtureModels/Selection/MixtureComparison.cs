using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Selection;

/// <summary>
/// Compares two fitted distributions (mixtures, or any <see cref="IComponent"/>): the Kullback–Leibler divergence
/// KL(p‖q) by Monte Carlo with its standard error, and the log-likelihood ratio on held-out data with its standard error.
/// </summary>
public static class MixtureComparison
{
    /// <summary>The default number of Monte Carlo draws of <see cref="KullbackLeibler"/> (10 000).</summary>
    public const int DefaultSampleCount = 10_000;

    private const int BlockRows = 256;

    /// <summary>
    /// Estimates KL(p‖q) = E_p[log p(x) − log q(x)] by drawing <paramref name="sampleCount"/> rows from
    /// <paramref name="p"/> (with <c>new Random(seed)</c>) and averaging log p − log q; the standard error is the
    /// sample standard deviation of those differences / √n. KL between mixtures has no closed form; the error shrinks
    /// as 1/√n. KL(p‖p) is exactly 0 (every difference is 0). The draws and the result depend only on the seed and n.
    /// </summary>
    /// <param name="p">The distribution the draws come from (for example a fitted <see cref="MixtureModel{TComponent}"/>).</param>
    /// <param name="q">The distribution compared with it, of the same dimension.</param>
    /// <param name="sampleCount">Number of draws n, at least 2 (default <see cref="DefaultSampleCount"/>).</param>
    /// <param name="seed">Seed of the draws (default 0).</param>
    /// <returns>The estimate and its standard error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="p"/> or <paramref name="q"/> is null.</exception>
    /// <exception cref="ArgumentException">The dimensions differ, or <paramref name="q"/> rejects a draw of <paramref name="p"/> (for example a Bernoulli model given real values).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sampleCount"/> is below 2.</exception>
    public static KullbackLeiblerEstimate KullbackLeibler(IComponent p, IComponent q, int sampleCount = DefaultSampleCount, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        ArgumentChecks.AtLeast(sampleCount, 2, nameof(sampleCount), "Draw at least 2 rows (10 000 or more for a useful standard error).");
        SameDimension(p, q);
        int d = p.Dimension;
        var random = new Random(seed);
        var rows = new double[BlockRows * d];
        var logP = new double[BlockRows];
        var logQ = new double[BlockRows];
        var differences = new double[sampleCount];
        for (int start = 0; start < sampleCount; start += BlockRows)
        {
            int count = Math.Min(BlockRows, sampleCount - start);
            for (int n = 0; n < count; n++)
            {
                p.Sample(random, rows.AsSpan(n * d, d));
            }

            var block = rows.AsSpan(0, count * d);
            p.LogDensity(block, logP.AsSpan(0, count));
            q.LogDensity(block, logQ.AsSpan(0, count));
            for (int n = 0; n < count; n++)
            {
                differences[start + n] = Difference(logP[n], logQ[n]);
            }
        }

        var (mean, error, _) = MeanAndError(differences, null);
        return new KullbackLeiblerEstimate(mean, error, sampleCount);
    }

    /// <summary>
    /// The log-likelihood ratio of <paramref name="p"/> against <paramref name="q"/> on held-out rows: the mean of
    /// dₙ = log p(xₙ) − log q(xₙ) (positive when p predicts the rows better), its standard error and the total. Use rows
    /// that neither model was fitted to; on the training rows the more flexible model always wins.
    /// </summary>
    /// <param name="p">The first model.</param>
    /// <param name="q">The second model, of the same dimension.</param>
    /// <param name="heldOut">N × D held-out rows, N ≥ 2 (not modified); each model checks them as its own queries do.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row; at least two rows need a positive weight.</param>
    /// <returns>The mean difference per row, its standard error, the total and the row count.</returns>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    /// <exception cref="ArgumentException">The dimensions or column counts differ, the weights are invalid, fewer than two rows have a positive weight, or a model rejects the rows.</exception>
    public static LogLikelihoodRatioEstimate LogLikelihoodRatio(IComponent p, IComponent q, DataMatrix heldOut, double[]? sampleWeights = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(heldOut);
        SameDimension(p, q);
        heldOut = heldOut.ForCall();
        heldOut.EnsureColumns(p.Dimension, nameof(heldOut));
        var weights = InputValidation.SampleWeights(sampleWeights, heldOut.Rows);
        int positive = InputValidation.EffectiveRows(weights, heldOut.Rows);
        if (positive < 2)
        {
            ThrowHelper.ThrowArgument(nameof(heldOut), string.Create(CultureInfo.InvariantCulture, $"heldOut has {positive} row(s) with a positive weight; a standard error needs at least 2. Pass more held-out rows."));
        }

        var logP = LogDensities(p, heldOut);
        var logQ = LogDensities(q, heldOut);
        var differences = new double[heldOut.Rows];
        for (int n = 0; n < differences.Length; n++)
        {
            differences[n] = Difference(logP[n], logQ[n]);
        }

        var (mean, error, total) = MeanAndError(differences, weights);
        return new LogLikelihoodRatioEstimate(mean, error, mean * total, positive);
    }

    private static void SameDimension(IComponent p, IComponent q)
    {
        if (p.Dimension != q.Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(q), string.Create(CultureInfo.InvariantCulture, $"q has dimension {q.Dimension} but p has {p.Dimension}. Compare models of the same columns."));
        }
    }

    /// <summary>log p − log q, with −∞ − −∞ taken as 0 (both models give the row zero density).</summary>
    private static double Difference(double logP, double logQ) =>
        logP == logQ ? 0 : logP - logQ;

    private static double[] LogDensities(IComponent model, DataMatrix data)
    {
        var result = HugePages.NewArray<double>(data.Rows);
        for (int start = 0; start < data.Rows; start += BlockRows)
        {
            int count = Math.Min(BlockRows, data.Rows - start);
            model.LogDensity(data.RowBlock(start, count), result.AsSpan(start, count));
        }

        return result;
    }

    /// <summary>
    /// The weighted mean of <paramref name="values"/>, its standard error √(m/(m−1)·Σ w²(x − x̄)²) / Σ w over the m
    /// values of positive weight (for unit weights the sample standard deviation / √m), and Σ w. Two passes in a fixed order.
    /// </summary>
    private static (double Mean, double StandardError, double TotalWeight) MeanAndError(double[] values, double[]? weights)
    {
        double total = 0, sum = 0;
        int m = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            if (w > 0)
            {
                total += w;
                sum += w * values[i];
                m++;
            }
        }

        double mean = sum / total;
        if (!double.IsFinite(mean))
        {
            return (mean, double.NaN, total);
        }

        double squares = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double w = weights?[i] ?? 1.0;
            if (w > 0)
            {
                double deviation = values[i] - mean;
                squares += w * w * deviation * deviation;
            }
        }

        return (mean, Math.Sqrt(m / (m - 1.0) * squares) / total, total);
    }
}
