using MixtureModels.Components.StudentT;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Fits a mixture of multivariate Student-t distributions by EM (Peel and McLachlan 2000): robust clustering, in which
/// rows far from every component get small expected weights u and pull the locations and scales little. A preset on
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/> with a <see cref="StudentTFamily"/>.
/// </summary>
/// <remarks>
/// The estimator holds settings and, after <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>, the last fitted model (used by warm start). It is not
/// meant to be fitted from several threads at once; the returned <see cref="StudentTMixtureModel"/> is immutable and
/// may be shared freely. With <see cref="MixtureOptions.MissingValues"/> = Marginalize, NaN marks a missing entry: EM
/// uses the t marginal of each row's observed entries and the expected statistics of the missing ones (McLachlan and
/// Peel's ECM), and the model can impute. The gradient algorithms (<see cref="MixtureOptions.Algorithm"/>) optimise
/// log ν alongside the locations and scales (see <see cref="StudentTFamily"/>).
/// </remarks>
/// <example>
/// <code>
/// var tm = new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 3 });
/// StudentTMixtureModel model = tm.Fit(data);
/// double[] u = model.ExpectedRowWeights(data); // small values flag outliers
/// </code>
/// </example>
public sealed class StudentTMixture
{
    private StudentTMixtureModel? _fitted;

    /// <summary>Creates the estimator with the given settings.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public StudentTMixture(StudentTMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>Creates the estimator with default settings and <paramref name="componentCount"/> components.</summary>
    /// <param name="componentCount">K, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="componentCount"/> is less than 1.</exception>
    public StudentTMixture(int componentCount)
        : this(new StudentTMixtureOptions { ComponentCount = componentCount })
    {
    }

    /// <summary>The settings.</summary>
    public StudentTMixtureOptions Options { get; }

    /// <summary>The model returned by the last successful <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.</summary>
    /// <exception cref="NotFittedException"><see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> has not been called yet.</exception>
    public StudentTMixtureModel FittedModel => _fitted ?? throw new NotFittedException(nameof(StudentTMixture));

    /// <summary>
    /// Fits the mixture to the rows of <paramref name="data"/>: for each of <see cref="MixtureOptions.InitializationCount"/>
    /// initialisations, EM until the mean log-likelihood changes by less than the tolerance or the iteration limit; the
    /// initialisation with the largest log-likelihood is kept, and a final E-step labels the training rows.
    /// </summary>
    /// <param name="data">N × D data, N ≥ K, finite (NaN marks a missing entry with MissingValues = Marginalize). Not modified.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row; only their ratios matter, and integer weights are equivalent to repeating rows.</param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between blocks of rows and between iterations.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data, weights or starting point are invalid; the message names which and why.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A scale matrix collapsed; increase the regularisation, use fewer components or scale the data.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public StudentTMixtureModel Fit(DataMatrix data, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var family = new StudentTFamily(Math.Max(data.Columns, 1), Options.CovarianceRegularization, Options.DegreesOfFreedom, Options.DegreesOfFreedomEstimation, Options.CovarianceType);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var outcome = MixtureEstimator<StudentTComponent, StudentTStatistics>.FitCore(
            family, Options, MaximumLikelihoodWeights.Instance, data, sampleWeights, _ => Options.Start, warm, progress, cancellationToken);
        _fitted = new StudentTMixtureModel(outcome, family);
        return _fitted;
    }

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>, read once per pass: equivalent to
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.
    /// </summary>
    /// <param name="source">N × D rows, finite (NaN marks a missing entry with MissingValues = Marginalize), N ≥ K; read once to count, check and sample, then once per pass.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    public StudentTMixtureModel Fit(RowSource source) => Fit(source, null, CancellationToken.None);

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
    /// <param name="source">N × D rows, finite (NaN marks a missing entry with MissingValues = Marginalize), N ≥ K; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between batches of rows and between iterations, and stops the reading of the source.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A scale matrix collapsed; increase the regularisation, use fewer components or scale the data.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public StudentTMixtureModel Fit(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var (outcome, family) = MixtureEstimator<StudentTComponent, StudentTStatistics>.FitSourceCore(
            d => new StudentTFamily(d, Options.CovarianceRegularization, Options.DegreesOfFreedom, Options.DegreesOfFreedomEstimation, Options.CovarianceType), Options, MaximumLikelihoodWeights.Instance, source, _ => Options.Start, warm, progress, cancellationToken);
        _fitted = new StudentTMixtureModel(outcome, (StudentTFamily)family);
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
    public Task<StudentTMixtureModel> FitAsync(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Task.Run(() => Fit(source, progress, cancellationToken), cancellationToken);
    }
}
