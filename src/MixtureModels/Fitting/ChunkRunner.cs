namespace MixtureModels.Fitting;

/// <summary>Runs a body once per chunk of a <see cref="BlockPlan"/>, in parallel up to a thread limit; the results never depend on the limit because each chunk owns its outputs.</summary>
/// <remarks>
/// In parallel, worker w owns the contiguous run of chunks [w·C/W, (w+1)·C/W) and takes them in order, one at a time;
/// a worker whose run is done takes single chunks from the front of the others' runs. So a pass's chunks (and the
/// accumulators the first pass allocated for them) stay with the same thread from pass to pass, and the workers finish
/// within about one chunk of each other. <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> over the
/// chunks hands out growing batches: near the end of a pass one worker could hold several chunks while the other had
/// none left to take (W1, 61 chunks: one worker idle for 0.8–1.8 ms of a 5 ms pass).
/// </remarks>
internal static class ChunkRunner
{
    /// <summary>Calls <paramref name="body"/> for every chunk index, in order on one thread or in parallel.</summary>
    /// <param name="chunkCount">Number of chunks.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or -1 for all cores.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <param name="body">The work of one chunk.</param>
    public static void ForEach(int chunkCount, int maxDegreeOfParallelism, CancellationToken cancellationToken, Action<int> body)
    {
        int workers = Math.Min(chunkCount, maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism);
        if (workers <= 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(c);
            }

            return;
        }

        // next[w] is the next chunk of worker w's run, ends[w] the end of that run.
        var next = new int[workers * Padding];
        var ends = new int[workers];
        for (int w = 0; w < workers; w++)
        {
            next[w * Padding] = (int)((long)w * chunkCount / workers);
            ends[w] = (int)((long)(w + 1) * chunkCount / workers);
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, workers, options, w =>
        {
            for (int i = 0; i < workers && !cancellationToken.IsCancellationRequested; i++)
            {
                int run = (w + i) % workers; // its own run first, then the others'
                int c;
                while ((c = Interlocked.Increment(ref next[run * Padding]) - 1) < ends[run] && !cancellationToken.IsCancellationRequested)
                {
                    body(c);
                }
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Ints between two workers' counters (a cache line each), so that taking a chunk does not slow the other worker.</summary>
    private const int Padding = 16;
}
