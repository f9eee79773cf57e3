namespace MixtureModels.Selection;

/// <summary>One row of a <see cref="ModelSearchResult{TModel}"/>: a candidate and how its fit went. Immutable.</summary>
/// <typeparam name="TModel">The fitted model type.</typeparam>
public sealed record ModelSearchRow<TModel>
    where TModel : class
{
    /// <summary>Index of the candidate in the list given to the search (rows are in this order).</summary>
    public required int Index { get; init; }

    /// <summary>The candidate.</summary>
    public required ModelCandidate<TModel> Candidate { get; init; }

    /// <summary>The candidate's name.</summary>
    public string Name => Candidate.Name;

    /// <summary>The candidate's component count K.</summary>
    public int ComponentCount => Candidate.ComponentCount;

    /// <summary>The candidate's covariance shape (Gaussian and Student-t candidates), or null.</summary>
    public CovarianceType? CovarianceType => Candidate.CovarianceType;

    /// <summary>Sound, degenerate or failed.</summary>
    public required CandidateStatus Status { get; init; }

    /// <summary>The fitted model; null when the fit failed.</summary>
    public TModel? Model { get; init; }

    /// <summary>The search's criterion on the training data (lower is better); NaN when the fit failed.</summary>
    public double CriterionValue { get; init; } = double.NaN;

    /// <summary>The training log-likelihood summed over the (weighted) rows, log L = n·L̄; NaN when the fit failed.</summary>
    public double LogLikelihood { get; init; } = double.NaN;

    /// <summary>Free parameters p of the fitted model (weights included); null when the fit failed.</summary>
    public int? ParameterCount { get; init; }

    /// <summary>Iterations run by the kept initialisation; 0 when the fit failed.</summary>
    public int IterationCount { get; init; }

    /// <summary>Whether the kept initialisation converged; false when the fit failed.</summary>
    public bool Converged { get; init; }

    /// <summary>Why the kept initialisation stopped; null when the fit failed.</summary>
    public ConvergenceReason? ConvergenceReason { get; init; }

    /// <summary>How many components of the fitted model are degenerate (see <see cref="FitReport.ComponentDegeneracies"/>).</summary>
    public int DegenerateComponentCount { get; init; }

    /// <summary>The fit's report; null when the fit failed.</summary>
    public FitReport? Report { get; init; }

    /// <summary>What the failed fit threw; null otherwise.</summary>
    public Exception? Failure { get; init; }

    /// <summary>Why the fit failed (the exception's type and message); null otherwise.</summary>
    public string? FailureReason => Failure is null ? null : $"{Failure.GetType().Name}: {Failure.Message}";
}
