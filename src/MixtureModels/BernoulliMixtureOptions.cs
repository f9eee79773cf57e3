using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels;

/// <summary>
/// Settings of <see cref="BernoulliMixture"/>: the shared <see cref="MixtureOptions"/> plus the smoothing of the
/// probabilities and an optional starting point.
/// </summary>
public sealed record BernoulliMixtureOptions : MixtureOptions
{
    /// <summary>
    /// Beta prior and clamp for the probabilities φ (default <see cref="BernoulliPriors.MaximumLikelihood"/>: no prior,
    /// φ kept inside [1e-10, 1 − 1e-10]). With a proper prior (α or β above 1) EM maximises the posterior, so the
    /// reported lower bound (the mean log-likelihood alone) may then fall slightly between iterations.
    /// </summary>
    public BernoulliPriors Priors { get; init; } = BernoulliPriors.MaximumLikelihood;

    /// <summary>Optional starting weights: K finite, non-negative values summing to 1.</summary>
    public IReadOnlyList<double>? InitialWeights { get; init; }

    /// <summary>Optional starting probabilities: a K × D matrix with every entry strictly inside (0, 1).</summary>
    public Matrix<double>? InitialProbabilities { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        ArgumentNullException.ThrowIfNull(Priors, nameof(Priors));
    }
}
