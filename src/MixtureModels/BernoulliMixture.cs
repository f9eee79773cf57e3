using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Fits a mixture of multivariate Bernoulli distributions to binary rows by EM (for example binarised images or
/// presence/absence tables): p(x) = Σ_k π_k Π_d φ_kd^x_d (1 − φ_kd)^(1−x_d). A preset on
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/> with a <see cref="BernoulliFamily"/>.
/// </summary>
/// <remarks>
/// The estimator holds settings and, after <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>, the last fitted model (used by warm start). It is not
/// meant to be fitted from several threads at once; the returned <see cref="BernoulliMixtureModel"/> is immutable.
/// </remarks>
/// <example>
/// <code>
/// var model = new BernoulliMixture(10).Fit(binaryImages);
/// int[] clusters = model.Predict(binaryImages);
/// </code>
/// </example>
public sealed class BernoulliMixture
{
    private BernoulliMixtureModel? _fitted;

    /// <summary>Creates the estimator with the given settings.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public BernoulliMixture(BernoulliMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>Creates the estimator with default settings for everything but the component count.</summary>
    /// <param name="componentCount">K, at least 1.</param>
    public BernoulliMixture(int componentCount)
        : this(new BernoulliMixtureOptions { ComponentCount = componentCount })
    {
    }

    /// <summary>The settings.</summary>
    public BernoulliMixtureOptions Options { get; }

    /// <summary>The model returned by the last successful <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.</summary>
    /// <exception cref="NotFittedException"><see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> has not been called yet.</exception>
    public BernoulliMixtureModel FittedModel => _fitted ?? throw new NotFittedException(nameof(BernoulliMixture));

    /// <summary>
    /// Fits the mixture to the binary rows of <paramref name="data"/>: for each of
    /// <see cref="MixtureOptions.InitializationCount"/> initialisations, EM until the lower bound changes by less than the
    /// tolerance or the iteration limit; the initialisation with the largest lower bound is kept.
    /// </summary>
    /// <param name="data">N × D data of zeros and ones, N ≥ K. Not modified.</param>
    /// <param name="sampleWeights">
    /// Optional non-negative weight per row. Only their ratios matter (they are rescaled to average 1, so weights × c give
    /// the same fit); without a prior, integer weights are equivalent to repeating rows. A prior's pseudo-observations
    /// count in units of the average weight.
    /// </param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between blocks of rows and between iterations.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data is not binary, or the weights or starting parameters are invalid.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public BernoulliMixtureModel Fit(DataMatrix data, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var family = new BernoulliFamily(Math.Max(data.Columns, 1), Options.Priors);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var outcome = MixtureEstimator<BernoulliComponent, BernoulliStatistics>.FitCore(
            family, Options, MaximumLikelihoodWeights.Instance, data, sampleWeights, d => BernoulliStartingPoint.Parse(Options, d), warm, progress, cancellationToken);
        _fitted = new BernoulliMixtureModel(outcome, family);
        return _fitted;
    }

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>, read once per pass: equivalent to
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.
    /// </summary>
    /// <param name="source">N × D rows, zeros and ones, N ≥ K; read once to count, check and sample, then once per pass.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    public BernoulliMixtureModel Fit(RowSource source) => Fit(source, null, CancellationToken.None);

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>, read block by block once per pass, in
    /// O(batch + K·statistics) memory (plus the initialisation sample and 4 bytes of label per row). A first pass counts and
    /// checks the rows and draws a uniform reservoir sample of <see cref="MixtureOptions.SourceSampleRows"/> rows, on which
    /// the initialisation (k-means by default) runs; EM then reads the source once per iteration, a diagnosis once per
    /// initialisation and the final labels once. The rows are cut into the same chunks and blocks as in memory, whatever
    /// the source's blocks, so when N ≤ <see cref="MixtureOptions.SourceSampleRows"/> the result (parameters, lower
    /// bounds, iterations, labels, report) is bit-identical to <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>
    /// on the same rows. EM only (no gradient algorithm), no sample weights.
    /// </summary>
    /// <param name="source">N × D rows, zeros and ones, N ≥ K; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between batches of rows and between iterations, and stops the reading of the source.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public BernoulliMixtureModel Fit(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var (outcome, family) = MixtureEstimator<BernoulliComponent, BernoulliStatistics>.FitSourceCore(
            d => new BernoulliFamily(d, Options.Priors), Options, MaximumLikelihoodWeights.Instance, source, d => BernoulliStartingPoint.Parse(Options, d), warm, progress, cancellationToken);
        _fitted = new BernoulliMixtureModel(outcome, (BernoulliFamily)family);
        return _fitted;
    }

    /// <summary>
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> on a thread-pool thread, for callers that
    /// must not block (an asynchronous source is read by its own task either way).
    /// </summary>
    /// <param name="source">N × D rows; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every EM iteration, called synchronously on the fitting thread.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public Task<BernoulliMixtureModel> FitAsync(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Task.Run(() => Fit(source, progress, cancellationToken), cancellationToken);
    }
}
