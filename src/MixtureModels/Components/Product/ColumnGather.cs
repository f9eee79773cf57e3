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
