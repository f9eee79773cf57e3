namespace MixtureModels;

/// <summary>Which of the two shapes of <see cref="CovariancePrior"/> a prior has.</summary>
public enum CovariancePriorForm
{
    /// <summary>
    /// α pseudo-observations of variance s₀ in every direction (<c>new CovariancePrior(α, s₀)</c>): the covariances
    /// only, no prior on the means; any dimension.
    /// </summary>
    Isotropic,

    /// <summary>
    /// mclust's conjugate Normal-inverse-Wishart prior (<see cref="CovariancePrior.FromData"/>,
    /// <see cref="CovariancePrior.NormalInverseWishart"/>): a shrinkage κ of the means towards a prior mean, ν degrees of
    /// freedom and a D × D scale Λ; for one dimension D.
    /// </summary>
    NormalInverseWishart,
}
