using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Settings of the gradient algorithms (<see cref="FittingAlgorithm.Lbfgs"/>, <see cref="FittingAlgorithm.Adam"/>).
/// The iteration limit (L-BFGS iterations, or Adam epochs) is <see cref="MixtureOptions.MaxIterations"/>.
/// </summary>
/// <remarks>
/// <para>
/// The gradient algorithms minimise −(1/W)·(Σₙ wₙ log p(xₙ) + log π(θ)), where π is the prior the estimator's options
/// configure — <see cref="GaussianMixtureOptions.CovariancePrior"/> (or the <c>prior</c> of a Gaussian or normal
/// <see cref="Marginal"/>), <see cref="BernoulliMixtureOptions.Priors"/>, a categorical marginal's
/// Dirichlet smoothing — so they maximise the same posterior as EM and, with reg_covar = 0 (which EM adds after each
/// M-step but the objective does not contain), reach the same optimum from the same start. Without a prior this is the
/// plain likelihood.
/// </para>
/// <para>
/// The Gaussian likelihood is unbounded: a component that collapses onto a single point (or a lower-dimensional set)
/// drives it to +∞, and reg_covar, which EM adds after each M-step, does not enter the objective. A weak
/// <see cref="CovariancePrior"/> (for example <c>CovariancePrior.FromData(x, K)</c>, one
/// pseudo-observation) keeps the optimum finite, with every covariance at least α·s₀ / (N_k + α) in every direction.
/// The reported lower bounds stay the mean log-likelihood without the prior, as for EM.
/// </para>
/// <para>
/// Without a prior, a Gaussian component that collapses is never returned: after every accepted L-BFGS step, and on
/// Adam's result, a covariance with a variance (or, for full and tied, an eigenvalue) below 1e-10 of its column's
/// variance in the data stops the fit with the <see cref="CovarianceNotPositiveDefiniteException"/> EM throws, naming
/// the fixes (a <see cref="CovariancePrior"/>, EM with its CovarianceRegularization, fewer
/// components, constant or duplicated columns removed). The fit stops rather than holding the variance at a floor,
/// because there is no optimum to hold: the objective keeps rising as the variance falls, so a clamped point would be
/// the optimum neither of this objective nor of EM's, and "converged" would be untrue. Points whose parameters or
/// densities are not finite (a variance whose precision overflows) are never accepted.
/// </para>
/// <para>
/// For the Gaussian families the optimisers work in standardised coordinates: each component's mean and covariance
/// are measured in units of the standard deviations of the starting component (for tied covariance, of the shared
/// covariance; for spherical, of its one variance), the start is mapped in and the result back exactly. The objective
/// and its optimum do not change (only the coordinates do), and the iterates, the tolerances and
/// <see cref="LearningRate"/> do not depend on the units of the columns, so data with columns on very different scales
/// (for example 0.1 next to 1,000) needs no scaling first.
/// </para>
/// </remarks>
public sealed record GradientOptions
{
    /// <summary>Stop L-BFGS when the largest entry of the objective's gradient (the mean negative log-likelihood, minus the log prior / W with a prior), in the standardised coordinates, is below this (default 1e-6).</summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Stop when the objective (the mean log-likelihood, plus the log prior / W with a prior) changes by at most this ×
    /// max(1, |value|) per epoch (Adam), or on three L-BFGS iterations in a row (default 1e-12).
    /// </summary>
    public double RelativeTolerance { get; init; } = 1e-12;

    /// <summary>
    /// Adam's step size (default 0.1), decayed as 1/√epoch, in the standardised coordinates (for a Gaussian mean, in
    /// standard deviations of its component), so the default suits data in any units. Adam returns the best point it
    /// visited (by the objective at the end of each epoch), so a step size too large leaves the fit unconverged, never
    /// worse than its start.
    /// </summary>
    public double LearningRate { get; init; } = 0.1;

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
