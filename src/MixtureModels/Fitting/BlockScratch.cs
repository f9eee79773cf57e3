namespace MixtureModels.Fitting;

/// <summary>
/// A thread's scratch for the blocks of an EM pass: the K × B joint log-probabilities of a block (which become its
/// responsibilities) and B values per row (row weights or log-likelihoods). A chunk rents one for its blocks and returns
/// it, so the buffers live as long as the thread and a fit allocates none per chunk: fresh memory costs a page fault per
/// 4 KB on first touch (the chunks' buffers of a W1 fit, about 1.1 MB, took 0.1–5 ms of each fit before).
/// </summary>
/// <remarks>
/// Every block writes the entries it reads (rows [0, count) of each component), so what a buffer held before never
/// reaches a result, whichever chunk the thread ran last. A pass nested on the same thread while one is rented (a
/// component whose statistics fit a mixture of their own) finds no free scratch and rents a new one.
/// </remarks>
internal sealed class BlockScratch
{
    [ThreadStatic]
    private static BlockScratch? t_free;

    private BlockScratch(int logProbLength, int rowLength)
    {
        LogProb = new double[logProbLength];
        RowValues = new double[rowLength];
    }

    /// <summary>K × B joint log-probabilities, then responsibilities, of a block (component k at k·B).</summary>
    public double[] LogProb { get; }

    /// <summary>One value per row of a block.</summary>
    public double[] RowValues { get; }

    /// <summary>This thread's free scratch when it is large enough, otherwise a new one; give it back with <see cref="Return"/>.</summary>
    /// <param name="logProbLength">K × B.</param>
    /// <param name="rowLength">B.</param>
    public static BlockScratch Rent(int logProbLength, int rowLength)
    {
        var scratch = t_free;
        t_free = null;
        if (scratch is null || scratch.LogProb.Length < logProbLength || scratch.RowValues.Length < rowLength)
        {
            scratch = new BlockScratch(Math.Max(logProbLength, scratch?.LogProb.Length ?? 0), Math.Max(rowLength, scratch?.RowValues.Length ?? 0));
        }

        return scratch;
    }

    /// <summary>Makes this scratch the calling thread's free one again (call on the thread that rented it).</summary>
    public void Return() => t_free = this;
}
