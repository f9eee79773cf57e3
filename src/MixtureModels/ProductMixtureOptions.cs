using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;

namespace MixtureModels;

/// <summary>
/// Settings of <see cref="ProductMixture"/>: the shared <see cref="MixtureOptions"/> plus the marginals that model
/// the columns of a mixed table and an optional starting point.
/// </summary>
public sealed record ProductMixtureOptions : MixtureOptions
{
    /// <summary>The marginals; their columns must cover every data column exactly once. Required.</summary>
    public required IReadOnlyList<Marginal> Marginals { get; init; }

    /// <summary>
    /// Optional starting weights (like scikit-learn's weights_init): K = <see cref="MixtureOptions.ComponentCount"/>
    /// finite, non-negative values summing to 1 (within 1e-8). Given alone, they replace the initialiser's weights and
    /// the initialiser still estimates the marginals.
    /// </summary>
    public IReadOnlyList<double>? InitialWeights { get; init; }

    /// <summary>
    /// Optional starting marginals: K lists (one per mixture component), each holding one component per entry of
    /// <see cref="Marginals"/>, in the same order, of the type that marginal estimates:
    /// <list type="bullet">
    /// <item><description><see cref="Marginal.Normal"/>: a <see cref="NormalComponent"/>;</description></item>
    /// <item><description><see cref="Marginal.Bernoulli"/>: a <see cref="BernoulliComponent"/> with one probability per column of the marginal;</description></item>
    /// <item><description><see cref="Marginal.Categorical(int, int, double)"/> and <see cref="Marginal.Categorical(int, IReadOnlyList{double}, double)"/>: a <see cref="CategoricalComponent"/> with the marginal's level count (and level values);</description></item>
    /// <item><description><see cref="Marginal.Poisson"/>: a <see cref="PoissonComponent"/>;</description></item>
    /// <item><description><see cref="Marginal.Gaussian"/>: a Gaussian of the block's dimension and covariance type —
    /// <see cref="FullGaussian"/> for full and tied, <see cref="DiagonalGaussian"/> for diagonal,
    /// <see cref="SphericalGaussian"/> for spherical. For tied covariance the K blocks must have exactly equal
    /// covariance matrices (build them all from one matrix); they are then made to share it.</description></item>
    /// </list>
    /// Given alone, they replace the initialiser's components and the initialiser still estimates the weights; given
    /// with <see cref="InitialWeights"/>, they form a complete start and no initialiser runs (every one of
    /// <see cref="MixtureOptions.InitializationCount"/> runs then starts from the same point). Ignored by a warm start.
    /// </summary>
    /// <remarks>Checked when the estimator is created; a mismatch throws an <see cref="ArgumentException"/> naming the component and marginal index.</remarks>
    public IReadOnlyList<IReadOnlyList<IComponent>>? InitialMarginals { get; init; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ValidateShared();
        ArgumentNullException.ThrowIfNull(Marginals, nameof(Marginals));
    }
}
