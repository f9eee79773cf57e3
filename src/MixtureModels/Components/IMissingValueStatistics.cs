namespace MixtureModels.Components;

/// <summary>
/// Optional capability of sufficient statistics: accumulating rows with missing entries (NaN). A family whose
/// statistics and components implement it (<see cref="IMissingValueComponent"/>) can be fitted with
/// <see cref="MissingValueHandling.Marginalize"/>; the engine asks once per fit and refuses missing values with
/// a clear error otherwise.
/// </summary>
public interface IMissingValueStatistics : ISufficientStatistics
{
    /// <summary>
    /// Adds a block of rows that may contain NaN ("not observed"), each with its weight, as the expected sufficient
    /// statistics given the observed entries: for independent columns the observed entries only; for a full or tied
    /// Gaussian the conditional mean and covariance of the missing entries under the component being re-estimated (the
    /// one given to the family's <c>CreateStatistics</c> or <c>ResetStatistics</c>). EM stays exact: its lower bound never
    /// decreases.
    /// </summary>
    /// <param name="rows">weights.Length rows of D values each, row-major; NaN marks a missing entry.</param>
    /// <param name="weights">One non-negative weight per row.</param>
    void AccumulateIncomplete(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights);
}
