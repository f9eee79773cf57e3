namespace MixtureModels.Components.Product;

/// <summary>Copies chosen columns of a block of rows into a contiguous row-major block.</summary>
internal static class ColumnGather
{
    /// <summary>destination[n·c + j] = rows[n·d + columns[j]] for n &lt; count.</summary>
    public static void Gather(ReadOnlySpan<double> rows, int count, int d, ReadOnlySpan<int> columns, Span<double> destination)
    {
        int c = columns.Length;
        for (int n = 0; n < count; n++)
        {
            var row = rows.Slice(n * d, d);
            var target = destination.Slice(n * c, c);
            for (int j = 0; j < c; j++)
            {
                target[j] = row[columns[j]];
            }
        }
    }
}

/// <summary>Gathering a marginal's columns when NaN marks a missing entry.</summary>
internal static class MissingEntries
{
    /// <summary>
    /// Gathers <paramref name="columns"/> of the rows that have at least one of them observed, packed, into
    /// <paramref name="destination"/>, and their row indices into <paramref name="kept"/>; returns how many.
    /// <paramref name="anyMissing"/> tells whether a gathered value is NaN.
    /// </summary>
    public static int GatherObserved(ReadOnlySpan<double> rows, int count, int d, ReadOnlySpan<int> columns, Span<double> destination, Span<int> kept, out bool anyMissing)
    {
        int c = columns.Length;
        int used = 0;
        anyMissing = false;
        for (int n = 0; n < count; n++)
        {
            var row = rows.Slice(n * d, d);
            var target = destination.Slice(used * c, c);
            int observed = 0;
            for (int j = 0; j < c; j++)
            {
                double v = row[columns[j]];
                target[j] = v;
                if (!double.IsNaN(v))
                {
                    observed++;
                }
            }

            if (observed > 0)
            {
                anyMissing |= observed < c;
                kept[used++] = n;
            }
        }

        return used;
    }
}
