using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Online (stepwise) EM for a Gaussian mixture: <see cref="OnlineMixtureEstimator{TComponent, TStatistics}"/> with the
/// <see cref="GaussianFamily"/> of <see cref="GaussianMixtureOptions"/>, returning <see cref="GaussianMixtureModel"/>s
/// (which can be saved, conditioned and queried like a batch fit's). The first block initialises the fit as
/// <see cref="GaussianMixture.Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> would on it (k-means, restarts, <see cref="GaussianMixtureOptions.InitialMeans"/> and
/// the other starting parameters), unless the starting weights, means and precisions are all given: then the first block
/// is absorbed from them directly. See <see cref="OnlineMixtureEstimator{TComponent, TStatistics}"/> for the step and the report.
/// </summary>
/// <example>
/// <code>
/// var online = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = 5 }, new OnlineMixtureOptions { StepSizeExponent = 0.7 });
/// GaussianMixtureModel model = online.Fit(blocks, epochs: 2);   // blocks: IEnumerable&lt;DataMatrix&gt;, re-enumerable
/// </code>
/// </example>
public sealed class OnlineGaussianMixture
{
    private OnlineEm<GaussianComponent, GaussianStatistics>? _state;
    private GaussianFamily? _family;
    private GaussianMixtureModel? _model;

    /// <summary>Creates the estimator.</summary>
    /// <param name="options">The Gaussian mixture settings; validated here.</param>
    /// <param name="online">The step-size schedule and block scale; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public OnlineGaussianMixture(GaussianMixtureOptions options, OnlineMixtureOptions? online = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        online ??= new OnlineMixtureOptions();
        online.Validate();
        Options = options;
        OnlineOptions = online;
    }

    /// <summary>Creates the estimator for <paramref name="componentCount"/> full-covariance components, with the other settings and the step-size schedule at their defaults (for another covariance type pass <see cref="GaussianMixtureOptions"/>).</summary>
    /// <param name="componentCount">K ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is below 1; the message names it and the fix.</exception>
    public OnlineGaussianMixture(int componentCount)
        : this(new GaussianMixtureOptions { ComponentCount = componentCount })
    {
    }

    /// <summary>The Gaussian mixture settings.</summary>
    public GaussianMixtureOptions Options { get; }

    /// <summary>The step-size schedule and block scale.</summary>
    public OnlineMixtureOptions OnlineOptions { get; }

    /// <summary>t: the number of blocks absorbed since the start (or the last <see cref="Reset"/>).</summary>
    public long BlockCount => _state?.BlockCount ?? 0;

    /// <summary>The model after the last absorbed block.</summary>
    /// <exception cref="NotFittedException">No block has been absorbed yet.</exception>
    public GaussianMixtureModel FittedModel => _model ?? throw new NotFittedException(nameof(OnlineGaussianMixture));

    /// <summary>Absorbs one block of rows (see <see cref="OnlineMixtureEstimator{TComponent, TStatistics}.PartialFit"/>).</summary>
    /// <param name="block">The block's rows: at least one (at least K for the first), the column count of the first block. Not modified.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row of the block.</param>
    /// <param name="progress">Optional callback after the block. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between chunks of rows; the estimator is then unchanged.</param>
    /// <returns>The model after this block (also <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="block"/> is null.</exception>
    /// <exception cref="ArgumentException">The block is empty, has another column count or invalid values, or the weights are invalid.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance collapsed; the block was not absorbed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the block was not absorbed.</exception>
    public GaussianMixtureModel PartialFit(DataMatrix block, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        var state = State(block.Columns);
        var start = state.HasModel ? null : GaussianStartingPoint.Parse(Options, block.Columns);
        var outcome = state.PartialFit(block, sampleWeights, start, progress, cancellationToken);
        _model = new GaussianMixtureModel(outcome, _family!);
        return _model;
    }

    /// <summary>Minibatch EM epochs over a re-enumerable source (see <see cref="OnlineMixtureEstimator{TComponent, TStatistics}.Fit"/>).</summary>
    /// <param name="source">A source of blocks that can be enumerated once per pass.</param>
    /// <param name="epochs">Passes over the source, at least 1 (default 2).</param>
    /// <param name="progress">Optional callback after every block. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between chunks of rows and between blocks.</param>
    /// <returns>The model after the last block.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A pass yields no block or a null block, or a block is invalid.</exception>
    public GaussianMixtureModel Fit(IEnumerable<DataMatrix> source, int epochs = 2, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Reset();
        OnlineEm<GaussianComponent, GaussianStatistics>.ForEachBlock(source, epochs, block => PartialFit(block, null, progress, cancellationToken));
        return _model!;
    }

    /// <summary>Forgets the running statistics and the model: the next block initialises the fit again.</summary>
    public void Reset()
    {
        _state = null;
        _family = null;
        _model = null;
    }

    private OnlineEm<GaussianComponent, GaussianStatistics> State(int columns)
    {
        if (_state is null)
        {
            _family = GaussianFamily.Create(Options.CovarianceType, Math.Max(columns, 1), Options.CovarianceRegularization, Options.CovariancePrior);
            _state = new OnlineEm<GaussianComponent, GaussianStatistics>(_family, Options, OnlineOptions, Options.WeightPrior ?? (IWeightStep)MaximumLikelihoodWeights.Instance);
        }

        return _state;
    }
}
