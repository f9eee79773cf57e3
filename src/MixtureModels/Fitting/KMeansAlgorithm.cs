using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// k-means++ seeding and Lloyd iterations on one data set with optional row weights, as passes over fixed chunks of
/// rows (<see cref="BlockPlan"/>) that run in parallel. The distances of a block of rows to all centres come from the
/// vectorised <see cref="CentreDistances"/> kernel, which gives the textbook loop's bits, so the seeds and labels are
/// those of the scalar algorithm; every sum over rows is either sequential or merged over the chunks in a fixed order,
/// so results never depend on the thread count. One instance serves every restart of a fit: the buffers and the
/// data's mean column variance are made once.
/// </summary>
internal sealed class KMeansAlgorithm
{
    /// <summary>Blocks of rows between two looks at the cancellation token inside a chunk.</summary>
    private const int BlocksPerCancellationCheck = 16;

    /// <summary>
    /// Rows between two recorded running sums of a k-means++ potential: the inverse-CDF draw starts its scan at the last
    /// recorded sum below its target instead of at row 0.
    /// </summary>
    private const int PrefixStride = 512;


    /// <summary>Blocks of rows in one chunk of a k-means++ pass (whose sums are continued chunk after chunk).</summary>
    private const int SeedChunkBlocks = 8;

    [ThreadStatic]
    private static double[]? t_distances;

    [ThreadStatic]
    private static double[]? t_seedDistances;

    private readonly DataMatrix _data;
    private readonly double[]? _weights;
    private readonly int _k;
    private readonly int _columns;
    private readonly int _maxDegreeOfParallelism;
    private readonly BlockPlan _plan;
    private readonly double[][] _chunkSums;
    private readonly double[][] _chunkMass;
    private readonly double[] _chunkInertia;
    private readonly bool[] _chunkChanged;
    private double _meanVariance = double.NaN;
    private double[]? _closest;
    private double[]? _lower;
    private double[]? _closestPrefix;
    private double[][]? _prefixes;

    /// <summary>Prepares k-means with <paramref name="k"/> clusters on <paramref name="data"/> (finite, N ≥ 1).</summary>
    /// <param name="data">The rows; not modified.</param>
    /// <param name="weights">A non-negative weight per row, or null for weight 1.</param>
    /// <param name="k">The number of clusters, at least 1.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or -1 for all cores; the results do not depend on it.</param>
    public KMeansAlgorithm(DataMatrix data, double[]? weights, int k, int maxDegreeOfParallelism)
    {
        _data = data;
        _weights = weights;
        _k = k;
        _columns = data.Columns;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _plan = new BlockPlan(data.Rows, data.Columns, (long)k * (data.Columns + 1) * sizeof(double));
        _chunkSums = new double[_plan.ChunkCount][];
        _chunkMass = new double[_plan.ChunkCount][];
        _chunkInertia = new double[_plan.ChunkCount];
        _chunkChanged = new bool[_plan.ChunkCount];
    }

    /// <summary>The mean column variance of the data, computed on first use (the tolerance of every Lloyd run is relative to it).</summary>
    private double MeanVariance => double.IsNaN(_meanVariance) ? _meanVariance = ColumnVariance.Mean(_data, _weights, out _) : _meanVariance;

    /// <summary>One k-means++ seeding followed by Lloyd iterations (see <see cref="Lloyd"/> for <paramref name="labels"/>).</summary>
    public KMeansResult Run(Random random, int maxIterations, double tolerance, CancellationToken cancellationToken, int[]? labels = null)
    {
        var seeds = PlusPlusSeeds(random, cancellationToken);
        var centers = new double[_k * _columns];
        for (int c = 0; c < _k; c++)
        {
            _data.Row(seeds[c]).CopyTo(centers.AsSpan(c * _columns, _columns));
        }

        return Lloyd(centers, maxIterations, tolerance, cancellationToken, labels);
    }

