namespace MixtureModels.Selection;

/// <summary>
/// The log-likelihood ratio of two models on held-out rows (see <see cref="MixtureComparison.LogLikelihoodRatio"/>):
/// dₙ = log p(xₙ) − log q(xₙ), positive when p fits the rows better.
/// </summary>
/// <param name="MeanPerRow">The (sample-weighted) mean of dₙ: the difference of the two models' mean log-likelihoods.</param>
/// <param name="StandardError">
/// The standard error of <paramref name="MeanPerRow"/> over rows, √(m/(m−1)·Σ wₙ²(dₙ − d̄)²) / Σ wₙ with m the rows of
/// positive weight (for unweighted rows: the sample standard deviation of dₙ / √N). It treats rows as independent draws.
/// </param>
/// <param name="Total">Σ wₙ·dₙ, the log of the likelihood ratio of the whole held-out set.</param>
/// <param name="RowCount">The rows with a positive weight, m.</param>
public sealed record LogLikelihoodRatioEstimate(double MeanPerRow, double StandardError, double Total, int RowCount)
{
    /// <summary>MeanPerRow / StandardError (Vuong's statistic for non-nested models when the rows are independent); NaN when the error is 0.</summary>
    public double ZScore => StandardError > 0 ? MeanPerRow / StandardError : double.NaN;
}
