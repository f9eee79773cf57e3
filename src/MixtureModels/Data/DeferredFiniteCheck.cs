using System.Runtime.CompilerServices;

namespace MixtureModels;

/// <summary>
/// The finiteness check of a query's data done inside the query's own pass, block by block while the block is in cache,
/// instead of in a read of its own before it: each block records the index of its first NaN or ±∞, the smallest index
/// over all blocks is the first bad entry in row order, and <see cref="Finish"/> throws the exception
/// <see cref="DataMatrix.EnsureFinite"/> would have thrown (the results computed meanwhile are dropped with it).
/// </summary>
/// <remarks>
/// Only for passes whose arithmetic takes any value without throwing (a family's batched kernel), so that a bad entry
/// can only end in this exception. The pass works on <see cref="View"/>, a view private to the call that presents the
/// data as complete (no row with a missing entry), which is what a check that passes proves.
/// </remarks>
internal sealed class DeferredFiniteCheck
{
    private readonly DataMatrix _caller;
    private long _firstBad = long.MaxValue;

    private DeferredFiniteCheck(DataMatrix caller, DataMatrix view)
    {
        _caller = caller;
        View = view;
    }

    /// <summary>The matrix the pass reads.</summary>
    public DataMatrix View { get; }

    /// <summary>
    /// A check for <paramref name="data"/>, or null (with <paramref name="view"/> the call's matrix) when its values are
    /// already known to be finite.
    /// </summary>
    /// <param name="data">The caller's matrix.</param>
    /// <param name="view">The matrix the query must read.</param>
    public static DeferredFiniteCheck? Start(DataMatrix data, out DataMatrix view)
    {
        if (data.IsKnownFinite)
        {
            view = data;
            return null;
        }

        var check = new DeferredFiniteCheck(data, data.ProvisionallyFiniteView());
        view = check.View;
        return check;
    }

    /// <summary>Checks rows [start, start + count); safe to call from many threads for disjoint blocks.</summary>
    /// <param name="start">First row of the block.</param>
    /// <param name="count">Rows in the block.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Block(int start, int count)
    {
        long bad = DataScan.FirstNonFinite(View.RowBlock(start, count));
        if (bad >= 0)
        {
            AtomicMinimum.Lower(ref _firstBad, ((long)start * View.Columns) + bad);
        }
    }

    /// <summary>After the pass: throws for the first bad entry in row order, or remembers (where the caller's matrix can) that every entry is finite.</summary>
    /// <param name="parameterName">The name the message and the exception give the data.</param>
    public void Finish(string parameterName)
    {
        long bad = Volatile.Read(ref _firstBad);
        if (bad != long.MaxValue)
        {
            View.ThrowNotFinite(parameterName, bad);
        }

        _caller.MarkFinite();
    }
}
