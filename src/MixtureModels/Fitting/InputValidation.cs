using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// Checks of the data and sample weights done at the public boundary of every estimator and model. In Fitting, not
/// Numerics, because they take the fit's <see cref="MissingValueHandling"/>; the argument checks the component
/// families share are <see cref="ArgumentChecks"/>, in Numerics.
/// </summary>
internal static class InputValidation
{
    /// <summary>
    /// Checks training data: not null, finite, at least <paramref name="minimumRows"/> rows, and a squared spread
    /// Σ_d (max_d − min_d)² that does not overflow. Returns the matrix the rest of the call must use
    /// (<see cref="DataMatrix.ForCall"/>), which remembers what was checked. Without missing-value support the
    /// finiteness and the column ranges come from one parallel read of the data.
    /// </summary>
    /// <param name="data">The training data.</param>
    /// <param name="minimumRows">The fewest rows the fit accepts.</param>
    /// <param name="what">The option <paramref name="minimumRows"/> comes from, for the message.</param>
    /// <param name="missingValues">Whether NaN marks a missing entry.</param>
    /// <param name="maxDegreeOfParallelism">The fit's thread limit, or −1 for all cores (the checks' answers do not depend on it).</param>
    public static DataMatrix TrainingData(DataMatrix data, int minimumRows, string what, MissingValueHandling missingValues = MissingValueHandling.Reject, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(data);
        data = data.ForCall();
        int d = data.Columns;
        Span<double> min = d <= 256 ? stackalloc double[d] : new double[d];
        Span<double> max = d <= 256 ? stackalloc double[d] : new double[d];
        if (missingValues == MissingValueHandling.Marginalize)
        {
            data.EnsureObservedOrMissing(nameof(data), everyColumnObserved: true);
            data.ObservedRange(min, max, maxDegreeOfParallelism);
        }
        else
        {
            data.EnsureFiniteWithRange(nameof(data), min, max, maxDegreeOfParallelism);
        }

        if (data.Rows < minimumRows)
        {
            ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data has {data.Rows} rows but {what} is {minimumRows}. Pass at least {minimumRows} rows or lower {what}."));
        }

        EnsureSquaredSpreadIsFinite(min, max);
        return data;
    }

    /// <summary>
    /// Throws when the squared distance between two rows can overflow (Σ_d (max_d − min_d)² = +∞): no variance or
    /// distance would be finite, so the data must be scaled first.
    /// </summary>
    /// <param name="min">Each column's smallest observed entry.</param>
    /// <param name="max">Each column's largest observed entry.</param>
    private static void EnsureSquaredSpreadIsFinite(ReadOnlySpan<double> min, ReadOnlySpan<double> max)
    {
        double spread = 0;
        int widest = 0;
        for (int j = 0; j < min.Length; j++)
        {
            double range = max[j] - min[j];
            spread += range * range;
            if (range > max[widest] - min[widest])
            {
                widest = j;
            }
        }

        if (!double.IsFinite(spread))
        {
            ThrowHelper.ThrowArgument("data", string.Create(CultureInfo.InvariantCulture, $"data spans [{min[widest]}, {max[widest]}] in column {widest}, so squared distances and variances overflow: scale the data (for example divide every column by its standard deviation) before fitting."));
        }
    }

    /// <summary>
    /// Checks query data against a fitted model: not null, finite, with the model's column count. Returns the matrix the
    /// rest of the call must use (<see cref="DataMatrix.ForCall"/>), which remembers what was checked.
    /// </summary>
    /// <param name="data">The query data.</param>
    /// <param name="columns">The model's column count.</param>
    /// <param name="missingValues">Whether NaN marks a missing entry.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads for the scan, or −1 for all cores (the answer does not depend on it).</param>
    public static DataMatrix QueryData(DataMatrix data, int columns, MissingValueHandling missingValues = MissingValueHandling.Reject, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(data);
        data = data.ForCall();
        data.EnsureColumns(columns, nameof(data));
        if (missingValues == MissingValueHandling.Marginalize)
        {
            data.EnsureObservedOrMissing(nameof(data), everyColumnObserved: false);
        }
        else
        {
            data.EnsureFinite(nameof(data), maxDegreeOfParallelism);
        }

        return data;
    }

    /// <summary>
    /// Checks sample weights (one finite, non-negative weight per row, positive sum) and returns a private copy,
    /// or null when no weights are given.
    /// </summary>
    public static double[]? SampleWeights(double[]? sampleWeights, int rows)
    {
        if (sampleWeights is null)
        {
            return null;
        }

        if (sampleWeights.Length != rows)
        {
            ThrowHelper.ThrowArgument(nameof(sampleWeights), string.Create(CultureInfo.InvariantCulture, $"sampleWeights has {sampleWeights.Length} values but data has {rows} rows. Pass one weight per row."));
        }

        double total = 0;
        for (int i = 0; i < sampleWeights.Length; i++)
        {
            double w = sampleWeights[i];
            if (!(w >= 0) || !double.IsFinite(w))
            {
                ThrowHelper.ThrowArgument(nameof(sampleWeights), string.Create(CultureInfo.InvariantCulture, $"sampleWeights[{i}] = {w}. Sample weights must be finite and non-negative."));
            }

            total += w;
        }

        if (!(total > 0) || !double.IsFinite(total))
        {
            ThrowHelper.ThrowArgument(nameof(sampleWeights), string.Create(CultureInfo.InvariantCulture, $"sampleWeights sum to {total}. Give at least one row a positive weight, and keep the sum finite."));
        }

        return (double[])sampleWeights.Clone();
    }

    /// <summary>
    /// Validated sample weights rescaled, in place, to average 1 (null stays null; weights that already average 1 are
    /// returned unchanged): a fit depends only on the weights' ratios, so weights × c give the same fit for any c &gt; 0.
    /// Without this, the 10ε that keeps an empty component alive would dominate weights near 1e-20.
    /// </summary>
    /// <param name="weights">A copy made by <see cref="SampleWeights"/>, or null.</param>
    public static double[]? RelativeSampleWeights(double[]? weights)
    {
        if (weights is null)
        {
            return null;
        }

        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double mean = total / weights.Length;
        if (mean == 1)
        {
            return weights;
        }

        bool usable = double.IsNormal(mean);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = usable ? weights[i] / mean : weights[i] / total * weights.Length;
        }

        return weights;
    }

    /// <summary>Number of rows with a positive weight (all rows when unweighted).</summary>
    public static int EffectiveRows(double[]? weights, int rows)
    {
        if (weights is null)
        {
            return rows;
        }

        int count = 0;
        foreach (double w in weights)
        {
            if (w > 0)
            {
                count++;
            }
        }

        return count;
    }
}
