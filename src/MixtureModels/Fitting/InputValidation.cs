using System.Globalization;
using System.Runtime.Intrinsics;
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
    /// Checks training data: not null, finite, and at least <paramref name="minimumRows"/> rows. Returns the matrix the
    /// rest of the call must use (<see cref="DataMatrix.ForCall"/>), which remembers what was checked.
    /// </summary>
    public static DataMatrix TrainingData(DataMatrix data, int minimumRows, string what, MissingValueHandling missingValues = MissingValueHandling.Reject)
    {
        ArgumentNullException.ThrowIfNull(data);
        data = data.ForCall();
        if (missingValues == MissingValueHandling.Marginalize)
        {
            data.EnsureObservedOrMissing(nameof(data), everyColumnObserved: true);
        }
        else
        {
            data.EnsureFinite(nameof(data));
        }

        if (data.Rows < minimumRows)
        {
            ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data has {data.Rows} rows but {what} is {minimumRows}. Pass at least {minimumRows} rows or lower {what}."));
        }

        EnsureSquaredSpreadIsFinite(data);
        return data;
    }

    /// <summary>
    /// Throws when the squared distance between two rows can overflow (Σ_d (max_d − min_d)² = +∞): no variance or
    /// distance would be finite, so the data must be scaled first.
    /// </summary>
    private static void EnsureSquaredSpreadIsFinite(DataMatrix data)
    {
        int d = data.Columns;
        Span<double> min = d <= 256 ? stackalloc double[d] : new double[d];
        Span<double> max = d <= 256 ? stackalloc double[d] : new double[d];
        min.Fill(double.PositiveInfinity);
        max.Fill(double.NegativeInfinity);
        int vectorColumns = Vector256.IsHardwareAccelerated ? d / 4 * 4 : 0;
        for (int i = 0; i < data.Rows; i++)
        {
            var row = data.Row(i);

            // Four columns at a time; a missing entry (when allowed) has no value to spread, so NaN lanes are left out.
            for (int j = 0; j < vectorColumns; j += 4)
            {
                var v = Vector256.Create(row.Slice(j, 4));
                var observed = Vector256.Equals(v, v);
                Vector256.Min(Vector256.Create(min.Slice(j, 4)), Vector256.ConditionalSelect(observed, v, Vector256.Create(double.PositiveInfinity))).CopyTo(min.Slice(j, 4));
                Vector256.Max(Vector256.Create(max.Slice(j, 4)), Vector256.ConditionalSelect(observed, v, Vector256.Create(double.NegativeInfinity))).CopyTo(max.Slice(j, 4));
            }

            for (int j = vectorColumns; j < d; j++)
            {
                if (!double.IsNaN(row[j]))
                {
                    min[j] = Math.Min(min[j], row[j]);
                    max[j] = Math.Max(max[j], row[j]);
                }
            }
        }

        double spread = 0;
        int widest = 0;
        for (int j = 0; j < d; j++)
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
            ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data spans [{min[widest]}, {max[widest]}] in column {widest}, so squared distances and variances overflow: scale the data (for example divide every column by its standard deviation) before fitting."));
        }
    }

    /// <summary>
    /// Checks query data against a fitted model: not null, finite, with the model's column count. Returns the matrix the
    /// rest of the call must use (<see cref="DataMatrix.ForCall"/>), which remembers what was checked.
    /// </summary>
    public static DataMatrix QueryData(DataMatrix data, int columns, MissingValueHandling missingValues = MissingValueHandling.Reject)
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
            data.EnsureFinite(nameof(data));
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