    /// <summary>
    /// Greedy k-means++ (Arthur and Vassilvitskii 2007, with 2 + ⌊ln K⌋ local trials per centre as in scikit-learn):
    /// each new centre is drawn with probability ∝ w·D(x)², keeping the candidate that lowers the potential most. The
    /// trials of one step are drawn first (they depend only on the current distances) and then evaluated together in
    /// one parallel pass (<see cref="SeedPass"/>), which also folds the previous step's centre into the distances.
    /// Returns the chosen row indices. The token is checked before any work, before every step and between chunks.
    /// </summary>
    public int[] PlusPlusSeeds(Random random, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int n = _data.Rows;
        int trials = 2 + (int)Math.Log(_k);
        int checkpoints = (n + PrefixStride - 1) / PrefixStride;
        var seeds = new int[_k];
        _closest ??= HugePages.NewArray<double>(n);
        _closestPrefix ??= new double[checkpoints];
        if (_prefixes is null)
        {
            _prefixes = new double[trials][];
            for (int t = 0; t < trials; t++)
            {
                _prefixes[t] = new double[checkpoints];
            }
        }

        var prefixes = _prefixes;
        var candidateRows = new int[trials];
        var potentials = new double[trials];
        seeds[0] = WeightedChoice(_weights, n, random);
        candidateRows[0] = seeds[0];
        SeedPass(-1, candidateRows.AsSpan(0, 1), potentials, cancellationToken);
        (_closestPrefix, prefixes[0]) = (prefixes[0], _closestPrefix);
        double potential = potentials[0];
        int pending = seeds[0];
        for (int c = 1; c < _k; c++)
        {
            for (int t = 0; t < trials; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                candidateRows[t] = SampleProportional(pending, potential * random.NextDouble());
            }

            SeedPass(pending, candidateRows, potentials, cancellationToken);
            int best = 0;
            for (int t = 1; t < trials; t++)
            {
                if (potentials[t] < potentials[best])
                {
                    best = t;
                }
            }

            seeds[c] = candidateRows[best];
            potential = potentials[best];
            pending = seeds[c];
            (_closestPrefix, prefixes[best]) = (prefixes[best], _closestPrefix);
        }

        return seeds;
    }

    /// <summary>
    /// Lloyd iterations from the given centres (K × D, row-major; not modified). Each iteration is one pass that labels
    /// every row with its nearest centre and accumulates, per chunk, the weighted offsets of its rows from their
    /// centre; the chunks' sums are merged in order and each centre moves by its mean offset. It stops when no label
    /// changed or the squared shift summed over the centres is at most <paramref name="tolerance"/> × the mean column
    /// variance. An empty cluster keeps its centre. The result's labels are <paramref name="labels"/> when given (N
    /// entries, whatever they hold: the first pass writes every label without reading it), so that restarts that use
    /// each result before the next run share one array; otherwise a new array.
    /// </summary>
    public KMeansResult Lloyd(double[] initialCenters, int maxIterations, double tolerance, CancellationToken cancellationToken, int[]? labels = null)
    {
        int k = _k, d = _columns;
        var centers = (double[])initialCenters.Clone();
        var next = new double[k * d];
        var mass = new double[k];
        labels ??= HugePages.NewArray<int>(_data.Rows);
        var moves = new double[2 * k];
        Bounds? bounds = null;
        double absoluteTolerance = tolerance == 0 ? 0 : tolerance * MeanVariance;
        int iteration = 0;
        bool converged = false;
        while (iteration < maxIterations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            iteration++;
            // Bounds from the second pass on (set there, used from the third): runs that converge in two passes, as on
            // well-separated data, pay nothing for them.
            if (iteration == 2)
            {
                // The seeding's distances are not needed any more: their buffer holds the upper bounds (one N-long
                // buffer fewer to allocate and fault in on a fit's first call).
                bounds = new Bounds(_closest ??= HugePages.NewArray<double>(_data.Rows), _lower ??= HugePages.NewArray<double>(_data.Rows), moves);
            }

            bool changed = LabelPass(centers, labels, accumulate: true, bounds is null ? null : bounds with { Use = iteration > 2 }, cancellationToken, labelsUnset: iteration == 1) || iteration == 1;
            Array.Clear(next);
            Array.Clear(mass);
            for (int chunk = 0; chunk < _plan.ChunkCount; chunk++)
            {
                VectorKernels.Add(_chunkSums[chunk], next);
                VectorKernels.Add(_chunkMass[chunk], mass);
            }

            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                moves[c] = 0;
                if (mass[c] == 0)
                {
                    continue; // an empty cluster keeps its centre
                }

                double own = 0;
                for (int j = 0; j < d; j++)
                {
                    double before = centers[(c * d) + j];
                    double step = next[(c * d) + j] / mass[c];
                    centers[(c * d) + j] += step;
                    shift += step * step;
                    double moved = centers[(c * d) + j] - before;
                    own += moved * moved;
                }

                moves[c] = Math.Sqrt(own) * (1 + Bounds.Margin);
            }

            SetLargestOtherMoves(moves, k);

            if (!changed || shift <= absoluteTolerance)
            {
                converged = true;
                break;
            }
        }

