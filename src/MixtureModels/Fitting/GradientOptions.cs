using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// Settings of the gradient algorithms (<see cref="FittingAlgorithm.Lbfgs"/>, <see cref="FittingAlgorithm.Adam"/>).
/// The iteration limit (L-BFGS iterations, or Adam epochs) is <see cref="MixtureOptions.MaxIterations"/>.
/// </summary>
/// <remarks>
/// <para>
/// The gradient algorithms minimise −(1/W)·(Σₙ wₙ log p(xₙ) + log π(θ)), where π is the prior the estimator's options
/// configure — <see cref="GaussianMixtureOptions.CovariancePrior"/> (or the <c>prior</c> of a Gaussian or normal
/// <see cref="Components.Product.Marginal"/>), <see cref="BernoulliMixtureOptions.Priors"/>, a categorical marginal's
/// Dirichlet smoothing — so they maximise the same posterior as EM and, with reg_covar = 0 (which EM adds after each
/// M-step but the objective does not contain), reach the same optimum from the same start. Without a prior this is the
/// plain likelihood.
/// </para>
/// <para>
/// The Gaussian likelihood is unbounded: a component that collapses onto a single point (or a lower-dimensional set)
/// drives it to +∞, and reg_covar, which EM adds after each M-step, does not enter the objective. A weak
/// <see cref="Components.Gaussian.CovariancePrior"/> (for example <c>CovariancePrior.FromData(x, K)</c>, one
/// pseudo-observation) keeps the optimum finite, with every covariance at least α·s₀ / (N_k + α) in every direction.
/// The reported lower bounds stay the mean log-likelihood without the prior, as for EM.
/// </para>
/// </remarks>
public sealed record GradientOptions
{
    /// <summary>Stop L-BFGS when the largest entry of the objective's gradient (the mean negative log-likelihood, minus the log prior / W with a prior) is below this (default 1e-6).</summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>Stop when the objective (the mean log-likelihood, plus the log prior / W with a prior) changes by at most this × max(1, |value|) per iteration or epoch (default 1e-10).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;

    /// <summary>Adam's step size (default 0.01), decayed as 1/√epoch; parameters are in the data's units, so scale the data first.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Adam's minibatch size in rows (default 1024).</summary>
    public int BatchRows { get; init; } = 1024;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad setting.</summary>
    internal void Validate()
    {
        ArgumentChecks.NonNegative(GradientTolerance, nameof(GradientTolerance), "Use a finite, non-negative tolerance such as 1e-6.");
        ArgumentChecks.NonNegative(RelativeTolerance, nameof(RelativeTolerance), "Use a finite, non-negative tolerance such as 1e-10.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(LearningRate), LearningRate, "Use a finite, positive step size such as 0.01.");
        }

        ArgumentChecks.AtLeast(BatchRows, 1, nameof(BatchRows), "Use at least one row per minibatch.");
    }
}
