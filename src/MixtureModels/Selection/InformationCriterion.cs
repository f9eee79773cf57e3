namespace MixtureModels.Selection;

/// <summary>
/// The criterion a fitted model is scored by. Every criterion here is on the "deviance" scale: lower is better,
/// −2·log L + penalty. mclust reports the same quantities with the opposite sign (2·log L − p·ln n, higher is better):
/// our BIC = −(mclust's BIC), and our ICL = −(mclust's ICL) up to the entropy convention described at
/// <see cref="IntegratedCompletedLikelihood"/>.
/// </summary>
public enum InformationCriterion
{
    /// <summary>Bayesian information criterion, −2·log L + p·ln n (scikit-learn's <c>bic</c>; −1 × mclust's BIC).</summary>
    Bayesian,

    /// <summary>Akaike information criterion, −2·log L + 2p (scikit-learn's <c>aic</c>).</summary>
    Akaike,

    /// <summary>
    /// Integrated completed likelihood in its entropy form (McLachlan and Peel's ICL-BIC), BIC + 2·E with
    /// E = −Σₙ wₙ Σ_k r_nk ln r_nk ≥ 0 the entropy of the training responsibilities: BIC penalised by how much the
    /// components overlap, so it prefers well-separated clusters. mclust's <c>icl</c> uses the hard (MAP) classification
    /// instead, E = −Σₙ ln maxₖ r_nk, which is never larger; both agree when the clusters are well separated.
    /// </summary>
    IntegratedCompletedLikelihood,
}
