namespace MixtureModels;

/// <summary>What NaN in the data means.</summary>
public enum MissingValueHandling
{
    /// <summary>NaN (like ±∞) is invalid input: an <see cref="ArgumentException"/> names its row and column. The default.</summary>
    Reject,

    /// <summary>
    /// NaN means "not observed": densities are marginal over the missing entries, and the M-step uses expected
    /// sufficient statistics (the observed entries for independent columns; conditional means and covariances for
    /// full and tied Gaussians), so EM stays exact and monotone. ±∞ is still invalid; so are a row with every entry
    /// missing and, in training data, a column never observed.
    /// </summary>
    Marginalize,
}
