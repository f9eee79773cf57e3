using MixtureModels.Components;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Online (stepwise) EM for any component family (Cappé &amp; Moulines, 2009): for data that arrives over time, or that is
/// too large for a batch fit, <see cref="PartialFit"/> absorbs one block of rows at a time into running sufficient
/// statistics, S ← (1 − ρ_t)·S + ρ_t·s_block with ρ_t = (t + t0)^−α (<see cref="OnlineMixtureOptions"/>), followed by the
/// M-step; <see cref="Fit"/> runs minibatch EM epochs over a re-enumerable source of blocks. The family's statistics must
/// implement <see cref="IScalableStatistics"/> (every built-in family's do).
/// </summary>
/// <remarks>
/// <para>
/// Initialisation: the first block initialises the fit — unless <see cref="Start"/> gives both weights and components, a
/// batch fit of the first block with <see cref="MixtureOptions"/> (initialisation method, restarts, iteration limit,
/// seed; a partial start replaces what it gives) — and is then absorbed as the first step with ρ = 1. With a complete
/// start the first block is absorbed from it directly, so one <see cref="PartialFit"/> of the whole data from a start is
/// exactly one batch EM iteration from that start.
/// </para>
/// <para>
/// Each block's E-step and statistics are the engine's own pass (the same blocked, parallel, thread-count independent
/// path and family kernels as a batch fit). Each block counts alike whatever its size: its statistics are scaled to
/// <see cref="OnlineMixtureOptions.NominalBlockWeight"/> first. A block that fails to be absorbed (invalid rows, a
/// covariance that collapsed, cancellation) leaves the estimator unchanged. The model after any number of blocks is an
/// ordinary immutable <see cref="FittedMixtureModel{TComponent}"/>; its report's <see cref="FitReport.IterationCount"/>
/// is the number of blocks absorbed, its lower-bound history the mean log-likelihood of each block (the last
/// <see cref="HistoryLength"/>) under the parameters before that block's M-step, and, as online EM keeps no training set,
/// it has no training labels and its training log-likelihood and weight are NaN (compute criteria from data, for example
/// <c>model.BayesianInformationCriterion(data)</c>). Not meant to be used from several threads at once.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var online = new OnlineMixtureEstimator&lt;VonMisesComponent, VonMisesStatistics&gt;(new VonMisesFamily(), new MixtureOptions { ComponentCount = 3 });
/// foreach (DataMatrix block in arrivingBlocks)
/// {
///     FittedMixtureModel&lt;VonMisesComponent&gt; model = online.PartialFit(block);
/// }
/// </code>
/// </example>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The family's statistics type, implementing <see cref="IScalableStatistics"/>.</typeparam>
public sealed class OnlineMixtureEstimator<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly OnlineEm<TComponent, TStatistics> _state;
    private FittedMixtureModel<TComponent>? _model;

    /// <summary>Creates the estimator.</summary>
    /// <param name="family">The component family (its dimension must equal the blocks' column count).</param>
    /// <param name="options">The mixture settings (component count, missing values, parallelism, and how the first block initialises the fit).</param>
    /// <param name="online">The step-size schedule and block scale; null for the defaults.</param>
    /// <param name="weightStep">How the weights are estimated; null for maximum likelihood.</param>
    /// <exception cref="ArgumentNullException"><paramref name="family"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    /// <exception cref="NotSupportedException">The statistics type does not implement <see cref="IScalableStatistics"/>.</exception>
    public OnlineMixtureEstimator(IComponentFamily<TComponent, TStatistics> family, MixtureOptions options, OnlineMixtureOptions? online = null, IWeightStep? weightStep = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateShared();
        online ??= new OnlineMixtureOptions();
        online.Validate();
        Family = family;
        Options = options;
        OnlineOptions = online;
        _state = new OnlineEm<TComponent, TStatistics>(family, options, online, weightStep ?? MaximumLikelihoodWeights.Instance);
    }

    /// <summary>How many of the last blocks' mean log-likelihoods the model's report keeps.</summary>
    public const int HistoryLength = OnlineEm<TComponent, TStatistics>.HistoryLength;

    /// <summary>The component family.</summary>
    public IComponentFamily<TComponent, TStatistics> Family { get; }

    /// <summary>The mixture settings.</summary>
    public MixtureOptions Options { get; }

    /// <summary>The step-size schedule and block scale.</summary>
    public OnlineMixtureOptions OnlineOptions { get; }

    /// <summary>Optional starting weights and/or components for the first block (see the remarks on initialisation).</summary>
    public MixtureStart<TComponent>? Start { get; init; }

    /// <summary>t: the number of blocks absorbed since the start (or the last <see cref="Reset"/>).</summary>
    public long BlockCount => _state.BlockCount;

    /// <summary>The model after the last absorbed block.</summary>
    /// <exception cref="NotFittedException">No block has been absorbed yet.</exception>
    public FittedMixtureModel<TComponent> FittedModel => _model ?? throw new NotFittedException(nameof(OnlineMixtureEstimator<TComponent, TStatistics>));

    /// <summary>Absorbs one block of rows: its E-step under the current model, the interpolation of the running statistics, the M-step.</summary>
    /// <param name="block">The block's rows: at least one (at least K for the first block unless <see cref="Start"/> is complete), the family's column count. Not modified.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row of the block; only their ratios within the block matter.</param>
    /// <param name="progress">Optional callback after the block: iteration = t, lower bound = the block's mean log-likelihood before the M-step. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between chunks of rows; the estimator is then unchanged.</param>
    /// <returns>The model after this block (also <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
    /// <exception cref="ArgumentException">The block is empty, has another column count, or holds invalid values (NaN only with <see cref="MissingValueHandling.Marginalize"/>); the weights are invalid.</exception>
    /// <exception cref="NotSupportedException">Missing values were asked of a family without that capability.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance collapsed; the block was not absorbed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the block was not absorbed.</exception>
    public FittedMixtureModel<TComponent> PartialFit(DataMatrix block, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var outcome = _state.PartialFit(block, sampleWeights, Start, progress, cancellationToken);
        _model = new FittedMixtureModel<TComponent>(outcome);
        return _model;
    }

    /// <summary>
    /// Minibatch EM epochs: forgets any previous state, then runs <paramref name="epochs"/> passes over
    /// <paramref name="source"/>, absorbing every block it yields with <see cref="PartialFit"/> (t keeps counting across passes).
    /// </summary>
    /// <param name="source">A source of blocks that can be enumerated once per pass (an out-of-core row source, or a list of blocks).</param>
    /// <param name="epochs">Passes over the source, at least 1 (default 2).</param>
    /// <param name="progress">Optional callback after every block. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between chunks of rows and between blocks.</param>
    /// <returns>The model after the last block.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A pass yields no block or a null block, or a block is invalid (see <see cref="PartialFit"/>).</exception>
    public FittedMixtureModel<TComponent> Fit(IEnumerable<DataMatrix> source, int epochs = 2, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        _model = null;
        var outcome = _state.Fit(source, epochs, Start, progress, cancellationToken);
        _model = new FittedMixtureModel<TComponent>(outcome);
        return _model;
    }

    /// <summary>Forgets the running statistics and the model: the next block initialises the fit again.</summary>
    public void Reset()
    {
        _state.Reset();
        _model = null;
    }
}
