namespace MixtureModels.Fitting;

/// <summary>How an EM fit went: convergence, iterations and the lower bound over time.</summary>
public sealed record FitReport
{
    /// <summary>Whether the kept initialisation converged (|ΔL| &lt; tol) before the iteration limit (scikit-learn's converged_).</summary>
    public required bool Converged { get; init; }

    /// <summary>Why the kept initialisation stopped.</summary>
    public ConvergenceReason Reason => Converged ? ConvergenceReason.ToleranceReached : ConvergenceReason.MaxIterationsReached;

    /// <summary>EM iterations run by the kept initialisation (scikit-learn's n_iter_).</summary>
    public required int IterationCount { get; init; }

    /// <summary>
    /// The lower bound L (mean, sample-weighted log-likelihood) computed in the kept initialisation's last iteration,
    /// i.e. of the parameters before its last M-step (scikit-learn's lower_bound_).
    /// </summary>
    public required double LowerBound { get; init; }

    /// <summary>
    /// L after every iteration of the kept initialisation (scikit-learn's lower_bounds_). For EM it never decreases (up
    /// to rounding) when every M-step is an exact maximisation: with CovarianceRegularization = 0 and no prior, with or
    /// without missing entries. With a prior (a <see cref="Components.Gaussian.CovariancePrior"/>, a Beta or Dirichlet
    /// prior, a <see cref="DirichletWeightPrior"/>) and no regularisation it is the posterior, L + log prior / W, that
    /// never decreases; L alone may fall slightly. CovarianceRegularization adds reg·I after the maximisation, so L can
    /// fall where a variance is of the order of reg (for example a column observed in a single row).
    /// </summary>
    public required IReadOnlyList<double> LowerBoundHistory { get; init; }

    /// <summary>
    /// The final lower bound of every initialisation, in order. The kept one has the largest lower bound or, with a
    /// prior, the largest posterior (lower bound + log prior / W).
    /// </summary>
    public required IReadOnlyList<double> InitializationLowerBounds { get; init; }

    /// <summary>Index of the kept initialisation in <see cref="InitializationLowerBounds"/>.</summary>
    public required int BestInitialization { get; init; }

    /// <summary>Mean (sample-weighted) log-likelihood of the training data under the returned model, from the final E-step.</summary>
    public required double TrainingLogLikelihood { get; init; }

    /// <summary>
    /// The objective EM maximised, after every iteration of the kept initialisation: L + (log p(θ) + log p(π)) / W, the
    /// mean log-likelihood plus the log prior of the same parameters (up to the prior's constant) over the total sample
    /// weight W. Without a prior (no <see cref="Components.Gaussian.CovariancePrior"/>, Beta or Dirichlet prior or
    /// <see cref="DirichletWeightPrior"/>) it is <see cref="LowerBoundHistory"/> itself. With a prior and
    /// CovarianceRegularization = 0 it never decreases (up to rounding). Recorded by EM only: empty for the gradient
    /// algorithms (FittingAlgorithm.Lbfgs, Adam, ExpectationMaximizationThenLbfgs) and for a model loaded from a file.
    /// </summary>
    public IReadOnlyList<double> ObjectiveHistory { get; init; } = [];

    /// <summary>log p(θ) + log p(π) of the returned model (up to the prior's constant); 0 without a prior and for a model loaded from a file.</summary>
    public double LogPrior { get; init; }
}
