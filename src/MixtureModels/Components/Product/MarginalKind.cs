namespace MixtureModels;

/// <summary>The distribution a <see cref="Marginal"/> places on its columns.</summary>
public enum MarginalKind
{
    /// <summary>A univariate normal on one real column.</summary>
    Normal,

    /// <summary>Independent Bernoulli variables on binary (0/1) columns.</summary>
    Bernoulli,

    /// <summary>A categorical distribution on one column of integer levels 0..L−1.</summary>
    Categorical,

    /// <summary>A Poisson distribution on one column of non-negative integer counts.</summary>
    Poisson,

    /// <summary>A multivariate Gaussian block on several real columns, with its own covariance type.</summary>
    Gaussian,
}
