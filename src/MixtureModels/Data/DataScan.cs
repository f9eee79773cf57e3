using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MixtureModels;

/// <summary>
/// The checks' read of a data matrix's values, in fixed row chunks on the thread pool: the index of the first
/// non-finite entry in row order and, optionally, each column's smallest and largest observed (non-NaN) value.
/// </summary>
/// <remarks>
/// Neither result depends on the thread count: the first bad entry is the smallest index any chunk found (a chunk is
/// searched in row order, and chunks after a known bad entry are skipped, never the chunk holding the first one); the
/// minimum and maximum are IEEE 754 minimum/maximum (−0 below +0, NaN left out beforehand), which do not depend on the
/// order in which the workers' partial results are merged. The kernels are compiled fully optimised at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): a fit's first call must not scan the data in tier-0 code.
/// </remarks>
internal static class DataScan
{
    /// <summary>Values per chunk (256 KB): many chunks per worker to balance a loaded machine, few enough to be noise.</summary>
    internal const int ChunkValues = 1 << 15;

    /// <summary>Below this many values the scan runs on the calling thread.</summary>
    internal const int ParallelValues = 1 << 16;

    /// <summary>The index (into the values, row-major) of the first NaN or ±∞, or −1 when every entry is finite.</summary>
    /// <param name="values">N·D values, row after row.</param>
    /// <param name="columns">D.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or −1 for all cores.</param>
    public static long FirstNonFinite(ReadOnlyMemory<double> values, int columns, int maxDegreeOfParallelism) =>
        Scan(values, columns, default, default, maxDegreeOfParallelism, checkFinite: true, range: false);

    /// <summary>
    /// The first NaN or ±∞ (as <see cref="FirstNonFinite(ReadOnlyMemory{double}, int, int)"/>, when <paramref name="checkFinite"/>; otherwise −1) and each
    /// column's smallest and largest non-NaN value (+∞ and −∞ for a column with none).
    /// </summary>
    /// <param name="values">N·D values, row after row.</param>
    /// <param name="columns">D.</param>
    /// <param name="min">D values: the smallest non-NaN entry of each column (filled here).</param>
    /// <param name="max">D values: the largest non-NaN entry of each column (filled here).</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or −1 for all cores.</param>
    /// <param name="checkFinite">Whether to look for NaN and ±∞ too.</param>
    /// <returns>The index of the first non-finite entry, or −1 (always −1 without <paramref name="checkFinite"/>). When it
    /// is not −1, <paramref name="min"/> and <paramref name="max"/> may be incomplete.</returns>
    public static long FirstNonFiniteAndRange(ReadOnlyMemory<double> values, int columns, Span<double> min, Span<double> max, int maxDegreeOfParallelism, bool checkFinite) =>
        Scan(values, columns, min, max, maxDegreeOfParallelism, checkFinite, range: true);

    private static long Scan(ReadOnlyMemory<double> values, int columns, Span<double> min, Span<double> max, int maxDegreeOfParallelism, bool checkFinite, bool range)
    {
        if (range)
        {
            min.Fill(double.PositiveInfinity);
            max.Fill(double.NegativeInfinity);
        }

        int rows = values.Length / columns;
        int rowsPerChunk = Math.Max(1, ChunkValues / columns);
        int chunkCount = (int)(((long)rows + rowsPerChunk - 1) / rowsPerChunk);
        int workers = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        if (workers <= 1 || chunkCount <= 1 || values.Length < ParallelValues)
        {
            var span = values.Span;
            bool bad = ScanChunk(span, columns, min, max, checkFinite, range);
            return bad ? FirstNonFinite(span) : -1;
        }

        var state = new ParallelScan(values, columns, rowsPerChunk, chunkCount, checkFinite, range);
        workers = Math.Min(workers, chunkCount);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => state.Work());
        if (range)
        {
            state.Min.CopyTo(min);
            state.Max.CopyTo(max);
        }

