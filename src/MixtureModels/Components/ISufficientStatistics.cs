namespace MixtureModels.Components;

/// <summary>
/// Weighted sufficient statistics of one component: the M-step's input. Accumulate blocks of rows with one
/// weight per row (responsibility × sample weight), merge accumulators of the same kind (from other threads,
/// other chunks of a stream, other machines), and hand them to the family to estimate components.
/// </summary>
public interface ISufficientStatistics
{
    /// <summary>Dimension D of the rows.</summary>
    int Dimension { get; }

    /// <summary>Σ of the weights accumulated so far.</summary>
    double TotalWeight { get; }

    /// <summary>Adds a block of rows, each with its weight. Rows with weight 0 contribute nothing.</summary>
    /// <param name="rows">weights.Length rows of D values each, row-major.</param>
    /// <param name="weights">One non-negative weight per row.</param>
    void Accumulate(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);

    /// <summary>
    /// Adds a block of rows that may contain NaN ("not observed"), each with its weight, as the expected sufficient
    /// statistics given the observed entries: for independent columns the observed entries only; for a full or tied
    /// Gaussian the conditional mean and covariance of the missing entries under the component being re-estimated
    /// (the one given to the family's CreateStatistics or ResetStatistics). Used only when missing-value support is on.
    /// </summary>
    /// <param name="rows">weights.Length rows of D values each, row-major; NaN marks a missing entry.</param>
    /// <param name="weights">One non-negative weight per row.</param>
    void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);

    /// <summary>Adds the statistics of <paramref name="other"/>, which must be of the same kind and dimension.</summary>
    /// <param name="other">Statistics to add; left unchanged.</param>
    /// <exception cref="ArgumentException"><paramref name="other"/> is of another kind or dimension.</exception>
    void Merge(ISufficientStatistics other);

    /// <summary>Resets to the empty state (no rows, zero weight), keeping the reference point.</summary>
    void Clear();
}
