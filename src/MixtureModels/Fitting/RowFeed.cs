using System.Collections.Concurrent;
using System.Globalization;

namespace MixtureModels.Fitting;

/// <summary>
/// Reads a <see cref="RowSource"/> pass by pass and re-assembles its blocks, whatever their size, into batches of a
/// fixed number of rows that start at multiples of that number: batch b holds rows [b·BatchRows, (b+1)·BatchRows). The
/// batch size is a multiple of <see cref="BlockPlan.BlockRows"/>, so the engine's blocks never straddle two batches and
/// every block of the plan is computed from exactly the rows, in the order, of the in-memory fit. A reader task copies
/// the source's blocks into the batches while the calling thread computes the previous batch; a few batches are in
/// flight, so a pass takes O(batch) memory whatever N.
/// </summary>
internal sealed class RowFeed
{
    /// <summary>The memory of one batch (about 4 MiB); three are in flight.</summary>
    private const int BatchBytes = 4 << 20;

    private const int BatchesInFlight = 3;

    private readonly RowSource _source;

    public RowFeed(RowSource source) => _source = source;

    /// <summary>What one pass does with a batch: its rows as a matrix and the source row index of its first row.</summary>
    public delegate void BatchAction(DataMatrix batch, int firstRow);

    /// <summary>Rows per batch for data of <paramref name="columns"/> columns: a multiple of the plan's block rows.</summary>
    public static int BatchRowsFor(int columns)
    {
        int blockRows = new BlockPlan(1, columns).BlockRows;
        long rows = BatchBytes / (8L * columns);
        return (int)Math.Max(blockRows, rows / blockRows * blockRows);
    }

    /// <summary>
    /// Reads one pass and calls <paramref name="body"/> on every batch, in row order, on the calling thread.
    /// </summary>
    /// <param name="expectedRows">The row count of the first pass, or -1 during the first pass.</param>
    /// <param name="expectedColumns">The column count of the first pass, or -1 during the first pass.</param>
    /// <param name="body">The work of one batch.</param>
    /// <param name="cancellationToken">Stops the reader and the computation.</param>
    /// <returns>The number of rows and columns read.</returns>
    public (int Rows, int Columns) Pass(int expectedRows, int expectedColumns, BatchAction body, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<double[]>();
        using var full = new BlockingCollection<(double[] Buffer, int FirstRow, int Rows, int Columns)>();
        int rows = 0, columns = expectedColumns;
        var reader = Task.Run(() => ReadAsync(expectedRows, expectedColumns, free, full, c => columns = c, r => rows = r, stop.Token), stop.Token);
        try
        {
            foreach (var (buffer, firstRow, count, width) in full.GetConsumingEnumerable(stop.Token))
            {
                body(DataMatrix.FromRowMajor(buffer.AsMemory(0, count * width), width), firstRow);
                free.Add(buffer, stop.Token);
            }
        }
        catch
        {
            stop.Cancel();
            try
            {
                reader.GetAwaiter().GetResult();
            }
            catch (Exception) when (reader.IsFaulted || reader.IsCanceled)
            {
                // The reader stopped because the computation failed or was cancelled: the computation's exception is the one to report.
            }

            throw;
        }

        reader.GetAwaiter().GetResult();
        cancellationToken.ThrowIfCancellationRequested();
        return (rows, columns);
    }

    private async Task ReadAsync(
        int expectedRows,
        int expectedColumns,
        BlockingCollection<double[]> free,
        BlockingCollection<(double[] Buffer, int FirstRow, int Rows, int Columns)> full,
        Action<int> setColumns,
        Action<int> setRows,
        CancellationToken cancellationToken)
    {
        try
        {
            int columns = expectedColumns, batchRows = 0, filled = 0, batches = 0;
            long row = 0;
            double[]? buffer = null;
            await foreach (var block in _source.ReadBlocksAsync(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (block is null)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} yielded a null block after {row} rows. Yield a DataMatrix of at least one row for every block."));
                }

                if (columns < 0)
                {
                    columns = block.Columns;
                    setColumns(columns);
                }
                else if (block.Columns != columns)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} yielded a block of {block.Columns} columns after {row} rows of {columns} columns. Every block of every pass must have the same columns; a source must not change while a fit reads it."));
                }

                if (batchRows == 0)
                {
                    batchRows = BatchRowsFor(columns);
                    if (expectedRows >= 0)
                    {
                        // A small source needs no more than its rows, rounded up to whole blocks.
                        int blockRows = new BlockPlan(1, columns).BlockRows;
                        batchRows = (int)Math.Min(batchRows, ((long)Math.Max(expectedRows, 1) + blockRows - 1) / blockRows * blockRows);
                    }

                    for (int i = 0; i < BatchesInFlight; i++)
                    {
                        free.Add(new double[batchRows * columns], cancellationToken);
                    }
                }

                if (expectedRows >= 0 && row + block.Rows > expectedRows)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} yielded more than the {expectedRows} rows of its first pass. Every pass must yield the same rows; a source must not change while a fit reads it."));
                }

                if (row + block.Rows > int.MaxValue)
                {
                    throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} has more than {int.MaxValue} rows. Fit a sample of at most {int.MaxValue} rows, or split the data."));
                }

                var values = block.Values;
                int offset = 0;
                while (offset < block.Rows)
                {
                    buffer ??= free.Take(cancellationToken);
                    int take = Math.Min(block.Rows - offset, batchRows - filled);
                    values.Slice(offset * columns, take * columns).CopyTo(buffer.AsSpan(filled * columns));
                    filled += take;
                    offset += take;
                    if (filled == batchRows)
                    {
                        full.Add((buffer, batches * batchRows, filled, columns), cancellationToken);
                        batches++;
                        buffer = null;
                        filled = 0;
                    }
                }

                row += block.Rows;
            }

            if (expectedRows >= 0 && row != expectedRows)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} yielded {row} rows but its first pass yielded {expectedRows}. Every pass must yield the same rows; a source must not change while a fit reads it."));
            }

            if (row == 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The row source {_source.GetType().Name} yielded no rows. Give a source of at least one row."), "source");
            }

            if (filled > 0)
            {
                full.Add((buffer!, batches * batchRows, filled, columns), cancellationToken);
            }

            setRows((int)row);
        }
        finally
        {
            full.CompleteAdding();
        }
    }
}
