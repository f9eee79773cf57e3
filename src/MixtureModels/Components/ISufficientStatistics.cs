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
}
