using MixtureModels.Components;

namespace MixtureModels;

/// <summary>How a fit went: convergence, iterations, the lower bound over time, what the information criteria need (log-likelihood, total weight, responsibility entropy) and which components are degenerate.</summary>
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
    /// i.e. of the parameters before its last M-step (scikit-learn's lower_bound_). For a <see cref="BayesianGaussianMixture"/>
    /// it is instead scikit-learn's evidence lower bound after the last M-step, a sum over the rows (see <see cref="BayesianGaussianMixtureModel.Report"/>).
    /// </summary>
    public required double LowerBound { get; init; }

    /// <summary>
    /// L after every iteration of the kept initialisation (scikit-learn's lower_bounds_). For EM it never decreases (up
    /// to rounding) when every M-step is an exact maximisation: with CovarianceRegularization = 0 and no prior, with or
    /// without missing entries. With a prior (a <see cref="CovariancePrior"/>, a Beta or Dirichlet
    /// prior, a <see cref="DirichletWeightPrior"/>) and no regularisation it is the posterior, L + log prior / W, that
    /// never decreases; L alone may fall slightly. CovarianceRegularization adds reg·I after the maximisation, so L can
    /// fall where a variance is of the order of reg (for example a column observed in a single row).
    /// </summary>
    public required IReadOnlyList<double> LowerBoundHistory { get; init; }

    /// <summary>
    /// The final lower bound of every initialisation, in order. The kept one has the largest lower bound or, with a
    /// prior, the largest posterior (lower bound + log prior / W), among the initialisations that did not end degenerate
    /// (see <see cref="DegenerateInitializations"/>); among all of them when every one ended degenerate.
    /// </summary>
    public required IReadOnlyList<double> InitializationLowerBounds { get; init; }

    /// <summary>Index of the kept initialisation in <see cref="InitializationLowerBounds"/>.</summary>
    public required int BestInitialization { get; init; }

    /// <summary>Mean (sample-weighted) log-likelihood of the training data under the returned model, from the final E-step.</summary>
    public required double TrainingLogLikelihood { get; init; }

    /// <summary>
    /// n of the information criteria: Σ of the sample weights as given to <c>Fit</c> (before their rescaling to average
    /// 1), or the row count N of an unweighted fit — the n that <see cref="MixtureModel{TComponent}.BayesianInformationCriterion"/>
    /// uses on the training data. NaN when unknown (a model file written before this was recorded).
    /// </summary>
    public double TrainingWeight { get; init; } = double.NaN;

    /// <summary>
    /// Mean (sample-weighted) entropy of the training rows' responsibilities under the returned model,
    /// −Σₙ wₙ Σ_k r_nk ln r_nk / Σₙ wₙ (nats, in [0, ln K]); the integrated completed likelihood adds 2·n times it to the BIC.
    /// NaN when unknown (a model file written before this was recorded).
    /// </summary>
    public double ResponsibilityEntropy { get; init; } = double.NaN;

    /// <summary>
    /// Effective row count of every component under the returned model, N_k = Σₙ wₙ·p(z = k | xₙ), in rows of average
    /// weight (the sample weights rescaled to average 1, so the counts sum to N). Empty when unknown.
    /// </summary>
    public IReadOnlyList<double> ComponentRowCounts { get; init; } = [];

    /// <summary>
    /// Degeneracy of every component of the returned model (<see cref="ComponentDegeneracy.None"/> for a sound one), by
    /// the family's <see cref="IDegeneracyCheck{TComponent}"/> or the generic rule described there. Empty when unknown.
    /// </summary>
    public IReadOnlyList<ComponentDegeneracy> ComponentDegeneracies { get; init; } = [];

    /// <summary>Whether a component of the returned model is degenerate (see <see cref="ComponentDegeneracies"/>).</summary>
    public bool IsDegenerate => ComponentDegeneracies.Any(d => d != ComponentDegeneracy.None);

    /// <summary>
    /// Whether each initialisation ended degenerate, in order (parallel to <see cref="InitializationLowerBounds"/>). A
    /// degenerate initialisation is kept only when every initialisation is degenerate. Empty when unknown.
    /// </summary>
    public IReadOnlyList<bool> DegenerateInitializations { get; init; } = [];

    /// <summary>
    /// The objective EM maximised, after every iteration of the kept initialisation: L + (log p(θ) + log p(π)) / W, the
    /// mean log-likelihood plus the log prior of the same parameters (up to the prior's constant) over the total sample
    /// weight W. Without a prior (no <see cref="CovariancePrior"/>, Beta or Dirichlet prior or
    /// <see cref="DirichletWeightPrior"/>) it is <see cref="LowerBoundHistory"/> itself. With a prior and
    /// CovarianceRegularization = 0 it never decreases (up to rounding). Recorded by EM only: empty for the gradient
    /// algorithms (FittingAlgorithm.Lbfgs, Adam, ExpectationMaximizationThenLbfgs) and for a model loaded from a file
    /// (except a loaded <see cref="BayesianGaussianMixtureModel"/>, whose file keeps it).
    /// </summary>
    public IReadOnlyList<double> ObjectiveHistory { get; init; } = [];

    /// <summary>log p(θ) + log p(π) of the returned model (up to the prior's constant); 0 without a prior and for a model loaded from a file (except a loaded <see cref="BayesianGaussianMixtureModel"/>, whose file keeps it).</summary>
    public double LogPrior { get; init; }

    /// <summary>
    /// The options' <see cref="MixtureOptions.Seed"/> the fit ran with (0 for a model loaded from a file written before
    /// the seed was saved). <see cref="FittedMixtureModel{TComponent}.Sample(int)"/> draws from <c>new Random(Seed)</c>,
    /// so the same fit gives the same draws.
    /// </summary>
    public int Seed { get; init; }
}