        LabelPass(centers, labels, accumulate: false, null, cancellationToken);
        double inertia = 0;
        for (int chunk = 0; chunk < _plan.ChunkCount; chunk++)
        {
            inertia += _chunkInertia[chunk];
        }

        return new KMeansResult(centers, labels, inertia, iteration, converged);
    }

    /// <summary>Labels every row of <paramref name="data"/> with its nearest centre (the first on ties).</summary>
    public static void Assign(DataMatrix data, double[] centers, int k, int[] labels, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        new KMeansAlgorithm(data, null, k, maxDegreeOfParallelism).LabelPass(centers, labels, accumulate: false, null, cancellationToken, labelsUnset: true);
    }

    /// <summary>Row index drawn with probability ∝ weight (uniform when unweighted).</summary>
    public static int WeightedChoice(double[]? weights, int n, Random random)
    {
        if (weights is null)
        {
            return random.Next(n);
        }

        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double target = random.NextDouble() * total, cumulative = 0;
        int last = 0;
        for (int i = 0; i < n; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            cumulative += weights[i];
            if (cumulative > target)
            {
                return i;
            }
        }

        return last;
    }

    /// <summary>
    /// One parallel pass: every row's nearest centre into <paramref name="labels"/>; per chunk, whether a label changed,
    /// Σ w·(nearest squared distance) (when no bounds are used) and, with <paramref name="accumulate"/>, the weighted
    /// offsets Σ w·(x − c) and masses Σ w of the rows of each cluster, over every row in row order. With
    /// <paramref name="bounds"/> (Hamerly 2010) each row keeps an upper bound on the distance to its centre and a lower
    /// bound on the distance to any other; after the centres moved, a row whose bounds still separate needs no
    /// distances at all. Returns whether any label changed. With <paramref name="labelsUnset"/> (a fresh array, all 0),
    /// the labels are written without being read first: on a fresh array a read maps the zero page and the write after
    /// it copies the page and flushes the other threads' TLBs, about 16–20 µs per 4 KB page on a 2-vCPU VM while another
    /// thread of the process runs (W1's 800 KB of labels: about 3 ms), against about 2 µs for a page written first.
    /// </summary>
    private bool LabelPass(double[] centers, int[] labels, bool accumulate, Bounds? bounds, CancellationToken cancellationToken, bool labelsUnset = false)
    {
        int d = _columns, padded = CentreDistances.Padded(_k);
        var transposed = new double[d * padded];
        CentreDistances.Transpose(centers, d, transposed);
        ChunkRunner.ForEach(_plan.ChunkCount, _maxDegreeOfParallelism, cancellationToken, chunk => LabelChunk(chunk, centers, transposed, padded, labels, accumulate, bounds, labelsUnset, cancellationToken));
        return Array.IndexOf(_chunkChanged, true) >= 0;
    }

    /// <summary>The part of <see cref="LabelPass"/> for one chunk (optimised at once: a fit runs it only a few times).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LabelChunk(int chunk, double[] centers, double[] transposed, int padded, int[] labels, bool accumulate, Bounds? bounds, bool labelsUnset, CancellationToken cancellationToken)
    {
        int k = _k, d = _columns;
        var (start, end) = _plan.Chunk(chunk);
        double[]? sums = null, mass = null;
        if (accumulate)
        {
            sums = _chunkSums[chunk] ??= new double[k * d];
            mass = _chunkMass[chunk] ??= new double[k];
            Array.Clear(sums);
            Array.Clear(mass);
        }

        var scratch = ScratchBuffer.Get(ref t_distances, (_plan.BlockRows + 1) * padded);
        var distances = scratch[..(_plan.BlockRows * padded)];
        var single = scratch.Slice(_plan.BlockRows * padded, padded);
        bool useBounds = bounds is { Use: true };
        Debug.Assert(!useBounds || accumulate, "Bounds are kept only by Lloyd's accumulating passes.");
        bool changed = false;
        double inertia = 0;
        for (int blockStart = start, block = 0; blockStart < end; blockStart += _plan.BlockRows, block++)
        {
            if (block % BlocksPerCancellationCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int count = Math.Min(_plan.BlockRows, end - blockStart);
            var rows = _data.RowBlock(blockStart, count);

            // With bounds, the whole block's distances are computed only when many of its rows need them; the other
            // blocks go row by row (bounds are used only by Lloyd's accumulating passes).
            if (useBounds && bounds!.Loosen(labels, blockStart, count) * 4 < count)
            {
                BoundedBlock(rows, blockStart, d, labels, bounds, centers, transposed, padded, single, sums!, mass!, ref changed, ref inertia);
                continue;
            }

            CentreDistances.Compute(rows, d, transposed, padded, distances);
            for (int r = 0; r < count; r++)
            {
                int i = blockStart + r;
                int previous = labelsUnset ? 0 : labels[i];
                var rowDistances = distances.Slice(r * padded, padded);
                int best = CentreDistances.Nearest(rowDistances, k);
                bounds?.Tighten(i, rowDistances, k, best);
                inertia += (_weights is null ? 1.0 : _weights[i]) * rowDistances[best];
                changed |= previous != best;
                labels[i] = best;
                double w = _weights is null ? 1.0 : _weights[i];
                if (accumulate && w != 0)
                {
                    mass![best] += w;
                    AddScaledOffset(w, rows.Slice(r * d, d), centers.AsSpan(best * d, d), sums.AsSpan(best * d, d));
                }
            }
        }

        _chunkChanged[chunk] = changed;
        _chunkInertia[chunk] = inertia;
    }

    /// <summary>
    /// The rows of one block of a Lloyd pass whose bounds are in use and mostly still separate (the usual block of a
    /// long run): the loop of <see cref="LabelChunk"/> for that case alone, with the same operations in the same order
    /// per row (distances, label, bounds and inertia for a row whose bounds no longer separate; then its weighted
    /// offset and mass added to its cluster's sums), in a method of its own whose few live values stay in registers.
    /// A row whose bounds hold keeps its label, which is not written again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BoundedBlock(ReadOnlySpan<double> rows, int blockStart, int d, int[] labels, Bounds bounds, double[] centers, double[] transposed, int padded, Span<double> single, double[] sums, double[] mass, ref bool changed, ref double inertia)
    {
        int k = _k, count = rows.Length / d;
        var weights = _weights;
        var upper = bounds.Upper.AsSpan(blockStart, count);
        var lower = bounds.Lower.AsSpan(blockStart, count);
        var blockLabels = labels.AsSpan(blockStart, count);
        bool anyChanged = changed;
        double sum = inertia;
        for (int r = 0; r < count; r++)
        {
            int best = blockLabels[r];
            var x = rows.Slice(r * d, d);
            if (!(upper[r] < lower[r]))
            {
                int i = blockStart + r, previous = best;
                CentreDistances.Compute(x, d, transposed, padded, single);
                best = CentreDistances.Nearest(single, k);
                bounds.Tighten(i, single, k, best);
                sum += (weights is null ? 1.0 : weights[i]) * single[best];
                anyChanged |= previous != best;
                blockLabels[r] = best;
            }

            if (weights is null)
            {
                mass[best] += 1.0;
                AddOffset(x, centers.AsSpan(best * d, d), sums.AsSpan(best * d, d));
            }
            else if (weights[blockStart + r] is double w && w != 0)
            {
                mass[best] += w;
                AddScaledOffset(w, x, centers.AsSpan(best * d, d), sums.AsSpan(best * d, d));
            }
        }

        changed = anyChanged;
        inertia = sum;
    }

    /// <summary>
    /// destination[j] += x[j] − centre[j], element by element: <see cref="AddScaledOffset"/> with w = 1, whose product
    /// 1·(x[j] − centre[j]) is the offset's own bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddOffset(ReadOnlySpan<double> x, ReadOnlySpan<double> centre, Span<double> destination)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && destination.Length >= 4)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double cr = ref MemoryMarshal.GetReference(centre);
            ref double dr = ref MemoryMarshal.GetReference(destination);
            for (; j + 4 <= destination.Length; j += 4)
            {
                var offset = Vector256.LoadUnsafe(ref xr, (nuint)j) - Vector256.LoadUnsafe(ref cr, (nuint)j);
                (Vector256.LoadUnsafe(ref dr, (nuint)j) + offset).StoreUnsafe(ref dr, (nuint)j);
            }
        }

        for (; j < destination.Length; j++)
        {
            destination[j] += x[j] - centre[j];
        }
    }

    /// <summary>moves[K + a] = the largest move of any centre other than a (from moves[0..K)).</summary>
    private static void SetLargestOtherMoves(double[] moves, int k)
    {
        int largest = 0;
        for (int c = 1; c < k; c++)
        {
            if (moves[c] > moves[largest])
            {
                largest = c;
            }
        }

        double second = 0;
        for (int c = 0; c < k; c++)
        {
            if (c != largest)
            {
                second = Math.Max(second, moves[c]);
            }
        }

        for (int c = 0; c < k; c++)
        {
            moves[k + c] = c == largest ? second : moves[largest];
        }
    }

    /// <summary>
    /// One k-means++ step as one parallel pass over fixed seeding chunks taken in row order: per row, with
    /// e = min(closest[i], ‖xᵢ − x_pending‖²) (the distance to the centres chosen so far; +∞ in the first pass, which has
    /// no pending centre and sets closest to +∞), closest[i] ← e and, for every trial t, the trial's distance
    /// min(e, ‖xᵢ − x_rows[t]‖²). The potentials Σᵢ wᵢ·(trial distance) are summed in row order across the chunks: a
    /// chunk's distances are computed in parallel, and its sums are continued from the chunk before it once that one's
    /// are done, so the additions are those of one sequential loop whatever the thread count. The running sums after
    /// every <see cref="PrefixStride"/> rows go to the trials' prefix arrays for the next step's draws.
    /// </summary>
    private void SeedPass(int pending, ReadOnlySpan<int> rows, double[] potentials, CancellationToken cancellationToken)
    {
        int d = _columns, trials = rows.Length, offset = pending >= 0 ? 1 : 0;
        int padded = CentreDistances.Padded(offset + ((trials + 3) & ~3)); // whole groups of four trial lanes
        var centres = new double[padded * d]; // the padding centres are 0, and Transpose lays out all P of them
        if (pending >= 0)
        {
            _data.Row(pending).CopyTo(centres.AsSpan(0, d));
        }

        for (int t = 0; t < trials; t++)
        {
            _data.Row(rows[t]).CopyTo(centres.AsSpan((t + offset) * d, d));
        }

        var transposed = new double[d * padded];
        CentreDistances.Transpose(centres, d, transposed);
        var state = new SeedPassState(pending >= 0, trials, offset, padded, transposed, cancellationToken);
        int chunkRows = _plan.BlockRows * SeedChunkBlocks;
        state.ChunkCount = (_data.Rows + chunkRows - 1) / chunkRows;
        int workers = Math.Min(state.ChunkCount, _maxDegreeOfParallelism > 0 ? _maxDegreeOfParallelism : Environment.ProcessorCount);
        ChunkRunner.ForEach(workers, _maxDegreeOfParallelism, cancellationToken, _ => SeedWorker(state, chunkRows));
        state.Sums.AsSpan(0, trials).CopyTo(potentials);
    }

    /// <summary>One worker of <see cref="SeedPass"/>: takes chunks in increasing order until none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SeedWorker(SeedPassState state, int chunkRows)
    {
        var buffer = ScratchBuffer.Get(ref t_seedDistances, chunkRows * state.Padded);
        try
        {
            while (true)
            {
                int chunk = Interlocked.Increment(ref state.Next) - 1;
                if (chunk >= state.ChunkCount)
                {
                    return;
                }

                state.CancellationToken.ThrowIfCancellationRequested();
                int start = chunk * chunkRows, end = Math.Min(_data.Rows, start + chunkRows);
                for (int blockStart = start; blockStart < end; blockStart += _plan.BlockRows)
                {
                    int count = Math.Min(_plan.BlockRows, end - blockStart);
                    CentreDistances.Compute(_data.RowBlock(blockStart, count), _columns, state.Transposed, state.Padded, buffer[((blockStart - start) * state.Padded)..]);
                }

                // Wait for the chunk before to finish its sums (it was taken earlier, by a worker that is running).
                var spinner = default(SpinWait);
                while (Volatile.Read(ref state.Summed) < chunk)
                {
                    if (state.Abandoned)
                    {
                        return;
                    }

                    state.CancellationToken.ThrowIfCancellationRequested();
                    spinner.SpinOnce(sleep1Threshold: -1);
                }

                FoldAndSum(state, buffer, start, end);
                Volatile.Write(ref state.Summed, chunk + 1);
            }
        }
        catch
        {
            state.Abandoned = true;
            throw;
        }
    }

    /// <summary>
    /// The sequential part of <see cref="SeedPass"/> for rows [start, end) of one chunk, whose lane distances are in
    /// <paramref name="buffer"/> (row-major, <see cref="SeedPassState.Padded"/> lanes): folds the pending centre into
    /// closest and continues the trials' running sums, four trials in the lanes of one vector (each lane's sum in row
    /// order, as four scalar sums would be). Branch-free minima: the comparisons are unpredictable.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FoldAndSum(SeedPassState state, Span<double> buffer, int start, int end)
    {
        int p = state.Padded, offset = state.Offset, trials = state.Trials, n = _data.Rows;
        var closest = _closest!;
        var w = _weights;
        var prefixes = _prefixes!;
        var sums = state.Sums;
        ref double lanes0 = ref MemoryMarshal.GetReference(buffer);
        for (int t = 0; t < trials; t += 4)
        {
            bool fold = t == 0;
            var s = Vector256.LoadUnsafe(ref sums[0], (nuint)t);
            for (int i = start; i < end;)
            {
                int segmentEnd = Math.Min(end, ((i / PrefixStride) + 1) * PrefixStride);
                for (; i < segmentEnd; i++)
                {
                    ref double lanes = ref Unsafe.Add(ref lanes0, (i - start) * p);
                    Vector128<double> e;
                    if (!fold)
                    {
                        e = Vector128.CreateScalarUnsafe(closest[i]);
                    }
                    else if (state.HasPending)
                    {
                        // a < b ? a : b as a compare and a blend (net8.0 has no MinNative); distances are never NaN.
                        var distance = Vector128.CreateScalarUnsafe(lanes);
                        var previous = Vector128.CreateScalarUnsafe(closest[i]);
                        e = Vector128.ConditionalSelect(Vector128.LessThan(distance, previous), distance, previous);
                        closest[i] = e.ToScalar();
                    }
                    else
                    {
                        // The first pass writes closest without reading it: a fresh buffer's pages are then faulted in
                        // by the write alone (see LabelPass on reading fresh memory first).
                        e = Vector128.CreateScalarUnsafe(double.PositiveInfinity);
                        closest[i] = double.PositiveInfinity;
                    }

                    var trial = Vector256.LoadUnsafe(ref lanes, (nuint)(offset + t));
                    var current = Vector256.Create(e.ToScalar());
                    var distances = Vector256.ConditionalSelect(Vector256.LessThan(trial, current), trial, current);
                    s += w is null ? distances : Vector256.Create(w[i]) * distances;
                }

                if (segmentEnd % PrefixStride == 0 || segmentEnd == n)
                {
                    int checkpoint = (segmentEnd - 1) / PrefixStride;
                    for (int l = 0; l < 4 && t + l < trials; l++)
                    {
                        prefixes[t + l][checkpoint] = s.GetElement(l);
                    }
                }
            }

            s.StoreUnsafe(ref sums[0], (nuint)t);
        }
    }

    /// <summary>The shared state of one <see cref="SeedPass"/>.</summary>
    private sealed class SeedPassState(bool hasPending, int trials, int offset, int padded, double[] transposed, CancellationToken cancellationToken)
    {
        public readonly bool HasPending = hasPending;
        public readonly int Trials = trials;
        public readonly int Offset = offset;
        public readonly int Padded = padded;
        public readonly double[] Transposed = transposed;
        public readonly CancellationToken CancellationToken = cancellationToken;
        /// <summary>The trials' running sums, with room for the lanes of a last group of four.</summary>
        public readonly double[] Sums = new double[(trials + 3) & ~3];
        public int ChunkCount;
        public int Next;
        public int Summed;
        public volatile bool Abandoned;
    }

    /// <summary>destination[j] += w·(x[j] − centre[j]), element by element (vectorised over j, the same bits as the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScaledOffset(double w, ReadOnlySpan<double> x, ReadOnlySpan<double> centre, Span<double> destination)
    {
        int j = 0;
        if (Vector256.IsHardwareAccelerated && destination.Length >= 4)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double cr = ref MemoryMarshal.GetReference(centre);
            ref double dr = ref MemoryMarshal.GetReference(destination);
            var scale = Vector256.Create(w);
            for (; j + 4 <= destination.Length; j += 4)
            {
                var offset = Vector256.LoadUnsafe(ref xr, (nuint)j) - Vector256.LoadUnsafe(ref cr, (nuint)j);
                (Vector256.LoadUnsafe(ref dr, (nuint)j) + (scale * offset)).StoreUnsafe(ref dr, (nuint)j);
            }
        }

        for (; j < destination.Length; j++)
        {
            destination[j] += w * (x[j] - centre[j]);
        }
    }

    /// <summary>
    /// First index whose cumulative w·D(x)² reaches the target (the inverse CDF); the last positive one on rounding. D(x)²
    /// = min(closest[i], ‖xᵢ − x_pending‖²), the distances after the last step, whose running sums are in the kept
    /// prefix array: the sums are non-decreasing, so the scan starts at the last checkpoint below the target, with that
    /// sum, and from there makes the additions of the full scan.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SampleProportional(int pending, double target)
    {
        var prefix = _closestPrefix!;
        int low = 0, high = prefix.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (prefix[middle] >= target)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        var values = _data.RowBlock(0, _data.Rows); // one look at the data per draw
        var pendingRow = values.Slice(pending * _columns, _columns);
        double cumulative = low == 0 || low == prefix.Length ? 0 : prefix[low - 1];
        int n = _data.Rows;
        for (int i = low == prefix.Length ? 0 : low * PrefixStride; i < n; i++)
        {
            double mass = Mass(values, i, pendingRow);
            if (mass <= 0)
            {
                continue;
            }

            cumulative += mass;
            if (cumulative >= target)
            {
                return i;
            }
        }

        for (int i = n - 1; i > 0; i--)
        {
            if (Mass(values, i, pendingRow) > 0)
            {
                return i;
            }
        }

        return 0;
    }

    /// <summary>wᵢ·min(closest[i], ‖xᵢ − pending‖²), the squared distance summed in column order as <see cref="CentreDistances"/> sums it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Mass(ReadOnlySpan<double> values, int i, ReadOnlySpan<double> pending)
    {
        var row = values.Slice(i * _columns, _columns);
        double distance = 0;
        for (int j = 0; j < row.Length; j++)
        {
            double difference = row[j] - pending[j];
            distance += difference * difference;
        }

        double closest = _closest![i];
        return (_weights is null ? 1.0 : _weights[i]) * (distance < closest ? distance : closest);
    }
}
