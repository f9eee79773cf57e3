namespace MixtureModels.Fitting;

/// <summary>Runs a body once per chunk of a <see cref="BlockPlan"/>, in parallel up to a thread limit; the results never depend on the limit because each chunk owns its outputs.</summary>
internal static class ChunkRunner
{
    /// <summary>Calls <paramref name="body"/> for every chunk index, in order on one thread or in parallel.</summary>
    /// <param name="chunkCount">Number of chunks.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads, or -1 for all cores.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    /// <param name="body">The work of one chunk.</param>
    public static void ForEach(int chunkCount, int maxDegreeOfParallelism, CancellationToken cancellationToken, Action<int> body)
    {
        if (chunkCount == 1 || maxDegreeOfParallelism == 1)
        {
            for (int c = 0; c < chunkCount; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(c);
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, chunkCount, options, body);
    }
}
