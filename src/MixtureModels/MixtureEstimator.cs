using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// Fits a mixture of any component family: the whole fitting recipe, written once. For each of
/// <see cref="MixtureOptions.InitializationCount"/> initialisations it turns the initialiser's responsibilities into a
/// start (the M-step), optimises it (EM, or the gradient algorithms when the family implements
/// <see cref="IReparameterization{TComponent, TStatistics}"/>), keeps the best, and labels the training rows with a final
/// E-step. It handles sample weights, warm start, a user's start (<see cref="Start"/>), progress, cancellation, missing
/// values (when the family's components and statistics implement <see cref="IMissingValueComponent"/> and
/// <see cref="IMissingValueStatistics"/>) and the family's batched kernel (<see cref="IBlockKernelSource{TComponent, TStatistics}"/>).
/// <see cref="GaussianMixture"/>, <see cref="BernoulliMixture"/> and <see cref="ProductMixture"/> are presets on it; a
/// family written outside the library is fitted the same way.
/// </summary>
/// <remarks>
/// The estimator holds settings and, after <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>, the last fitted model (used by warm start). It is not
/// meant to be fitted from several threads at once; the returned model is immutable and may be shared freely. Results
/// are identical for any <see cref="MixtureOptions.MaxDegreeOfParallelism"/>.
/// </remarks>
/// <example>
/// <code>
/// var estimator = new MixtureEstimator&lt;VonMisesComponent, VonMisesStatistics&gt;(new VonMisesFamily(), new MixtureOptions { ComponentCount = 3, InitializationCount = 5 });
/// FittedMixtureModel&lt;VonMisesComponent&gt; model = estimator.Fit(angles);
/// </code>
/// </example>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The family's statistics type.</typeparam>
public sealed class MixtureEstimator<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private FittedMixtureModel<TComponent>? _fitted;

    /// <summary>Creates the estimator.</summary>
    /// <param name="family">The component family (its dimension must equal the data's column count).</param>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public MixtureEstimator(IComponentFamily<TComponent, TStatistics> family, MixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateShared();
        Family = family;
        Options = options;
    }

    /// <summary>The component family.</summary>
    public IComponentFamily<TComponent, TStatistics> Family { get; }

    /// <summary>The settings.</summary>
    public MixtureOptions Options { get; }

    /// <summary>How the mixing weights are estimated (default <see cref="MaximumLikelihoodWeights"/>; <see cref="DirichletWeightPrior"/> for a MAP step).</summary>
    public IWeightStep WeightStep { get; init; } = MaximumLikelihoodWeights.Instance;

    /// <summary>Optional starting weights and/or components, used by every initialisation (unless a warm start continues the previous fit).</summary>
    public MixtureStart<TComponent>? Start { get; init; }

    /// <summary>The model returned by the last successful <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.</summary>
    /// <exception cref="NotFittedException"><see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> has not been called yet.</exception>
    public FittedMixtureModel<TComponent> FittedModel => _fitted ?? throw new NotFittedException(nameof(MixtureEstimator<TComponent, TStatistics>));

    /// <summary>
    /// Fits the mixture to the rows of <paramref name="data"/>: for each of <see cref="MixtureOptions.InitializationCount"/>
    /// initialisations, the chosen algorithm until the lower bound changes by less than the tolerance or the iteration
    /// limit; the initialisation with the best objective is kept, and a final E-step labels the training rows.
    /// </summary>
    /// <param name="data">N × D data, N ≥ K, D = the family's dimension. Not modified.</param>
    /// <param name="sampleWeights">
    /// Optional non-negative weight per row. Only their ratios matter (they are rescaled to average 1, so weights × c give
    /// the same fit); without a prior, integer weights are equivalent to repeating rows. A prior's pseudo-observations
    /// count in units of the average weight.
    /// </param>
    /// <param name="progress">
    /// Optional callback after every iteration, called synchronously on the fitting thread (a <see cref="Progress{T}"/>
    /// posts to its synchronisation context and may run later; implement <see cref="IProgress{T}"/> directly to act at once).
    /// </param>
    /// <param name="cancellationToken">Cancels between blocks of rows and between iterations.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data, weights or start are invalid for this family; the message names which and why.</exception>
    /// <exception cref="NotSupportedException">Missing values or a gradient algorithm were asked of a family without that capability.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance collapsed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public FittedMixtureModel<TComponent> Fit(DataMatrix data, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var warm = Options.WarmStart ? _fitted : null;
        var outcome = FitCore(Family, Options, WeightStep, data, sampleWeights, _ => Start, warm?.ToWarmStart(), progress, cancellationToken);
        _fitted = new FittedMixtureModel<TComponent>(outcome);
        return _fitted;
    }

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>: equivalent to
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.
    /// </summary>
    /// <param name="source">N × D rows, N ≥ K, D = the family's dimension; read once to count, check and sample, then once per pass.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid for this family (the message names the source row and column), or the start is.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm, or missing values of a family without that capability, were asked for.</exception>
    public FittedMixtureModel<TComponent> Fit(RowSource source) => Fit(source, null, CancellationToken.None);

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>, read block by block once per pass, in
    /// O(batch + K·statistics) memory (plus the initialisation sample and 4 bytes of label per row). A first pass counts and
    /// checks the rows and draws a uniform reservoir sample of <see cref="MixtureOptions.SourceSampleRows"/> rows, on which
    /// the initialisation runs; EM then reads the source once per iteration, a diagnosis once per initialisation and the
    /// final labels once. The rows are cut into the same chunks and blocks as in memory, whatever the source's blocks, so
    /// when N ≤ <see cref="MixtureOptions.SourceSampleRows"/> the result is bit-identical to
    /// <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> on the same rows. EM only, no
    /// sample weights.
    /// </summary>
    /// <param name="source">N × D rows, N ≥ K, D = the family's dimension; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every iteration, called synchronously on the fitting thread.</param>
    /// <param name="cancellationToken">Cancels between batches of rows and between iterations, and stops the reading of the source.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid for this family (the message names the source row and column), or the start is.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm, or missing values of a family without that capability, were asked for.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance collapsed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public FittedMixtureModel<TComponent> Fit(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var warm = Options.WarmStart ? _fitted : null;
        var (outcome, _) = FitSourceCore(_ => Family, Options, WeightStep, source, _ => Start, warm?.ToWarmStart(), progress, cancellationToken);
        _fitted = new FittedMixtureModel<TComponent>(outcome);
        return _fitted;
    }

    /// <summary>
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> on a thread-pool thread, for callers that
    /// must not block (an asynchronous source is read by its own task either way).
    /// </summary>
    /// <param name="source">N × D rows; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every iteration, called synchronously on the fitting thread.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public Task<FittedMixtureModel<TComponent>> FitAsync(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Task.Run(() => Fit(source, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The fitting recipe: validation, restarts, the optimiser, the final E-step. Shared by the presets, whose starting
    /// point (<paramref name="startFor"/>, given the data's column count) is parsed after the data has been checked.
    /// </summary>
    internal static FitOutcome<TComponent> FitCore(
        IComponentFamily<TComponent, TStatistics> family,
        MixtureOptions options,
        IWeightStep weightStep,
        DataMatrix data,
        double[]? sampleWeights,
        Func<int, IStartingPoint<TComponent>?>? startFor,
        WarmStart<TComponent>? warm,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken,
        IEmObjective<TComponent, TStatistics>? objective = null)
    {
        int k = options.ComponentCount;
        bool marginalize = options.MissingValues == MissingValueHandling.Marginalize;
        if (marginalize)
        {
            // A setting the family cannot serve is named before anything about the data.
            RequireMissingValueSupport(family);
        }

        data = InputValidation.TrainingData(data, k, nameof(options.ComponentCount), options.MissingValues, options.MaxDegreeOfParallelism);
        if (data.Columns != family.Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(data), string.Create(CultureInfo.InvariantCulture, $"data has {data.Columns} columns but the family {family.GetType().Name} has dimension {family.Dimension}. Give the family the data's column count."));
        }

        (family as IDataValidator)?.Validate(data, nameof(data), marginalize);
        if (options.Algorithm != FittingAlgorithm.ExpectationMaximization && family is not IReparameterization<TComponent, TStatistics>)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {options.Algorithm} needs a family that implements IReparameterization, and {family.GetType().Name} does not. Use FittingAlgorithm.ExpectationMaximization."));
        }

        // Only the weights' ratios matter: they are rescaled to average 1 (unweighted fits are untouched). The
        // information criteria take n = Σ of the weights as given, as BayesianInformationCriterion(data, weights) does.
        var checkedWeights = InputValidation.SampleWeights(sampleWeights, data.Rows);
        double trainingWeight = TotalOf(checkedWeights, data.Rows);
        var weights = InputValidation.RelativeSampleWeights(checkedWeights);
        if (warm is not null)
        {
            data.EnsureColumns(warm.Components[0].Dimension, nameof(data));
        }

        var start = startFor?.Invoke(data.Columns);
        start?.Check(k, data.Columns);
        var settings = new EmSettings(options.Tolerance, options.MaxIterations, options.MaxDegreeOfParallelism);
        var givenResponsibilities = ResponsibilityInitializer.FromOptions(options, data.Rows);
        var engine = new EmEngine<TComponent, TStatistics>(family, weightStep, data, weights, k, settings, objective);
        var random = new Random(options.Seed);

        // Initialisers (k-means, the first M-step) need complete rows: with missing entries they run on a copy in which
        // every NaN is replaced by its column's mean. EM itself then runs on the data as given.
        var initialData = data.HasMissing ? data.WithColumnMeansImputed() : data;
        var initialEngine = ReferenceEquals(initialData, data) ? engine : new EmEngine<TComponent, TStatistics>(family, weightStep, initialData, weights, k, settings);
        var initializer = new ResponsibilityInitializer(options.Initialization, initialData, weights, k, options.MaxDegreeOfParallelism);
        return Restarts(family, options, weightStep, data, weights, engine, initialEngine, initializer, givenResponsibilities, start, warm, data.Rows, trainingWeight, random, progress, cancellationToken);
    }

    /// <summary>
    /// The restarts, the choice of the best run, the final E-step and the report: shared by the in-memory fit and the
    /// out-of-core fit (<paramref name="data"/> null), which differ only in their engines and initialiser.
    /// </summary>
    private static FitOutcome<TComponent> Restarts(
        IComponentFamily<TComponent, TStatistics> family,
        MixtureOptions options,
        IWeightStep weightStep,
        DataMatrix? data,
        double[]? weights,
        EmEngine<TComponent, TStatistics> engine,
        EmEngine<TComponent, TStatistics> initialEngine,
        ResponsibilityInitializer initializer,
        InitialAssignment? givenResponsibilities,
        IStartingPoint<TComponent>? start,
        WarmStart<TComponent>? warm,
        int rows,
        double trainingWeight,
        Random random,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
    {
        int initializations = warm is null ? options.InitializationCount : 1;
        var bounds = new double[initializations];
        var degenerateRuns = new bool[initializations];
        EmResult<TComponent>? best = null;
        double bestScore = double.NegativeInfinity;
        int bestIndex = 0;
        Diagnosis? bestDiagnosis = null;

        // The diagnosis of a run and the final E-step of the kept run use the same parameters: one pass serves both,
        // writing the labels of every run into the one array; the kept run is labelled again only when a later run has
        // overwritten its labels. A distributed engine keeps its two passes.
        var labels = HugePages.NewArray<int>(rows);
        bool fused = engine.CanDiagnoseAndEvaluate;
        int labelledRun = -1;
        double labelledLogLikelihood = double.NaN;
        for (int init = 0; init < initializations; init++)
        {
            double[] startWeights;
            TComponent[] startComponents;
            double previousBound = double.NegativeInfinity;
            if (warm is not null)
            {
                startWeights = (double[])warm.Weights.Clone();
                startComponents = (TComponent[])warm.Components.Clone();
                previousBound = warm.LowerBound;
            }
            else if (start is { IsComplete: true })
            {
                (startWeights, startComponents) = start.Complete();
            }
            else
            {
                var responsibilities = givenResponsibilities ?? initializer.Create(random, cancellationToken);
                (startWeights, startComponents) = initialEngine.FromResponsibilities(responsibilities, cancellationToken);
                if (start is not null)
                {
                    (startWeights, startComponents) = start.Apply(startWeights, startComponents);
                }
            }

            var result = Optimize(family, weightStep, data, weights, options, engine, startWeights, startComponents, previousBound, init, progress, cancellationToken);
            bounds[init] = result.LowerBound;
            double score = Score(family, weightStep, result, engine.TotalWeight);
            Diagnosis diagnosis;
            if (fused)
            {
                (diagnosis, labelledLogLikelihood) = DiagnoseAndEvaluate(family, engine, result, labels, cancellationToken);
                labelledRun = init;
            }
            else
            {
                diagnosis = Diagnose(family, engine, result, cancellationToken);
            }

            degenerateRuns[init] = diagnosis.IsDegenerate;

            // A degenerate run is kept only when every run is degenerate; among runs of the same kind, the best objective.
            if (best is null || (bestDiagnosis!.IsDegenerate && !diagnosis.IsDegenerate) || (bestDiagnosis.IsDegenerate == diagnosis.IsDegenerate && score > bestScore))
            {
                best = result;
                bestScore = score;
                bestIndex = init;
                bestDiagnosis = diagnosis;
            }
        }

        System.Diagnostics.Debug.Assert(best is not null, "Every fit runs at least once.");
        double trainingLogLikelihood = labelledRun == bestIndex
            ? labelledLogLikelihood
            : engine.Evaluate(best.Weights, best.Components, labels, cancellationToken);
        var report = new FitReport
        {
            Converged = best.Converged,
            IterationCount = best.Iterations,
            LowerBound = best.LowerBound,
            LowerBoundHistory = Array.AsReadOnly(best.LowerBoundHistory),
            InitializationLowerBounds = Array.AsReadOnly(bounds),
            BestInitialization = bestIndex,
            TrainingLogLikelihood = trainingLogLikelihood,
            TrainingWeight = trainingWeight,
            ResponsibilityEntropy = bestDiagnosis!.MeanEntropy,
            ComponentRowCounts = Array.AsReadOnly(bestDiagnosis.RowCounts),
            ComponentDegeneracies = Array.AsReadOnly(bestDiagnosis.Degeneracies),
            DegenerateInitializations = Array.AsReadOnly(degenerateRuns),
            ObjectiveHistory = Array.AsReadOnly(best.ObjectiveHistory ?? (options.Algorithm == FittingAlgorithm.ExpectationMaximization ? best.LowerBoundHistory : [])),
            LogPrior = LogPriorOf(family, weightStep, best),
            Seed = options.Seed,
        };
        return CreateOutcome(family, best.Weights, best.Components, report, labels, options.MissingValues) with { ResponsibilityTotals = best.ResponsibilityTotals };
    }

    /// <summary>
    /// The out-of-core fitting recipe: a first pass over <paramref name="source"/> counts, checks and samples the rows
    /// (<see cref="SourceScan"/>); the initialisers run in memory on the sample; EM, the diagnoses and the final E-step
    /// read the source once per pass through an engine whose chunk plan is that of the same rows in memory. When the
    /// sample holds every row (at most <see cref="MixtureOptions.SourceSampleRows"/> rows), the start, and hence the whole
    /// fit, is bit-identical to the in-memory fit of the same rows. Returns the outcome and the family, which
    /// <paramref name="familyFor"/> makes for the source's column count, or, when <paramref name="fromSample"/> is
    /// given, which it makes from the sample together with the weight step and the objective (the variational fit's
    /// priors default to the data's moments: out of core, the sample's).
    /// </summary>
    internal static (FitOutcome<TComponent> Outcome, IComponentFamily<TComponent, TStatistics> Family) FitSourceCore(
        Func<int, IComponentFamily<TComponent, TStatistics>> familyFor,
        MixtureOptions options,
        IWeightStep weightStep,
        RowSource source,
        Func<int, IStartingPoint<TComponent>?>? startFor,
        WarmStart<TComponent>? warm,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken,
        Func<DataMatrix, (IComponentFamily<TComponent, TStatistics> Family, IWeightStep WeightStep, IEmObjective<TComponent, TStatistics>? Objective)>? fromSample = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        IEmObjective<TComponent, TStatistics>? objective = null;
        if (options.Algorithm != FittingAlgorithm.ExpectationMaximization)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {options.Algorithm} is not supported for a fit from a RowSource: the gradient algorithms need the rows in memory. Use FittingAlgorithm.ExpectationMaximization, or load the rows into a DataMatrix."));
        }

        int k = options.ComponentCount;
        bool marginalize = options.MissingValues == MissingValueHandling.Marginalize;
        var feed = new RowFeed(source);
        IComponentFamily<TComponent, TStatistics>? family = null;
        var scan = SourceScan.Run(feed, options, columns =>
        {
            if (fromSample is not null)
            {
                return null;
            }

            family = familyFor(columns);
            if (marginalize)
            {
                RequireMissingValueSupport(family);
            }

            if (columns != family.Dimension)
            {
                ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source has {columns} columns but the family {family.GetType().Name} has dimension {family.Dimension}. Give the family the source's column count."));
            }

            return family as IDataValidator;
        }, cancellationToken);
        if (scan.Rows < k)
        {
            ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source has {scan.Rows} rows but ComponentCount is {k}. Pass at least {k} rows or lower ComponentCount."));
        }

        var sample = InputValidation.TrainingData(scan.Sample, k, nameof(options.SourceSampleRows), options.MissingValues, options.MaxDegreeOfParallelism);
        if (fromSample is not null)
        {
            (family, weightStep, objective) = fromSample(sample);
            if (family.Dimension != scan.Columns)
            {
                ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source has {scan.Columns} columns but the family {family.GetType().Name} has dimension {family.Dimension}. Give the family the source's column count."));
            }
        }

        if (warm is not null && scan.Columns != warm.Components[0].Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source has {scan.Columns} columns but the model was fitted on {warm.Components[0].Dimension}. Pass data with the same columns, in the same order, as the training data."));
        }

        var start = startFor?.Invoke(scan.Columns);
        start?.Check(k, scan.Columns);
        InitialAssignment? givenResponsibilities = null;
        if (options.InitialResponsibilities is not null || options.InitialLabels is not null)
        {
            if (!scan.SampleIsComplete)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"InitialResponsibilities and InitialLabels give one row per training row, but the source has {scan.Rows} rows, more than SourceSampleRows = {options.SourceSampleRows}, so the initialisation sees a sample of them. Raise SourceSampleRows to at least {scan.Rows}, or give a starting point (initial weights and components) instead."));
            }

            givenResponsibilities = ResponsibilityInitializer.FromOptions(options, scan.Rows);
        }

        var settings = new EmSettings(options.Tolerance, options.MaxIterations, options.MaxDegreeOfParallelism);
        var engine = new EmEngine<TComponent, TStatistics>(family!, weightStep, feed, scan.Rows, scan.Columns, k, settings, objective);
        var random = new Random(options.Seed);

        // The initialisers run on the sample in memory, as the in-memory fit runs them on all its rows.
        var initialData = sample.HasMissing ? sample.WithColumnMeansImputed() : sample;
        var initialEngine = new EmEngine<TComponent, TStatistics>(family!, weightStep, initialData, null, k, settings);
        var initializer = new ResponsibilityInitializer(options.Initialization, initialData, null, k, options.MaxDegreeOfParallelism);
        var outcome = Restarts(family!, options, weightStep, null, null, engine, initialEngine, initializer, givenResponsibilities, start, warm, scan.Rows, scan.Rows, random, progress, cancellationToken);
        return (outcome, family!);
    }

    /// <summary>
    /// The distributed fitting recipe (package MixtureModels.Orleans): the rows, <paramref name="rows"/> ×
    /// <paramref name="columns"/>, are held by shards that <paramref name="remote"/> asks for the statistics of the engine's
    /// chunks; the initialisers run in memory on <paramref name="sample"/> (every row, in order, when
    /// <paramref name="sampleIsComplete"/>: then the start, and hence the whole fit, is bit-identical to the in-memory
    /// fit of the same rows). <paramref name="mStepCompleted"/> sees every M-step's merged statistics and components, of
    /// the initialiser's engine and of the fit's. EM only, unweighted; the rest is <see cref="Restarts"/>, as for the other fits.
    /// </summary>
    internal static FitOutcome<TComponent> FitRemoteCore(
        IComponentFamily<TComponent, TStatistics> family,
        MixtureOptions options,
        IWeightStep weightStep,
        IRemoteChunks<TComponent, TStatistics> remote,
        int rows,
        int columns,
        DataMatrix sample,
        bool sampleIsComplete,
        Action<TStatistics[], TComponent[]>? mStepCompleted,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Algorithm != FittingAlgorithm.ExpectationMaximization)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {options.Algorithm} is not supported by a distributed fit: the gradient algorithms need the rows in memory. Use FittingAlgorithm.ExpectationMaximization."));
        }

        int k = options.ComponentCount;
        if (options.MissingValues == MissingValueHandling.Marginalize)
        {
            RequireMissingValueSupport(family);
        }

        if (columns != family.Dimension)
        {
            ThrowHelper.ThrowArgument("rows", string.Create(CultureInfo.InvariantCulture, $"the rows have {columns} columns but the family {family.GetType().Name} has dimension {family.Dimension}. Give the family the rows' column count."));
        }

        if (rows < k)
        {
            ThrowHelper.ThrowArgument("rows", string.Create(CultureInfo.InvariantCulture, $"the rows are {rows} but ComponentCount is {k}. Pass at least {k} rows or lower ComponentCount."));
        }

        var checkedSample = InputValidation.TrainingData(sample, k, nameof(options.SourceSampleRows), options.MissingValues, options.MaxDegreeOfParallelism);
        InitialAssignment? givenResponsibilities = null;
        if (options.InitialResponsibilities is not null || options.InitialLabels is not null)
        {
            if (!sampleIsComplete)
            {
                throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"InitialResponsibilities and InitialLabels give one row per training row, but the data has {rows} rows, more than SourceSampleRows = {options.SourceSampleRows}, so the initialisation sees a sample of them. Raise SourceSampleRows to at least {rows}."));
            }

            givenResponsibilities = ResponsibilityInitializer.FromOptions(options, rows);
        }

        var settings = new EmSettings(options.Tolerance, options.MaxIterations, options.MaxDegreeOfParallelism);
        var engine = new EmEngine<TComponent, TStatistics>(family, weightStep, remote, rows, columns, k, settings) { MStepCompleted = mStepCompleted };
        var random = new Random(options.Seed);
        var initialData = checkedSample.HasMissing ? checkedSample.WithColumnMeansImputed() : checkedSample;
        var initialEngine = new EmEngine<TComponent, TStatistics>(family, weightStep, initialData, null, k, settings) { MStepCompleted = mStepCompleted };
        var initializer = new ResponsibilityInitializer(options.Initialization, initialData, null, k, options.MaxDegreeOfParallelism);
        return Restarts(family, options, weightStep, null, null, engine, initialEngine, initializer, givenResponsibilities, null, null, rows, rows, random, progress, cancellationToken);
    }

    /// <summary>
    /// What a fitted model is made of, given its parameters: the family supplies the parameter count, the factory of
    /// the batched query kernel and the data check. Shared by <see cref="FitCore"/> and by loading a saved model, so a
    /// loaded model queries exactly like the fitted one.
    /// </summary>
    internal static FitOutcome<TComponent> CreateOutcome(
        IComponentFamily<TComponent, TStatistics> family,
        double[] weights,
        TComponent[] components,
        FitReport report,
        int[] labels,
        MissingValueHandling missingValues)
    {
        int k = components.Length;

        // The model builds its query kernel on its first query, so that a fit never holds two kernels' packed parameters.
        Func<IBlockDensityKernel<TComponent>?>? queryKernel = family is IBlockKernelSource<TComponent, TStatistics> source ? () => source.CreateBlockKernel(k) : null;
        return new FitOutcome<TComponent>(weights, components, report, labels, family.ParameterCount(k), missingValues, queryKernel, family as IDataValidator);
    }

    /// <summary>Σ of the checked sample weights in their given scale, or the row count when there are none.</summary>
    private static double TotalOf(double[]? weights, int rows)
    {
        if (weights is null)
        {
            return rows;
        }

        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        return total;
    }

    /// <summary>The effective row counts, responsibility entropy and degeneracy of one run's result (a diagnostic E-step).</summary>
    private static Diagnosis Diagnose(IComponentFamily<TComponent, TStatistics> family, EmEngine<TComponent, TStatistics> engine, EmResult<TComponent> result, CancellationToken cancellationToken)
    {
        var (rowCounts, entropy) = engine.Diagnose(result.Weights, result.Components, cancellationToken);
        var degeneracies = new ComponentDegeneracy[rowCounts.Length];
        DegeneracyRule.Check<TComponent>(family, result.Components, rowCounts, degeneracies);
        return new Diagnosis(rowCounts, entropy, degeneracies);
    }

    /// <summary>
    /// <see cref="Diagnose"/> together with the final E-step of the same run (in one pass): the diagnosis, the run's hard
    /// labels in <paramref name="labels"/> and its mean log-likelihood.
    /// </summary>
    private static (Diagnosis Diagnosis, double MeanLogLikelihood) DiagnoseAndEvaluate(IComponentFamily<TComponent, TStatistics> family, EmEngine<TComponent, TStatistics> engine, EmResult<TComponent> result, int[] labels, CancellationToken cancellationToken)
    {
        var (rowCounts, entropy, logLikelihood) = engine.DiagnoseAndEvaluate(result.Weights, result.Components, labels, cancellationToken);
        var degeneracies = new ComponentDegeneracy[rowCounts.Length];
        DegeneracyRule.Check<TComponent>(family, result.Components, rowCounts, degeneracies);
        return (new Diagnosis(rowCounts, entropy, degeneracies), logLikelihood);
    }

    /// <summary>What <see cref="Diagnose"/> found about one run.</summary>
    private sealed record Diagnosis(double[] RowCounts, double MeanEntropy, ComponentDegeneracy[] Degeneracies)
    {
        public bool IsDegenerate { get; } = Array.Exists(Degeneracies, d => d != ComponentDegeneracy.None);
    }

    /// <summary>Throws a <see cref="NotSupportedException"/> when the family's components or statistics do not handle missing entries.</summary>
    internal static void RequireMissingValueSupport(IComponentFamily<TComponent, TStatistics> family)
    {
        if (!typeof(IMissingValueComponent).IsAssignableFrom(typeof(TComponent)) || !typeof(IMissingValueStatistics).IsAssignableFrom(typeof(TStatistics)))
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"MissingValues = Marginalize needs components that implement IMissingValueComponent and statistics that implement IMissingValueStatistics; {family.GetType().Name} ({typeof(TComponent).Name}, {typeof(TStatistics).Name}) does not. Remove or impute the missing values, or use MissingValueHandling.Reject."));
        }
    }

    /// <summary>Runs the chosen algorithm from one start.</summary>
    private static EmResult<TComponent> Optimize(
        IComponentFamily<TComponent, TStatistics> family,
        IWeightStep weightStep,
        DataMatrix? data,
        double[]? sampleWeights,
        MixtureOptions options,
        EmEngine<TComponent, TStatistics> engine,
        double[] startWeights,
        TComponent[] startComponents,
        double previousBound,
        int initialization,
        IProgress<FitProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (options.Algorithm == FittingAlgorithm.ExpectationMaximization)
        {
            return engine.Run(startWeights, startComponents, previousBound, initialization, progress, cancellationToken);
        }

        var gradient = options.Gradient ?? new GradientOptions();
        var gradientSettings = new GradientSettings(
            options.Algorithm == FittingAlgorithm.Adam ? GradientMethod.Adam : GradientMethod.Lbfgs,
            options.MaxIterations,
            gradient.GradientTolerance,
            gradient.RelativeTolerance,
            gradient.LearningRate,
            gradient.BatchRows,
            options.MaxDegreeOfParallelism,
            options.Seed + initialization);
        if (options.Algorithm != FittingAlgorithm.ExpectationMaximizationThenLbfgs)
        {
            return GradientFitter.Fit(family, weightStep, data!, sampleWeights, startWeights, startComponents, gradientSettings, initialization, progress, cancellationToken);
        }

        // EM first, then the polish continues its history.
        var em = engine.Run(startWeights, startComponents, previousBound, initialization, progress, cancellationToken);
        var polished = GradientFitter.Fit(family, weightStep, data!, sampleWeights, em.Weights, em.Components, gradientSettings, initialization, progress, cancellationToken, em.Iterations, em.LowerBound);
        return polished with
        {
            Iterations = em.Iterations + polished.Iterations,
            LowerBoundHistory = [.. em.LowerBoundHistory, .. polished.LowerBoundHistory],
        };
    }

    /// <summary>
    /// What a restart is judged by: the lower bound (mean log-likelihood), plus (log p(θ) + log p(π)) / W when the family
    /// or the weight step has a prior, the objective both EM and the gradient algorithms maximise.
    /// </summary>
    private static double Score(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, EmResult<TComponent> result, double totalWeight)
    {
        double logPrior = LogPriorOf(family, weightStep, result);
        return logPrior == 0 ? result.LowerBound : result.LowerBound + (logPrior / totalWeight);
    }

    /// <summary>log p(θ) + log p(π) of a result's parameters (0 without a prior).</summary>
    private static double LogPriorOf(IComponentFamily<TComponent, TStatistics> family, IWeightStep weightStep, EmResult<TComponent> result)
    {
        double logPrior = family is IComponentPrior<TComponent> prior ? prior.LogPrior(result.Components) : 0;
        return logPrior + weightStep.AddLogPrior(result.Weights, 0, new double[result.Weights.Length]);
    }
}
