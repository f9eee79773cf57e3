using System.Globalization;
using System.Runtime.CompilerServices;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Serialization;

namespace MixtureModels.Orleans.Shards;

/// <summary>
/// The coordinator's side of the shards of one fit: it cuts the rows into the plan of the local fit (the same blocks
/// and chunks for the same N, D and K), gives each shard grain a run of whole chunks, loads them, draws the
/// initialisation sample, and serves the engine's passes (<see cref="IRemoteChunks{TComponent, TStatistics}"/>) by
/// asking every shard at once and putting each chunk's answer in its place, so the engine merges them in chunk order.
/// Every call has a timeout and retries; a shard that answers "not loaded" (a new activation after its silo was lost)
/// or fails is loaded again — from its sources on whatever silo activates it, or from the client's rows — and asked again.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
internal sealed class ShardSet<TComponent, TStatistics> : IRemoteChunks<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private const int PushValues = 512 * 1024; // 4 MB of doubles per pushed block

    private readonly IGrainFactory _grains;
    private readonly IComponentFamily<TComponent, TStatistics> _family;
    private readonly string _familyKey;
    private readonly MixtureOptions _options;
    private readonly DistributedFitOptions _distributed;
    private readonly DistributedRows _rows;
    private readonly string _fitId = Guid.NewGuid().ToString("N");
    private readonly ConditionalWeakTable<TComponent[], byte[]> _parameters = [];
    private ShardAssignment[] _assignments = [];
    private int[] _chunkCounts = [];
    private int _reloads;

    public ShardSet(IGrainFactory grains, IComponentFamily<TComponent, TStatistics> family, string familyKey, MixtureOptions options, DistributedFitOptions distributed, DistributedRows rows)
    {
        _grains = grains;
        _family = family;
        _familyKey = familyKey;
        _options = options;
        _distributed = distributed;
        _rows = rows;
    }

    /// <summary>Re-loads of a shard after a failure or an empty activation (diagnostics and tests).</summary>
    public int Reloads => _reloads;

    /// <summary>Rows of the data set.</summary>
    public int Rows { get; private set; }

    /// <summary>Columns of the data set.</summary>
    public int Columns { get; private set; }

    /// <summary>The plan of the local fit of the same rows.</summary>
    public BlockPlan Plan { get; private set; } = new BlockPlan(1, 1);

    /// <summary>The shards' assignments, in row order.</summary>
    public IReadOnlyList<ShardAssignment> Assignments => _assignments;

    /// <summary>The grain of shard <paramref name="index"/>.</summary>
    public IMixtureShardGrain Grain(int index) => _grains.GetGrain<IMixtureShardGrain>(ShardName(index));

    /// <summary>Keeps the merged statistics that <paramref name="components"/> were estimated from: what the shards receive for them.</summary>
    public void Remember(TStatistics[] merged, TComponent[] components) =>
        _parameters.AddOrUpdate(components, StatisticsSerializer.SerializeToBytes(merged, _family));

    /// <summary>Counts the rows, plans the chunks, assigns and loads the shards.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        long rows;
        long[] partRows = [];
        if (_rows.Matrix is { } matrix)
        {
            rows = matrix.Rows;
            Columns = matrix.Columns;
        }
        else
        {
            (partRows, Columns) = await CountPartsAsync(cancellationToken).ConfigureAwait(false);
            rows = partRows.Sum();
        }

        if (rows > int.MaxValue)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"The rows are {rows}, more than the {int.MaxValue} one fit's plan can index. Fit a sample of at most {int.MaxValue} rows."));
        }

        Rows = (int)rows;
        int k = _options.ComponentCount;
        long statisticsSize = k * ((ISufficientStatistics)_family.CreateStatistics(default)).SizeInBytes;
        Plan = new BlockPlan(Rows, Columns, statisticsSize);
        int shards = Math.Min(_distributed.ShardCount, Plan.ChunkCount);
        _assignments = new ShardAssignment[shards];
        _chunkCounts = new int[shards];
        for (int s = 0; s < shards; s++)
        {
            int firstChunk = (int)((long)s * Plan.ChunkCount / shards), endChunk = (int)((long)(s + 1) * Plan.ChunkCount / shards);
            int firstRow = firstChunk * Plan.ChunkRows, endRow = Math.Min(Rows, endChunk * Plan.ChunkRows);
            _chunkCounts[s] = endChunk - firstChunk;
            _assignments[s] = new ShardAssignment
            {
                Name = ShardName(s),
                FamilyKey = _familyKey,
                Columns = Columns,
                FirstRow = firstRow,
                Rows = endRow - firstRow,
                FirstChunk = firstChunk,
                ChunkRows = Plan.ChunkRows,
                ComponentCount = k,
                AllowMissing = _options.MissingValues == MissingValueHandling.Marginalize,
                MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
                Parts = _rows.Matrix is null ? PartsOf(partRows, firstRow, endRow) : [],
            };
        }

        await Task.WhenAll(Enumerable.Range(0, shards).Select(s => CallAsync<ShardLoadResult>(s, async () => await LoadShardAsync(s, cancellationToken).ConfigureAwait(false), cancellationToken))).ConfigureAwait(false);
    }

    /// <summary>
    /// The initialisation sample: every row, in order, when there are at most <paramref name="size"/>; otherwise a
    /// uniform sample of that many rows, in row order, whose share of each chunk is drawn (seeded) from the chunks'
    /// sizes and whose rows are drawn by the chunks' shards, seeded by chunk — so it depends on the rows and the seed, not
    /// on the number of shards.
    /// </summary>
    public async Task<(DataMatrix Sample, bool Complete)> SampleAsync(int size, int seed, CancellationToken cancellationToken)
    {
        var perChunk = new int[Plan.ChunkCount];
        bool complete = Rows <= size;
        for (int c = 0; c < Plan.ChunkCount; c++)
        {
            var (start, end) = Plan.Chunk(c);
            perChunk[c] = complete ? end - start : 0;
        }

        if (!complete)
        {
            // A multivariate hypergeometric draw: `size` rows one by one, each from a chunk with probability (rows not yet drawn) / (all not yet drawn).
            var left = new long[Plan.ChunkCount];
            long total = Rows;
            for (int c = 0; c < left.Length; c++)
            {
                var (start, end) = Plan.Chunk(c);
                left[c] = end - start;
            }

            var random = new Random(seed);
            for (int i = 0; i < size; i++)
            {
                long u = random.NextInt64(total);
                int c = 0;
                while (u >= left[c])
                {
                    u -= left[c];
                    c++;
                }

                left[c]--;
                perChunk[c]++;
                total--;
            }
        }

        var parts = await Task.WhenAll(Enumerable.Range(0, _assignments.Length).Select(s => CallAsync(
            s,
            async () =>
            {
                var result = await Grain(s).SampleAsync(perChunk[_assignments[s].FirstChunk..(_assignments[s].FirstChunk + _chunkCounts[s])], seed).ConfigureAwait(false);
                return result.Loaded ? result : null;
            },
            cancellationToken))).ConfigureAwait(false);
        var values = new double[parts.Sum(p => (long)p!.Values.Length)];
        long offset = 0;
        foreach (var part in parts)
        {
            part!.Values.CopyTo(values, offset);
            offset += part.Values.Length;
        }

        return (DataMatrix.FromRowMajor(values, Columns), complete);
    }

    /// <summary>Drops the shards' rows: one-way calls, not waited for (a shard busy with a pass drops them after it).</summary>
    public void Release()
    {
        for (int s = 0; s < _assignments.Length; s++)
        {
            try
            {
                _ = Grain(s).ReleaseAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Releasing is a courtesy: the grains deactivate when idle anyway.
            }
        }
    }

    public void Pass(double[] logWeights, TComponent[] components, TStatistics[][]? chunkStatistics, bool entropy, double[] chunkLogLikelihood, double[] chunkEntropy, int[]? labels, CancellationToken cancellationToken)
    {
        var kind = chunkStatistics is null ? ShardPassKind.Labels : entropy ? ShardPassKind.StatisticsAndEntropy : ShardPassKind.Statistics;
        var results = PassAll(new ShardPassRequest(kind, logWeights, ParametersOf(components)), cancellationToken);
        int k = _options.ComponentCount;
        for (int s = 0; s < results.Length; s++)
        {
            var result = results[s];
            var assignment = _assignments[s];
            int chunks = _chunkCounts[s];
            Array.Copy(result.ChunkLogLikelihood, 0, chunkLogLikelihood, assignment.FirstChunk, chunks);
            if (chunkStatistics is not null)
            {
                var all = StatisticsSerializer.Deserialize(result.Statistics, _family);
                for (int c = 0; c < chunks; c++)
                {
                    chunkStatistics[assignment.FirstChunk + c] = all[(c * k)..((c + 1) * k)];
                }

                if (entropy)
                {
                    Array.Copy(result.ChunkEntropy, 0, chunkEntropy, assignment.FirstChunk, chunks);
                }
            }

            result.Labels?.CopyTo(labels!, assignment.FirstRow);
        }
    }

    public void Diagnose(double[] logWeights, TComponent[] components, double[][] chunkCounts, double[] chunkEntropy, CancellationToken cancellationToken)
    {
        var results = PassAll(new ShardPassRequest(ShardPassKind.Diagnosis, logWeights, ParametersOf(components)), cancellationToken);
        int k = _options.ComponentCount;
        for (int s = 0; s < results.Length; s++)
        {
            var result = results[s];
            int first = _assignments[s].FirstChunk;
            for (int c = 0; c < _chunkCounts[s]; c++)
            {
                chunkCounts[first + c] = result.ChunkCounts![(c * k)..((c + 1) * k)];
            }

            Array.Copy(result.ChunkEntropy, 0, chunkEntropy, first, _chunkCounts[s]);
        }
    }

    private static string Describe(ShardPart part) => string.Create(CultureInfo.InvariantCulture, $"the {part.Kind} source '{part.Location}'");

    private string ShardName(int index) => string.Create(CultureInfo.InvariantCulture, $"{_fitId}/{index}");

    private byte[] ParametersOf(TComponent[] components) =>
        _parameters.TryGetValue(components, out var bytes)
            ? bytes
            : throw new InvalidOperationException("The components of a distributed pass were not estimated by an M-step of this fit; a distributed fit starts from its initialiser only.");

    /// <summary>Asks every shard at once, on the engine's thread (which is not a grain's), and waits for all.</summary>
    private ShardPassResult[] PassAll(ShardPassRequest request, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, _assignments.Length).Select(s => CallAsync(
            s,
            async () =>
            {
                var result = await Grain(s).PassAsync(request, cancellationToken).ConfigureAwait(false);
                return result.Loaded ? result : null;
            },
            cancellationToken))).GetAwaiter().GetResult();

    /// <summary>
    /// Calls shard <paramref name="shard"/> with a timeout; a null answer (the activation holds no rows) or a failure
    /// re-loads the shard and tries again, up to <see cref="DistributedFitOptions.MaxRetries"/> times. A source error is
    /// not retried; cancellation stops at once.
    /// </summary>
    private async Task<T> CallAsync<T>(int shard, Func<Task<T?>> call, CancellationToken cancellationToken)
        where T : class
    {
        Exception? last = null;
        for (int attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (attempt > 0)
                {
                    await Task.Delay(_distributed.RetryDelay, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _reloads);
                    await LoadShardAsync(shard, cancellationToken).WaitAsync(_distributed.CallTimeout, cancellationToken).ConfigureAwait(false);
                }

                var result = await call().WaitAsync(_distributed.CallTimeout, cancellationToken).ConfigureAwait(false);
                if (result is not null)
                {
                    return result;
                }

                last = new InvalidOperationException("The shard's activation held no rows (it was re-activated, after its silo was lost or it was collected).");
            }
            catch (Exception e) when (e is not ShardSourceException && e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }

            if (attempt >= _distributed.MaxRetries)
            {
                throw new ShardUnavailableException(ShardName(shard), attempt + 1, last);
            }
        }
    }

    /// <summary>Loads one shard: pushes its rows first when they are the client's, then lets it read and check them.</summary>
    private async Task<ShardLoadResult> LoadShardAsync(int shard, CancellationToken cancellationToken)
    {
        var assignment = _assignments[shard];
        var grain = Grain(shard);
        string source;
        if (_rows.Matrix is { } matrix)
        {
            source = string.Create(CultureInfo.InvariantCulture, $"rows {assignment.FirstRow} to {assignment.FirstRow + assignment.Rows - 1} pushed by the client");
            int d = matrix.Columns;
            long start = assignment.FirstRow * d, end = (assignment.FirstRow + assignment.Rows) * d;
            for (long offset = start; offset < end; offset += PushValues)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var block = matrix.Values.Slice((int)offset, (int)Math.Min(PushValues, end - offset)).ToArray();
                await grain.AppendRowsAsync(block, offset == start).WaitAsync(_distributed.CallTimeout, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            source = string.Join(" and ", assignment.Parts.Select(Describe));
        }

        var result = await grain.LoadAsync(assignment, cancellationToken).WaitAsync(_distributed.CallTimeout, cancellationToken).ConfigureAwait(false);
        return result.Error is null ? result : throw new ShardSourceException(assignment.Name, source, result.Error);
    }

    private async Task<(long[] Rows, int Columns)> CountPartsAsync(CancellationToken cancellationToken)
    {
        var locations = _rows.Locations;
        string kind = _rows.Kind!;
        var counts = await Task.WhenAll(Enumerable.Range(0, locations.Count).Select(async i =>
        {
            var grain = _grains.GetGrain<IMixtureShardGrain>(string.Create(CultureInfo.InvariantCulture, $"{_fitId}/count/{i}"));
            try
            {
                for (int attempt = 0; ; attempt++)
                {
                    try
                    {
                        return await grain.CountAsync(kind, locations[i]).WaitAsync(_distributed.CallTimeout, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested && attempt < _distributed.MaxRetries)
                    {
                        await Task.Delay(_distributed.RetryDelay, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            finally
            {
                _ = grain.ReleaseAsync();
            }
        })).ConfigureAwait(false);
        int columns = -1;
        var rows = new long[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            var part = new ShardPart(kind, locations[i], 0, 0);
            if (counts[i].Error is { } error)
            {
                throw new ShardSourceException(string.Create(CultureInfo.InvariantCulture, $"{_fitId}/count/{i}"), Describe(part), error);
            }

            if (columns >= 0 && counts[i].Columns != columns)
            {
                throw new ShardSourceException(string.Create(CultureInfo.InvariantCulture, $"{_fitId}/count/{i}"), Describe(part), string.Create(CultureInfo.InvariantCulture, $"it has {counts[i].Columns} columns but the parts before it have {columns}. Every part must have the same columns."));
            }

            columns = counts[i].Columns;
            rows[i] = counts[i].Rows;
        }

        return (rows, columns);
    }

    /// <summary>The runs of the parts that hold rows [<paramref name="firstRow"/>, <paramref name="endRow"/>).</summary>
    private ShardPart[] PartsOf(long[] partRows, long firstRow, long endRow)
    {
        var parts = new List<ShardPart>();
        long partStart = 0;
        for (int i = 0; i < partRows.Length; i++)
        {
            long partEnd = partStart + partRows[i];
            long from = Math.Max(firstRow, partStart), to = Math.Min(endRow, partEnd);
            if (to > from)
            {
                parts.Add(new ShardPart(_rows.Kind!, _rows.Locations[i], from - partStart, (int)(to - from)));
            }

            partStart = partEnd;
        }

        return [.. parts];
    }
}
