namespace MixtureModels.Selection;

/// <summary>
/// Information criteria for model selection: lower is better (−2·log L + penalty, as scikit-learn's <c>bic</c>/<c>aic</c>).
/// mclust's BIC is the negative of ours, 2·log L − p·ln n (higher is better); see <see cref="InformationCriterion"/>.
/// </summary>
public static class InformationCriteria
{
    /// <summary>Bayesian information criterion, −2·log L + p·ln n.</summary>
    /// <param name="totalLogLikelihood">log L, the log-likelihood summed over the (weighted) rows.</param>
    /// <param name="parameterCount">p, the number of free parameters.</param>
    /// <param name="sampleSize">n, the number of (weighted) rows.</param>
    public static double Bayesian(double totalLogLikelihood, int parameterCount, double sampleSize) =>
        (-2.0 * totalLogLikelihood) + (parameterCount * Math.Log(sampleSize));

    /// <summary>Akaike information criterion, −2·log L + 2p.</summary>
    /// <param name="totalLogLikelihood">log L, the log-likelihood summed over the (weighted) rows.</param>
    /// <param name="parameterCount">p, the number of free parameters.</param>
    public static double Akaike(double totalLogLikelihood, int parameterCount) =>
        (-2.0 * totalLogLikelihood) + (2.0 * parameterCount);

    /// <summary>
    /// Integrated completed likelihood (entropy form), −2·log L + p·ln n + 2·E: the BIC plus twice the entropy
    /// E = −Σₙ wₙ Σ_k r_nk ln r_nk of the responsibilities (see <see cref="InformationCriterion.IntegratedCompletedLikelihood"/>).
    /// </summary>
    /// <param name="totalLogLikelihood">log L, the log-likelihood summed over the (weighted) rows.</param>
    /// <param name="parameterCount">p, the number of free parameters.</param>
    /// <param name="sampleSize">n, the number of (weighted) rows.</param>
    /// <param name="totalEntropy">E, the responsibilities' entropy summed over the (weighted) rows, ≥ 0.</param>
    public static double IntegratedCompletedLikelihood(double totalLogLikelihood, int parameterCount, double sampleSize, double totalEntropy) =>
        Bayesian(totalLogLikelihood, parameterCount, sampleSize) + (2.0 * totalEntropy);
}