        long first = Volatile.Read(ref state.FirstBad);
        return first == long.MaxValue ? -1 : first;
    }

    /// <summary>Min/max of the chunk's rows folded into <paramref name="min"/>/<paramref name="max"/>; whether it holds a non-finite entry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ScanChunk(ReadOnlySpan<double> chunk, int columns, Span<double> min, Span<double> max, bool checkFinite, bool range)
    {
        if (!range)
        {
            return FirstNonFinite(chunk) >= 0;
        }

        int rows = chunk.Length / columns;
        int vectorColumns = Vector256.IsHardwareAccelerated ? columns / 4 * 4 : 0;
        var finite = Vector256<double>.Zero; // x − x: 0 for finite x, NaN for NaN and ±∞; a NaN lane sticks
        bool bad = false;
        var positiveInfinity = Vector256.Create(double.PositiveInfinity);
        var negativeInfinity = Vector256.Create(double.NegativeInfinity);
        for (int i = 0; i < rows; i++)
        {
            var row = chunk.Slice(i * columns, columns);

            // Four columns at a time; a NaN has no value to spread, so NaN lanes are left out of the range.
            for (int j = 0; j < vectorColumns; j += 4)
            {
                var v = Vector256.Create(row.Slice(j, 4));
                finite += v - v;
                var observed = Vector256.Equals(v, v);
                Vector256.Min(Vector256.Create((ReadOnlySpan<double>)min.Slice(j, 4)), Vector256.ConditionalSelect(observed, v, positiveInfinity)).CopyTo(min.Slice(j, 4));
                Vector256.Max(Vector256.Create((ReadOnlySpan<double>)max.Slice(j, 4)), Vector256.ConditionalSelect(observed, v, negativeInfinity)).CopyTo(max.Slice(j, 4));
            }

            for (int j = vectorColumns; j < columns; j++)
            {
                double x = row[j];
                bad |= !double.IsFinite(x);
                if (!double.IsNaN(x))
                {
                    min[j] = Math.Min(min[j], x);
                    max[j] = Math.Max(max[j], x);
                }
            }
        }

        return checkFinite && (bad || !Vector256.EqualsAll(finite, Vector256<double>.Zero));
    }

    /// <summary>The index of the first NaN or ±∞ in <paramref name="values"/>, or −1 (on the calling thread).</summary>
    /// <param name="values">The values to search.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static long FirstNonFinite(ReadOnlySpan<double> values)
    {
        // x − x is 0 for every finite x and NaN for ±∞ and NaN: whole vectors are cleared at once, and only a vector
        // holding a bad value (or the tail) is searched entry by entry for the first one.
        int start = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; start + (4 * Vector256<double>.Count) <= values.Length; start += 4 * Vector256<double>.Count)
            {
                var a = Vector256.Create(values.Slice(start, Vector256<double>.Count));
                var b = Vector256.Create(values.Slice(start + Vector256<double>.Count, Vector256<double>.Count));
                var c = Vector256.Create(values.Slice(start + (2 * Vector256<double>.Count), Vector256<double>.Count));
                var d = Vector256.Create(values.Slice(start + (3 * Vector256<double>.Count), Vector256<double>.Count));
                if (!Vector256.EqualsAll((a - a) + (b - b) + (c - c) + (d - d), Vector256<double>.Zero))
                {
                    break;
                }
            }
        }

        for (int i = start; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The shared state of one parallel scan: chunks handed out in row order, results merged as they come.</summary>
    private sealed class ParallelScan
    {
        private readonly ReadOnlyMemory<double> _values;
        private readonly int _columns;
        private readonly int _rowsPerChunk;
        private readonly int _chunkCount;
        private readonly bool _checkFinite;
        private readonly bool _range;
        private int _nextChunk;

        /// <summary>The smallest index of a non-finite entry found so far, or <see cref="long.MaxValue"/>.</summary>
        public long FirstBad = long.MaxValue;

        public ParallelScan(ReadOnlyMemory<double> values, int columns, int rowsPerChunk, int chunkCount, bool checkFinite, bool range)
        {
            _values = values;
            _columns = columns;
            _rowsPerChunk = rowsPerChunk;
            _chunkCount = chunkCount;
            _checkFinite = checkFinite;
            _range = range;
            Min = range ? new double[columns] : [];
            Max = range ? new double[columns] : [];
            Min.AsSpan().Fill(double.PositiveInfinity);
            Max.AsSpan().Fill(double.NegativeInfinity);
        }

        /// <summary>The merged per-column minima (after every worker returned).</summary>
        public double[] Min { get; }

        /// <summary>The merged per-column maxima (after every worker returned).</summary>
        public double[] Max { get; }

        public void Work()
        {
            var span = _values.Span;
            double[] min = [], max = [];
            if (_range)
            {
                min = new double[_columns];
                max = new double[_columns];
                min.AsSpan().Fill(double.PositiveInfinity);
                max.AsSpan().Fill(double.NegativeInfinity);
            }

            int chunk;
            while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < _chunkCount)
            {
                long start = (long)chunk * _rowsPerChunk * _columns;

                // Chunks are handed out in row order, so once a bad entry is known no later chunk can hold an earlier one.
                if (_checkFinite && start > Volatile.Read(ref FirstBad))
                {
                    break;
                }

                int length = (int)Math.Min((long)_rowsPerChunk * _columns, span.Length - start);
                var values = span.Slice((int)start, length);
                if (ScanChunk(values, _columns, min, max, _checkFinite, _range))
                {
                    AtomicMinimum.Lower(ref FirstBad, start + FirstNonFinite(values));
                }
            }

            if (_range)
            {
                lock (Min)
                {
                    for (int j = 0; j < _columns; j++)
                    {
                        Min[j] = Math.Min(Min[j], min[j]);
                        Max[j] = Math.Max(Max[j], max[j]);
                    }
                }
            }
        }
    }
}
