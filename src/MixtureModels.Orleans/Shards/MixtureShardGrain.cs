using System.Globalization;
using Orleans.Placement;

namespace MixtureModels.Orleans.Shards;

/// <summary>
/// The shard grain (see <see cref="IMixtureShardGrain"/>). Its rows live in memory for the whole fit; they are not
/// persisted: an activation lost with its silo is replaced by an empty one, which the coordinator loads again from the
/// shard's sources (read on the new silo) or from the rows it pushed. Randomly placed, so a fit's shards spread over
/// the silos.
/// </summary>
[RandomPlacement]
internal sealed class MixtureShardGrain(IEnumerable<ShardFamily> families, IEnumerable<ShardRowSourceFactory> sources) : Grain, IMixtureShardGrain
{
    private List<double[]>? _pushed;
    private DataMatrix? _rows;
    private ShardAssignment? _assignment;
    private ShardComputer? _computer;

    public async Task<ShardCountResult> CountAsync(string kind, string location)
    {
        try
        {
            var source = Open(kind, location);
            long rows = 0;
            int columns = -1;
            await foreach (var block in source.ReadBlocksAsync(CancellationToken.None).ConfigureAwait(true))
            {
                columns = columns < 0 ? block.Columns : columns;
                if (block.Columns != columns)
                {
                    return new ShardCountResult(0, 0, string.Create(CultureInfo.InvariantCulture, $"the source yielded a block of {block.Columns} columns after {rows} rows of {columns} columns."));
                }

                rows += block.Rows;
            }

            return rows == 0 ? new ShardCountResult(0, 0, "the source yielded no rows.") : new ShardCountResult(rows, columns, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ShardCountResult(0, 0, Describe(e));
        }
    }

    public Task AppendRowsAsync(double[] values, bool first)
    {
        if (first)
        {
            _pushed = null;
        }

        (_pushed ??= []).Add(values);
        return Task.CompletedTask;
    }

    public async Task<ShardLoadResult> LoadAsync(ShardAssignment assignment, CancellationToken cancellationToken)
    {
        _rows = null;
        _computer = null;
        _assignment = null;
        try
        {
            var values = assignment.Parts.Length == 0 ? TakePushed(assignment) : await ReadParts(assignment, cancellationToken).ConfigureAwait(true);
            var rows = DataMatrix.FromRowMajor(values, assignment.Columns);
            CheckValues(rows, assignment);
            var family = families.LastOrDefault(f => f.Key == assignment.FamilyKey)
                ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no component family is registered under the key '{assignment.FamilyKey}' on this silo. Register it on every silo with services.AddMixtureFamily(\"{assignment.FamilyKey}\", columns => new YourFamily(...))."));
            _computer = family.Create(rows, assignment);
            _rows = rows;
            _assignment = assignment;
            return new ShardLoadResult(null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ShardLoadResult(Describe(e));
        }
    }

    public Task<ShardSampleResult> SampleAsync(int[] chunkCounts, int seed)
    {
        if (_rows is null || _assignment is null)
        {
            return Task.FromResult(new ShardSampleResult(false, []));
        }

        int d = _rows.Columns, chunkRows = _assignment.ChunkRows, total = 0;
        foreach (int m in chunkCounts)
        {
            total += m;
        }

        var result = new double[total * d];
        var values = _rows.Values;
        int filled = 0;
        for (int c = 0; c < chunkCounts.Length; c++)
        {
            int start = c * chunkRows, n = Math.Min(chunkRows, _rows.Rows - start), m = Math.Min(chunkCounts[c], n);

            // Knuth's selection sampling (algorithm S): row i is taken with probability (still wanted) / (still left),
            // so the m rows are a uniform subset, in row order; all of them when m = n. Seeded by the global chunk index.
            var random = new Random(unchecked((seed * 1_000_003) + _assignment.FirstChunk + c));
            for (int i = 0, taken = 0; i < n && taken < m; i++)
            {
                if (m - taken == n - i || random.NextDouble() * (n - i) < m - taken)
                {
                    values.Slice((start + i) * d, d).CopyTo(result.AsSpan(filled * d, d));
                    filled++;
                    taken++;
                }
            }
        }

        return Task.FromResult(new ShardSampleResult(true, result));
    }

    public Task<ShardPassResult> PassAsync(ShardPassRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_computer is null ? new ShardPassResult { Loaded = false } : _computer.Pass(request, cancellationToken));

    public Task<SiloAddress> GetSiloAsync() => Task.FromResult(GrainContext.Address.SiloAddress!);

    public Task ReleaseAsync()
    {
        _pushed = null;
        _rows = null;
        _computer = null;
        _assignment = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private static string Describe(Exception e) => e is ArgumentException or InvalidOperationException or IOException or RowSourceFormatException or NotSupportedException
        ? e.Message
        : string.Create(CultureInfo.InvariantCulture, $"{e.GetType().Name}: {e.Message}");

    private static void CheckValues(DataMatrix rows, ShardAssignment assignment)
    {
        var values = rows.Values;
        int d = rows.Columns;
        for (int r = 0; r < rows.Rows; r++)
        {
            bool any = false;
            for (int c = 0; c < d; c++)
            {
                double v = values[(r * d) + c];
                if (double.IsFinite(v))
                {
                    any = true;
                }
                else if (!assignment.AllowMissing || double.IsInfinity(v))
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"row {assignment.FirstRow + r} (of the data set), column {c} is {v}. Remove or impute missing and infinite values{(assignment.AllowMissing ? string.Empty : ", or set MissingValues = Marginalize if NaN marks a missing entry")}."));
                }
            }

            if (!any)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"row {assignment.FirstRow + r} (of the data set) has every entry missing (NaN). Drop the row: it carries no information."));
            }
        }
    }

    private double[] TakePushed(ShardAssignment assignment)
    {
        var pushed = _pushed ?? [];
        _pushed = null;
        long length = 0;
        foreach (var block in pushed)
        {
            length += block.Length;
        }

        if (length != (long)assignment.Rows * assignment.Columns)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"the shard received {length} values but owns {assignment.Rows} rows × {assignment.Columns} columns. Push the shard's rows before loading it."));
        }

        var values = new double[length];
        int offset = 0;
        foreach (var block in pushed)
        {
            block.CopyTo(values, offset);
            offset += block.Length;
        }

        return values;
    }

    private async Task<double[]> ReadParts(ShardAssignment assignment, CancellationToken cancellationToken)
    {
        int d = assignment.Columns;
        var values = new double[(long)assignment.Rows * d];
        int filled = 0;
        foreach (var part in assignment.Parts)
        {
            var source = Open(part.Kind, part.Location);
            long row = 0;
            int taken = 0;
            await foreach (var block in source.ReadBlocksAsync(cancellationToken).ConfigureAwait(true))
            {
                if (block.Columns != d)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the {part.Kind} source '{part.Location}' has {block.Columns} columns, but the data set has {d}. Every part must have the same columns."));
                }

                long from = Math.Max(part.Skip, row), to = Math.Min(part.Skip + part.Take, row + block.Rows);
                if (to > from)
                {
                    int count = (int)(to - from);
                    block.Values.Slice((int)(from - row) * d, count * d).CopyTo(values.AsSpan(filled * d));
                    filled += count;
                    taken += count;
                }

                row += block.Rows;
                if (taken == part.Take)
                {
                    break;
                }
            }

            if (taken != part.Take)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"the {part.Kind} source '{part.Location}' yielded {row} rows, fewer than the {part.Skip + part.Take} it had when it was counted. A source must not change during a fit."));
            }
        }

        return values;
    }

    private RowSource Open(string kind, string location)
    {
        var factory = sources.LastOrDefault(s => s.Kind == kind);
        if (factory is not null)
        {
            return factory.Create(location);
        }

        if (kind == DistributedRows.CsvKind)
        {
            return new CsvRowSource(location);
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no row source of kind '{kind}' is registered on this silo. Register it on every silo with services.AddMixtureRowSource(\"{kind}\", location => new YourRowSource(location))."));
    }
}
