using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Settings every mixture estimator shares: the number of components, EM's stopping rule, restarts, initialisation,
/// warm start, the seed and the thread count. The defaults are scikit-learn's. Use it as it is with
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/>; the presets' options derive from it.
/// </summary>
public record MixtureOptions
{
    /// <summary>Number of components K (n_components), at least 1. Required.</summary>
    public required int ComponentCount { get; init; }

    /// <summary>Convergence threshold (tol, default 1e-3): EM stops when the mean log-likelihood changes by less than this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Maximum EM iterations per initialisation (max_iter, default 100), at least 1.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Number of initialisations (n_init, default 1); the one with the largest final lower bound is kept, among those that did not end degenerate (see <see cref="FitReport.DegenerateInitializations"/>).</summary>
    public int InitializationCount { get; init; } = 1;

    /// <summary>How starting responsibilities are chosen (init_params, default <see cref="InitializationMethod.KMeans"/>).</summary>
    public InitializationMethod Initialization { get; init; } = InitializationMethod.KMeans;

    /// <summary>
    /// Optional starting responsibilities, an N × K matrix (N the training rows, K = <see cref="ComponentCount"/>) of
    /// finite, non-negative values whose rows each sum to 1 (within 1e-6): the first M-step starts from them instead of
    /// from <see cref="Initialization"/> (scikit-learn's private <c>_initialize(X, resp)</c>), in every initialisation, which
    /// then all start from the same point (a warm start still continues the previous fit instead; a starting point such as
    /// <c>InitialMeans</c> still replaces what the first M-step estimated). Checked against the data in <c>Fit</c>;
    /// mutually exclusive with <see cref="InitialLabels"/>.
    /// </summary>
    public DataMatrix? InitialResponsibilities { get; init; }

    /// <summary>
    /// Optional starting labels, one per training row, each in [0, K): the hard responsibilities r_nk = [label_n = k]
    /// replace <see cref="Initialization"/> as with <see cref="InitialResponsibilities"/> (with which it is mutually
    /// exclusive). A component that no row is given starts empty (its M-step sees zero weight).
    /// </summary>
    public IReadOnlyList<int>? InitialLabels { get; init; }

    /// <summary>
    /// When true (warm_start), a second call to the estimator's <c>Fit</c> continues from the previously fitted model
    /// with a single initialisation instead of initialising afresh.
    /// </summary>
    public bool WarmStart { get; init; }

    /// <summary>How the parameters are optimised from the start (default <see cref="FittingAlgorithm.ExpectationMaximization"/>).</summary>
    public FittingAlgorithm Algorithm { get; init; } = FittingAlgorithm.ExpectationMaximization;

    /// <summary>Settings of the gradient algorithms; used when <see cref="Algorithm"/> is not plain EM.</summary>
    public GradientOptions Gradient { get; init; } = new();

    /// <summary>
    /// What NaN in the data means (default <see cref="MissingValueHandling.Reject"/>: invalid input). With
    /// <see cref="MissingValueHandling.Marginalize"/>, NaN marks an entry that was not observed, in training and in
    /// every query of the fitted model, and the model can impute it.
    /// </summary>
    public MissingValueHandling MissingValues { get; init; } = MissingValueHandling.Reject;

    /// <summary>Seed of the random generator behind every random choice (random_state, default 0).</summary>
    public int Seed { get; init; }

    /// <summary>Worker threads for the E- and M-steps: -1 (default) for all cores. Results are identical for any value.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>
    /// Rows of the initialisation sample of a fit from a <see cref="RowSource"/> (default 100 000), at least 1 (and at
    /// least <see cref="ComponentCount"/> at fit time). The first pass over the source draws a uniform reservoir sample of
    /// this many rows (Vitter's algorithm R, row by row in source order, seeded with <see cref="Seed"/>, so it does not
    /// depend on how the source cuts its blocks), and <see cref="Initialization"/> (k-means by default) runs on it in
    /// memory; EM then reads the whole source once per iteration. A source of at most this many rows is sampled whole,
    /// in order: its start, and so the whole fit, is then bit-identical to the in-memory fit of the same rows. The sample
    /// takes 8·D bytes per row. Not used by in-memory fits.
    /// </summary>
    public int SourceSampleRows { get; init; } = 100_000;

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the first bad shared setting.</summary>
    internal void ValidateShared()
    {
        ArgumentChecks.AtLeast(ComponentCount, 1, nameof(ComponentCount), "Use at least one component.");
        if (!Enum.IsDefined(Initialization))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Initialization), Initialization, "Use one of KMeans, KMeansPlusPlus, RandomResponsibilities, RandomFromData, ModelBasedHierarchical, KMeansStandardized.");
        }

        ArgumentChecks.NonNegative(Tolerance, nameof(Tolerance), "Use a finite, non-negative tolerance such as 1e-3 (0 runs exactly MaxIterations iterations).");
        ArgumentChecks.AtLeast(MaxIterations, 1, nameof(MaxIterations), "Allow at least one EM iteration.");
        ArgumentChecks.AtLeast(InitializationCount, 1, nameof(InitializationCount), "Use at least one initialisation.");
        ArgumentChecks.DegreeOfParallelism(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        ArgumentChecks.AtLeast(SourceSampleRows, 1, nameof(SourceSampleRows), "Sample at least one row (and at least ComponentCount rows) for the initialisation of a fit from a RowSource.");
        if (!Enum.IsDefined(Algorithm))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(Algorithm), Algorithm, "Use one of ExpectationMaximization, Lbfgs, Adam, ExpectationMaximizationThenLbfgs.");
        }

        if (InitialResponsibilities is not null && InitialLabels is not null)
        {
            ThrowHelper.ThrowArgument(nameof(InitialLabels), "InitialResponsibilities and InitialLabels are both set. Give one of them (labels are one-hot responsibilities).");
        }

        if (InitialResponsibilities is not null && InitialResponsibilities.Columns != ComponentCount)
        {
            ThrowHelper.ThrowArgument(nameof(InitialResponsibilities), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"InitialResponsibilities has {InitialResponsibilities.Columns} columns but ComponentCount is {ComponentCount}. Give one column per component."));
        }

        ArgumentNullException.ThrowIfNull(Gradient, nameof(Gradient));
        Gradient.Validate();
        if (!Enum.IsDefined(MissingValues))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(MissingValues), MissingValues, "Use MissingValueHandling.Reject or MissingValueHandling.Marginalize.");
        }
    }
}
