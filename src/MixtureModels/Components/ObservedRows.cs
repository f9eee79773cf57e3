using System.Buffers;

namespace MixtureModels.Components;

/// <summary>Helpers for one-column components when NaN marks a missing entry.</summary>
internal static class ObservedRows
{
    /// <summary>
    /// Accumulates only the rows of a one-column block whose value is observed (not NaN), through the ordinary
    /// <see cref="ISufficientStatistics.Accumulate"/>, so complete blocks give exactly the fast path's result.
    /// </summary>
    public static void AccumulateOneColumn(ISufficientStatistics statistics, ReadOnlySpan<double> rows, ReadOnlySpan<double> weights)
    {
        int count = weights.Length;
        int observed = 0;
        for (int n = 0; n < count; n++)
        {
            if (!double.IsNaN(rows[n]))
            {
                observed++;
            }
        }

        if (observed == count)
        {
            statistics.Accumulate(rows, weights);
            return;
        }

        if (observed == 0)
        {
            return;
        }

        var pool = ArrayPool<double>.Shared;
        double[] values = pool.Rent(observed);
        double[] w = pool.Rent(observed);
        try
        {
            int i = 0;
            for (int n = 0; n < count; n++)
            {
                if (!double.IsNaN(rows[n]))
                {
                    values[i] = rows[n];
                    w[i] = weights[n];
                    i++;
                }
            }

            statistics.Accumulate(values.AsSpan(0, observed), w.AsSpan(0, observed));
        }
        finally
        {
            pool.Return(values);
            pool.Return(w);
        }
    }
}
