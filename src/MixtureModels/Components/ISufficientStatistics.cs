namespace MixtureModels.Components;

/// <summary>
/// Weighted sufficient statistics of one component: the M-step's input. Accumulate blocks of rows with one weight per
/// row (responsibility × sample weight) and hand them to the family to estimate components. This is the part of the
/// contract that does not depend on the concrete statistics type; <see cref="ISufficientStatistics{TSelf}"/> adds the
/// typed merge.
/// </summary>
public interface ISufficientStatistics
{
    /// <summary>Dimension D of the rows.</summary>
    int Dimension { get; }

    /// <summary>Σ of the weights accumulated so far.</summary>
    double TotalWeight { get; }

    /// <summary>Adds a block of rows, each with its weight. Rows with weight 0 contribute nothing.</summary>
    /// <param name="rows">weights.Length rows of D values each, row-major, none missing.</param>
    /// <param name="weights">One non-negative weight per row.</param>
    void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);

    /// <summary>Resets to the empty state (no rows, zero weight), keeping the reference point.</summary>
    void Clear();

    /// <summary>
    /// About how many bytes the accumulator holds. The engine keeps one accumulator per component for each of a fixed
    /// number of chunks of rows, and lowers that number when K × this size would exceed its memory budget (the chunk
    /// count depends only on the data's shape and this size, never on the thread count, so results stay the same for
    /// any thread count). The default, 16·D + 64, suits statistics of O(D) values; override it when yours hold more
    /// (a D × D scatter, say).
    /// </summary>
    long SizeInBytes => (16L * Dimension) + 64;
}
