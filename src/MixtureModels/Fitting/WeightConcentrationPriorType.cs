namespace MixtureModels;

/// <summary>The prior on the mixing weights of a variational Bayesian mixture (scikit-learn's <c>weight_concentration_prior_type</c>).</summary>
public enum WeightConcentrationPriorType
{
    /// <summary>
    /// A Dirichlet process in its stick-breaking form ("dirichlet_process", scikit-learn's default): π_k = v_k Π_{j&lt;k}(1 − v_j)
    /// with v_k ~ Beta(1, γ). Surplus components get weights near 0, later components first; a small γ switches off more.
    /// </summary>
    DirichletProcess,

    /// <summary>A symmetric Dirichlet distribution Dir(α₀, …, α₀) ("dirichlet_distribution"): a small α₀ favours few active components.</summary>
    DirichletDistribution,
}
