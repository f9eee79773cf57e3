using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The state and step of online (stepwise) EM (Cappé &amp; Moulines, 2009), shared by the generic and the Gaussian online
/// estimators. Each block goes through the engine's own pass (<see cref="EmEngine{TComponent, TStatistics}.Statistics"/>:
/// the one blocked, parallel E-step path and the families' kernels), which gives the block's K merged statistics centred
/// on the current components, exactly as one batch EM iteration computes them. They are scaled to the nominal block
/// weight and by ρ_t, the running statistics (scaled by 1 − ρ_t) are merged into them, and the family's M-step and the
/// weight step turn the result into the new parameters. The state changes only when a block has been absorbed whole: a
/// block that fails (bad data, a collapsed covariance, cancellation) leaves the estimator as it was.
/// </summary>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The statistics type; it must implement <see cref="IScalableStatistics"/>.</typeparam>
internal sealed class OnlineEm<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    /// <summary>How many of the last blocks' mean log-likelihoods the report keeps.</summary>
    public const int HistoryLength = 1000;

    private readonly IComponentFamily<TComponent, TStatistics> _family;
    private readonly MixtureOptions _options;
    private readonly OnlineMixtureOptions _online;
    private readonly IWeightStep _weightStep;
    private readonly List<double> _history = [];
    private double[]? _weights;
    private TComponent[]? _components;
    private TStatistics[]? _running;
    private double _nominalWeight;
    private double _initialBound;

    public OnlineEm(IComponentFamily<TComponent, TStatistics> family, MixtureOptions options, OnlineMixtureOptions online, IWeightStep weightStep)
    {
        if (!typeof(IScalableStatistics).IsAssignableFrom(typeof(TStatistics)))
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Online EM interpolates running statistics, which needs statistics that implement IScalableStatistics; {typeof(TStatistics).Name} does not. Implement IScalableStatistics.Scale on it, or fit in batch with MixtureEstimator."));
        }

        _family = family;
        _options = options;
        _online = online;
        _weightStep = weightStep;
    }

    /// <summary>t: the number of blocks absorbed since the start (or the last reset).</summary>
    public long BlockCount { get; private set; }

    /// <summary>Whether at least one block has been absorbed.</summary>
    public bool HasModel => _components is not null;

    /// <summary>Forgets everything: the next block initialises the fit again.</summary>
    public void Reset()
    {
        _weights = null;
        _components = null;
        _running = null;
        _history.Clear();
        BlockCount = 0;
    }

    /// <summary>Absorbs one block and returns the outcome after its M-step.</summary>
    /// <param name="block">The block's rows.</param>
    /// <param name="sampleWeights">Optional weight per row of the block.</param>
    /// <param name="start">The user's start (used by the first block only), or null.</param>
    /// <param name="progress">Reported once per block. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Checked between blocks of rows.</param>
    public FitOutcome<TComponent> PartialFit(DataMatrix block, double[]? sampleWeights, IStartingPoint<TComponent>? start, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        cancellationToken.ThrowIfCancellationRequested();
        int k = _options.ComponentCount;
        bool marginalize = _options.MissingValues == MissingValueHandling.Marginalize;
        if (marginalize)
        {
            MixtureEstimator<TComponent, TStatistics>.RequireMissingValueSupport(_family);
        }

        if (block.Rows == 0)
        {
            ThrowHelper.ThrowArgument(nameof(block), "block has no rows. Pass a block with at least one row (skip empty blocks).");
        }

        if (block.Columns != _family.Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(block), string.Create(CultureInfo.InvariantCulture, $"block has {block.Columns} columns but the family {_family.GetType().Name} has dimension {_family.Dimension}. Pass blocks with the columns of the first block."));
        }

        bool first = _components is null;
        bool fitFirst = first && start is not { IsComplete: true };
        var data = InputValidation.TrainingData(block, fitFirst ? k : 1, nameof(MixtureOptions.ComponentCount), _options.MissingValues, _options.MaxDegreeOfParallelism);
        (_family as IDataValidator)?.Validate(data, nameof(block), marginalize);
        var checkedWeights = InputValidation.SampleWeights(sampleWeights, data.Rows);

        double[] weights;
        TComponent[] components;
        double initialBound = _initialBound;
        if (!first)
        {
            (weights, components) = (_weights!, _components!);
        }
        else if (!fitFirst)
        {
            start!.Check(k, data.Columns);
            (weights, components) = start.Complete();
            initialBound = double.NaN;
        }
        else
        {
            // The first block initialises the fit: a batch fit of it with the estimator's initialisation, restarts and
            // iteration limit (a partial user start replaces what it gives), then the block is absorbed as the first step.
            var outcome = MixtureEstimator<TComponent, TStatistics>.FitCore(_family, _options, _weightStep, data, sampleWeights, _ => start, null, null, cancellationToken);
            (weights, components) = (outcome.Weights, outcome.Components);
            initialBound = outcome.Report.LowerBound;
        }

        // The engine's pass over the block: E-step and the K merged statistics, centred on the current components.
        var settings = new EmSettings(_options.Tolerance, _options.MaxIterations, _options.MaxDegreeOfParallelism);
        var engine = new EmEngine<TComponent, TStatistics>(_family, _weightStep, data, checkedWeights, k, settings);
        var (meanLogLikelihood, statistics) = engine.Statistics(weights, components, cancellationToken);
        double nominal = first ? _online.NominalBlockWeight ?? engine.TotalWeight : _nominalWeight;
        double rho = first ? 1 : _online.StepSize(BlockCount);
        double factor = rho * (nominal / engine.TotalWeight);
        if (factor != 1)
        {
            foreach (var s in statistics)
            {
                ((IScalableStatistics)s).Scale(factor);
            }
        }

        if (rho < 1)
        {
            for (int j = 0; j < k; j++)
            {
                // A copy of the running statistics, so that a failed M-step leaves them as they were.
                var previous = _family.CreateStatistics(null);
                previous.Merge(_running![j]);
                ((IScalableStatistics)previous).Scale(1 - rho);
                statistics[j].Merge(previous);
            }
        }

        var newComponents = new TComponent[k];
        _family.Estimate(statistics, newComponents);
        var totals = new double[k];
        for (int j = 0; j < k; j++)
        {
            totals[j] = statistics[j].TotalWeight;
        }

        var newWeights = new double[k];
        _weightStep.Estimate(totals, newWeights);

        // The block is absorbed: commit.
        double change = _history.Count == 0 ? double.NaN : meanLogLikelihood - _history[^1];
        _weights = newWeights;
        _components = newComponents;
        _running = statistics;
        _nominalWeight = nominal;
        _initialBound = initialBound;
        BlockCount++;
        if (_history.Count == HistoryLength)
        {
            _history.RemoveAt(0);
        }

        _history.Add(meanLogLikelihood);
        progress?.Report(new FitProgress(0, (int)Math.Min(BlockCount, int.MaxValue), meanLogLikelihood, change));
        return Outcome(totals);
    }

    /// <summary>Runs <paramref name="epochs"/> passes over <paramref name="source"/>, block by block, from a fresh start.</summary>
    public FitOutcome<TComponent> Fit(IEnumerable<DataMatrix> source, int epochs, IStartingPoint<TComponent>? start, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        Reset();
        FitOutcome<TComponent>? outcome = null;
        ForEachBlock(source, epochs, block => outcome = PartialFit(block, null, start, progress, cancellationToken));
        return outcome!;
    }

    /// <summary>Calls <paramref name="absorb"/> on every block of <paramref name="epochs"/> passes over <paramref name="source"/>; every pass must yield a block, and no block may be null.</summary>
    public static void ForEachBlock(IEnumerable<DataMatrix> source, int epochs, Action<DataMatrix> absorb)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentChecks.AtLeast(epochs, 1, nameof(epochs), "Run at least one pass over the source.");
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            int index = 0;
            foreach (var block in source)
            {
                if (block is null)
                {
                    ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source yielded null as block {index} of pass {epoch}. Yield DataMatrix blocks."));
                }

                absorb(block);
                index++;
            }

            if (index == 0)
            {
                ThrowHelper.ThrowArgument(nameof(source), string.Create(CultureInfo.InvariantCulture, $"source yielded no blocks in pass {epoch}. Pass a source that yields at least one block and can be enumerated once per pass."));
            }
        }
    }

    private FitOutcome<TComponent> Outcome(double[] totals)
    {
        // Online EM keeps no training set: no training labels, and the training log-likelihood and weight are unknown
        // (NaN), so the information criteria need data (BayesianInformationCriterion(data)).
        var report = new FitReport
        {
            Converged = false,
            IterationCount = (int)Math.Min(BlockCount, int.MaxValue),
            LowerBound = _history[^1],
            LowerBoundHistory = _history.ToArray(),
            InitializationLowerBounds = [_initialBound],
            BestInitialization = 0,
            TrainingLogLikelihood = double.NaN,
            Seed = _options.Seed,
        };
        return MixtureEstimator<TComponent, TStatistics>.CreateOutcome(_family, (double[])_weights!.Clone(), (TComponent[])_components!.Clone(), report, [], _options.MissingValues) with { ResponsibilityTotals = totals };
    }
}
