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


    [ThreadStatic]
    private static double[]? t_distances;

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
    private double[]? _upper;
    private double[]? _lower;
    private double[][]? _candidates;
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

    /// <summary>One k-means++ seeding followed by Lloyd iterations.</summary>
    public KMeansResult Run(Random random, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        var seeds = PlusPlusSeeds(random, cancellationToken);
        var centers = new double[_k * _columns];
        for (int c = 0; c < _k; c++)
        {
            _data.Row(seeds[c]).CopyTo(centers.AsSpan(c * _columns, _columns));
        }

        return Lloyd(centers, maxIterations, tolerance, cancellationToken);
    }

    /// <summary>
    /// Greedy k-means++ (Arthur and Vassilvitskii 2007, with 2 + ⌊ln K⌋ local trials per centre as in scikit-learn):
    /// each new centre is drawn with probability ∝ w·D(x)², keeping the candidate that lowers the potential most. The
    /// trials of one step are drawn first (they depend only on the current distances) and then evaluated together in
    /// one parallel pass. Returns the chosen row indices. The token is checked before any work, before every step and
    /// between blocks of rows.
    /// </summary>
    public int[] PlusPlusSeeds(Random random, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int n = _data.Rows;
        int trials = 2 + (int)Math.Log(_k);
        int checkpoints = (n + PrefixStride - 1) / PrefixStride;
        var seeds = new int[_k];
        _closest ??= new double[n];
        _closestPrefix ??= new double[checkpoints];
        if (_candidates is null)
        {
            _candidates = new double[trials][];
            _prefixes = new double[trials][];
            for (int t = 0; t < trials; t++)
            {
                _candidates[t] = new double[n];
                _prefixes[t] = new double[checkpoints];
            }
        }

        var candidates = _candidates;
        var prefixes = _prefixes!;
        var candidateRows = new int[trials];
        var potentials = new double[trials];
        seeds[0] = WeightedChoice(_weights, n, random);
        candidateRows[0] = seeds[0];
        DistancesToRows(candidateRows.AsSpan(0, 1), null, candidates, cancellationToken);
        Potentials(candidates, prefixes, 1, potentials);
        Keep(0);
        double potential = potentials[0];
        for (int c = 1; c < _k; c++)
        {
            for (int t = 0; t < trials; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                candidateRows[t] = SampleProportional(_closest, _closestPrefix, _weights, potential * random.NextDouble());
            }

            DistancesToRows(candidateRows, _closest, candidates, cancellationToken);
            Potentials(candidates, prefixes, trials, potentials);
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
            Keep(best);
        }

        return seeds;

        // The kept trial's distances and running sums become the current ones (the buffers are swapped, not copied).
        void Keep(int trial)
        {
            (_closest, candidates[trial]) = (candidates[trial], _closest);
            (_closestPrefix, prefixes[trial]) = (prefixes[trial], _closestPrefix);
        }
    }

    /// <summary>
    /// Lloyd iterations from the given centres (K × D, row-major; not modified). Each iteration is one pass that labels
    /// every row with its nearest centre and accumulates, per chunk, the weighted offsets of its rows from their
    /// centre; the chunks' sums are merged in order and each centre moves by its mean offset. It stops when no label
    /// changed or the squared shift summed over the centres is at most <paramref name="tolerance"/> × the mean column
    /// variance. An empty cluster keeps its centre.
    /// </summary>
    public KMeansResult Lloyd(double[] initialCenters, int maxIterations, double tolerance, CancellationToken cancellationToken)
    {
        int k = _k, d = _columns;
        var centers = (double[])initialCenters.Clone();
        var next = new double[k * d];
        var mass = new double[k];
        var labels = new int[_data.Rows];
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
                bounds = new Bounds(_upper ??= new double[_data.Rows], _lower ??= new double[_data.Rows], moves);
            }

            bool changed = LabelPass(centers, labels, accumulate: true, bounds is null ? null : bounds with { Use = iteration > 2 }, cancellationToken) || iteration == 1;
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
        new KMeansAlgorithm(data, null, k, maxDegreeOfParallelism).LabelPass(centers, labels, accumulate: false, null, cancellationToken);
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
    /// distances at all. Returns whether any label changed.
    /// </summary>
    private bool LabelPass(double[] centers, int[] labels, bool accumulate, Bounds? bounds, CancellationToken cancellationToken)
    {
        int d = _columns, padded = CentreDistances.Padded(_k);
        var transposed = new double[d * padded];
        CentreDistances.Transpose(centers, d, transposed);
        ChunkRunner.ForEach(_plan.ChunkCount, _maxDegreeOfParallelism, cancellationToken, chunk => LabelChunk(chunk, centers, transposed, padded, labels, accumulate, bounds, cancellationToken));
        return Array.IndexOf(_chunkChanged, true) >= 0;
    }

    /// <summary>The part of <see cref="LabelPass"/> for one chunk (optimised at once: a fit runs it only a few times).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LabelChunk(int chunk, double[] centers, double[] transposed, int padded, int[] labels, bool accumulate, Bounds? bounds, CancellationToken cancellationToken)
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

            // With bounds, the whole block's distances are computed only when many of its rows need them.
            bool wholeBlock = !useBounds || bounds!.Loosen(labels, blockStart, count) * 4 >= count;
            if (wholeBlock)
            {
                CentreDistances.Compute(rows, d, transposed, padded, distances);
            }

            for (int r = 0; r < count; r++)
            {
                int i = blockStart + r;
                int best = labels[i];
                if (wholeBlock || !bounds!.Separated(i))
                {
                    Span<double> rowDistances;
                    if (wholeBlock)
                    {
                        rowDistances = distances.Slice(r * padded, padded);
                    }
                    else
                    {
                        CentreDistances.Compute(rows.Slice(r * d, d), d, transposed, padded, single);
                        rowDistances = single;
                    }

                    best = CentreDistances.Nearest(rowDistances, k);
                    bounds?.Tighten(i, rowDistances, k, best);
                    inertia += (_weights is null ? 1.0 : _weights[i]) * rowDistances[best];
                }

                changed |= labels[i] != best;
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
    /// destinations[t][i] = ‖xᵢ − x_rows[t]‖², or its minimum with closest[i] when <paramref name="closest"/> is given, for
    /// every row i, in one parallel pass.
    /// </summary>
    private void DistancesToRows(ReadOnlySpan<int> rows, double[]? closest, double[][] destinations, CancellationToken cancellationToken)
    {
        int d = _columns, count = rows.Length, padded = CentreDistances.Padded(count);
        var centres = new double[count * d];
        for (int t = 0; t < count; t++)
        {
            _data.Row(rows[t]).CopyTo(centres.AsSpan(t * d, d));
        }

        var transposed = new double[d * padded];
        CentreDistances.Transpose(centres, d, transposed);
        ChunkRunner.ForEach(_plan.ChunkCount, _maxDegreeOfParallelism, cancellationToken, chunk => DistanceChunk(chunk, count, transposed, padded, closest, destinations, cancellationToken));
    }

    /// <summary>The part of <see cref="DistancesToRows"/> for one chunk (optimised at once).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DistanceChunk(int chunk, int count, double[] transposed, int padded, double[]? closest, double[][] destinations, CancellationToken cancellationToken)
    {
        int d = _columns;
        var (start, end) = _plan.Chunk(chunk);
        var distances = ScratchBuffer.Get(ref t_distances, _plan.BlockRows * padded);
        for (int blockStart = start, block = 0; blockStart < end; blockStart += _plan.BlockRows, block++)
        {
            if (block % BlocksPerCancellationCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int blockCount = Math.Min(_plan.BlockRows, end - blockStart);
            CentreDistances.Compute(_data.RowBlock(blockStart, blockCount), d, transposed, padded, distances);
            for (int t = 0; t < count; t++)
            {
                var destination = destinations[t].AsSpan(blockStart, blockCount);
                if (closest is null)
                {
                    for (int r = 0; r < blockCount; r++)
                    {
                        destination[r] = distances[(r * padded) + t];
                    }
                }
                else
                {
                    // min(closest, distance): distances are never NaN, so the comparison gives Math.Min's value.
                    var previous = closest.AsSpan(blockStart, blockCount);
                    for (int r = 0; r < blockCount; r++)
                    {
                        double distance = distances[(r * padded) + t];
                        destination[r] = distance < previous[r] ? distance : previous[r];
                    }
                }
            }
        }
    }

    /// <summary>
    /// potentials[t] = Σᵢ wᵢ·distances[t][i] for t &lt; count, each summed in row order (four sums interleaved), and
    /// prefixes[t][b] = the running sum after the first (b + 1)·<see cref="PrefixStride"/> rows (after all rows for the
    /// last b): the inverse-CDF scan over the same values adds the same terms in the same order, so it meets these sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Potentials(double[][] distances, double[][] prefixes, int count, double[] potentials)
    {
        int n = _data.Rows;
        for (int t = 0; t < count; t += 4)
        {
            int t1 = Math.Min(t + 1, count - 1), t2 = Math.Min(t + 2, count - 1), t3 = Math.Min(t + 3, count - 1);
            var a = distances[t];
            var b = distances[t1];
            var c = distances[t2];
            var e = distances[t3];
            var pa = prefixes[t];
            var pb = prefixes[t1];
            var pc = prefixes[t2];
            var pe = prefixes[t3];
            double sa = 0, sb = 0, sc = 0, se = 0;
            var w = _weights;
            for (int start = 0, checkpoint = 0; start < n; start += PrefixStride, checkpoint++)
            {
                int end = Math.Min(start + PrefixStride, n);
                if (w is null)
                {
                    for (int i = start; i < end; i++)
                    {
                        sa += a[i];
                        sb += b[i];
                        sc += c[i];
                        se += e[i];
                    }
                }
                else
                {
                    for (int i = start; i < end; i++)
                    {
                        sa += w[i] * a[i];
                        sb += w[i] * b[i];
                        sc += w[i] * c[i];
                        se += w[i] * e[i];
                    }
                }

                // A trial repeated to fill the last group of four has the same sums in both places.
                pe[checkpoint] = se;
                pc[checkpoint] = sc;
                pb[checkpoint] = sb;
                pa[checkpoint] = sa;
            }

            potentials[t] = sa;
            if (t + 1 < count)
            {
                potentials[t + 1] = sb;
            }

            if (t + 2 < count)
            {
                potentials[t + 2] = sc;
            }

            if (t + 3 < count)
            {
                potentials[t + 3] = se;
            }
        }
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
    /// First index whose cumulative w·distance reaches the target (the inverse CDF); the last positive one on rounding.
    /// The scan starts at the last checkpoint of <paramref name="prefix"/> (running sums of the same terms in the same
    /// order, from <see cref="Potentials"/>) below the target, with that sum: the running sums are non-decreasing, so
    /// the rows before it cannot reach the target, and from there the additions are the full scan's.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SampleProportional(double[] distances, double[] prefix, double[]? weights, double target)
    {
        // The first checkpoint whose running sum reaches the target; the scan starts after the one before it.
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

        if (low == prefix.Length)
        {
            return SampleProportional(distances, weights, target, 0, 0); // never reached: the full scan's fallback
        }

        return SampleProportional(distances, weights, target, low * PrefixStride, low == 0 ? 0 : prefix[low - 1]);
    }

    /// <summary>
    /// First index from <paramref name="start"/> whose cumulative w·distance, starting at <paramref name="cumulative"/>,
    /// reaches the target; the last positive one on rounding (from row 0 then, as the full scan returns it).
    /// </summary>
    private static int SampleProportional(double[] distances, double[]? weights, double target, int start, double cumulative)
    {
        for (int i = start; i < distances.Length; i++)
        {
            double mass = (weights is null ? 1.0 : weights[i]) * distances[i];
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

        for (int i = distances.Length - 1; i > 0; i--)
        {
            if ((weights is null ? 1.0 : weights[i]) * distances[i] > 0)
            {
                return i;
            }
        }

        return 0;
    }
}
