using MixtureModels.Components.Product;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Fits a mixture whose components are products of independent marginals, one per group of columns (normal,
/// Bernoulli, categorical, Poisson, or a Gaussian block with its own covariance type), so that one model clusters a
/// table with real, binary, categorical and count columns: p(x) = Σ_k π_k Π_m p_km(x[columns_m]). A preset on
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/> with a <see cref="ProductFamily"/>.
/// </summary>
/// <remarks>
/// The estimator holds settings and, after <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>, the last fitted model (used by warm start). It is not
/// meant to be fitted from several threads at once; the returned <see cref="ProductMixtureModel"/> is immutable.
/// </remarks>
/// <example>
/// <code>
/// var options = new ProductMixtureOptions
/// {
///     ComponentCount = 3,
///     Marginals = [Marginal.Gaussian([0, 1]), Marginal.Bernoulli([2]), Marginal.Categorical(3, levelCount: 4), Marginal.Poisson(4)],
/// };
/// ProductMixtureModel model = new ProductMixture(options).Fit(table);
/// </code>
/// </example>
public sealed class ProductMixture
{
    private readonly MixtureStart<ProductComponent>? _start;
    private ProductMixtureModel? _fitted;

    /// <summary>Creates the estimator with the given settings.</summary>
    /// <param name="options">
    /// Settings; validated here, including the starting point (<see cref="ProductMixtureOptions.InitialWeights"/>,
    /// <see cref="ProductMixtureOptions.InitialMarginals"/>) against the marginals. The marginals' columns are checked
    /// against the data in <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.
    /// </param>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public ProductMixture(ProductMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;

        // When the marginals cover every data column exactly once (checked in Fit), D is their total column count.
        _start = ProductStartingPoint.Parse(options, options.Marginals.Sum(m => m?.Columns.Count ?? 0));
    }

    /// <summary>Creates the estimator with default settings for everything but the component count and the marginals.</summary>
    /// <param name="componentCount">K, at least 1.</param>
    /// <param name="marginals">One marginal per column group, in column order (see <see cref="ProductMixtureOptions.Marginals"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="marginals"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public ProductMixture(int componentCount, IReadOnlyList<Marginal> marginals)
        : this(new ProductMixtureOptions { ComponentCount = componentCount, Marginals = marginals })
    {
    }

    /// <summary>The settings.</summary>
    public ProductMixtureOptions Options { get; }

    /// <summary>The model returned by the last successful <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.</summary>
    /// <exception cref="NotFittedException"><see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> has not been called yet.</exception>
    public ProductMixtureModel FittedModel => _fitted ?? throw new NotFittedException(nameof(ProductMixture));

    /// <summary>
    /// Fits the mixture to the rows of <paramref name="data"/>: for each of <see cref="MixtureOptions.InitializationCount"/>
    /// initialisations, EM until the lower bound changes by less than the tolerance or the iteration limit; the
    /// initialisation with the largest lower bound is kept. Each initialisation starts from the options'
    /// <see cref="ProductMixtureOptions.InitialWeights"/> and <see cref="ProductMixtureOptions.InitialMarginals"/> where
    /// given (both given: no initialiser runs), unless a warm start continues the previous fit.
    /// </summary>
    /// <param name="data">N × D data, N ≥ K; every column as its marginal needs it. Not modified.</param>
    /// <param name="sampleWeights">
    /// Optional non-negative weight per row. Only their ratios matter (they are rescaled to average 1, so weights × c give
    /// the same fit); without a prior, integer weights are equivalent to repeating rows. A prior's pseudo-observations
    /// count in units of the average weight.
    /// </param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between blocks of rows and between iterations.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The marginals do not cover the columns, a value does not suit its marginal, or the weights are invalid.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A normal or Gaussian marginal collapsed; increase its regularisation.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ProductMixtureModel Fit(DataMatrix data, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        data = InputValidation.TrainingData(data, Options.ComponentCount, nameof(Options.ComponentCount), Options.MissingValues, Options.MaxDegreeOfParallelism);
        var family = new ProductFamily(data.Columns, Options.Marginals);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var outcome = MixtureEstimator<ProductComponent, ProductStatistics>.FitCore(
            family, Options, MaximumLikelihoodWeights.Instance, data, sampleWeights, _ => _start, warm, progress, cancellationToken);
        _fitted = new ProductMixtureModel(outcome, family);
        return _fitted;
    }

    /// <summary>
    /// Fits the mixture out of core to the rows of <paramref name="source"/>, read once per pass: equivalent to
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.
    /// </summary>
    /// <param name="source">N × D rows, every column as its marginal needs it, N ≥ K; read once to count, check and sample, then once per pass.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    public ProductMixtureModel Fit(RowSource source) => Fit(source, null, CancellationToken.None);

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
    /// <param name="source">N × D rows, every column as its marginal needs it, N ≥ K; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every EM iteration. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between batches of rows and between iterations, and stops the reading of the source.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column) or the starting parameters are.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm was asked for (use EM), or initial responsibilities or labels with more rows than the sample.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A normal or Gaussian marginal collapsed; increase its regularisation.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public ProductMixtureModel Fit(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var (outcome, family) = MixtureEstimator<ProductComponent, ProductStatistics>.FitSourceCore(
            d => new ProductFamily(d, Options.Marginals), Options, MaximumLikelihoodWeights.Instance, source, _ => _start, warm, progress, cancellationToken);
        _fitted = new ProductMixtureModel(outcome, (ProductFamily)family);
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
    public Task<ProductMixtureModel> FitAsync(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Task.Run(() => Fit(source, progress, cancellationToken), cancellationToken);
    }
}
