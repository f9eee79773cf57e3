using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// Fits a variational Bayesian Gaussian mixture: the counterpart of scikit-learn's <c>BayesianGaussianMixture</c>, with
/// the same options, defaults, updates and lower bound, plus sample weights and a start from given responsibilities or
/// labels. A Dirichlet-process (stick-breaking) or Dirichlet-distribution prior on the weights lets surplus components
/// fall to weights near 0, so K can be an upper bound on the number of clusters; Normal-Wishart priors (Normal-Gamma for
/// diagonal and spherical covariance) keep every component's mean and covariance finite.
/// </summary>
/// <remarks>
/// <para>
/// Each iteration is a variational E-step (responsibilities r_nk ∝ exp(E[log π_k] + E[log N(xₙ | μ_k, Λ_k)])) and M-step
/// (the posterior's concentration, β_k, m_k, ν_k, W_k) on the library's generic EM engine: the same blocked, parallel
/// E-step and batched kernels as <see cref="GaussianMixture"/>, with a variational weight step and the evidence lower
/// bound as the objective. The bound (scikit-learn's <c>lower_bound_</c>, up to the same additive constant) is computed
/// after every M-step and is what <see cref="MixtureOptions.Tolerance"/> and the choice between initialisations use. It
/// never decreases, up to rounding, when every update is exact; reg_covar (added to the weighted covariances, as
/// scikit-learn does) makes the covariance update inexact, so where a component's variance is of the order of reg_covar
/// the bound can fall by a relative 1e-11 or so, in scikit-learn's fit as in this one.
/// </para>
/// <para>
/// The estimator holds settings and, after <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>, the last fitted model (used by warm start). It is not meant
/// to be fitted from several threads at once; the returned <see cref="BayesianGaussianMixtureModel"/> is immutable and may
/// be shared freely.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var vb = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 10, WeightConcentrationPrior = 0.01 });
/// BayesianGaussianMixtureModel model = vb.Fit(data);
/// int active = model.Weights.Count(w => w > 0.01);
/// </code>
/// </example>
public sealed class BayesianGaussianMixture
{
    private BayesianGaussianMixtureModel? _fitted;

    /// <summary>Creates the estimator with the given settings.</summary>
    /// <param name="options">Settings; validated here (the checks that need the data's column count run in <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it and the fix.</exception>
    public BayesianGaussianMixture(BayesianGaussianMixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>Creates the estimator with scikit-learn's defaults for everything but the component count and covariance type.</summary>
    /// <param name="componentCount">K, at least 1: an upper bound on the number of components the data will use.</param>
    /// <param name="covarianceType">Covariance shape.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public BayesianGaussianMixture(int componentCount, CovarianceType covarianceType = CovarianceType.Full)
        : this(new BayesianGaussianMixtureOptions { ComponentCount = componentCount, CovarianceType = covarianceType })
    {
    }

    /// <summary>The settings.</summary>
    public BayesianGaussianMixtureOptions Options { get; }

    /// <summary>The model returned by the last successful <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>.</summary>
    /// <exception cref="NotFittedException"><see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> has not been called yet.</exception>
    public BayesianGaussianMixtureModel FittedModel => _fitted ?? throw new NotFittedException(nameof(BayesianGaussianMixture));

    /// <summary>
    /// Fits the variational posterior to the rows of <paramref name="data"/>: for each of
    /// <see cref="MixtureOptions.InitializationCount"/> initialisations (responsibilities from the initialiser, or the
    /// given <see cref="MixtureOptions.InitialResponsibilities"/> / <see cref="MixtureOptions.InitialLabels"/>), variational
    /// EM until the lower bound changes by less than the tolerance or the iteration limit; the initialisation with the
    /// largest lower bound is kept, and a final E-step labels the training rows.
    /// </summary>
    /// <param name="data">N × D data, finite, N ≥ K (N ≥ 2 when the covariance prior is the data's covariance). Not modified.</param>
    /// <param name="sampleWeights">
    /// Optional non-negative weight per row (scikit-learn has none). Only their ratios matter: they are rescaled to average
    /// 1, so the priors' pseudo-observations count in units of the average weight (and integer weights are not the same as
    /// repeated rows, which would change N). The default mean and covariance priors are the weighted mean and covariance.
    /// </param>
    /// <param name="progress">Optional callback after every iteration, with the lower bound. Called synchronously on the fitting thread; <see cref="Progress{T}"/> would deliver the reports late and possibly out of order, <see cref="SynchronousProgress{T}"/> does not.</param>
    /// <param name="cancellationToken">Cancels between blocks of rows and between iterations.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data, weights, priors or starting responsibilities do not fit the data; the message names which and why.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BayesianGaussianMixtureOptions.DegreesOfFreedomPrior"/> is not greater than D − 1.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm or missing values were asked for.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance is not positive definite; increase the regularisation or scale the data.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public BayesianGaussianMixtureModel Fit(DataMatrix data, double[]? sampleWeights = null, IProgress<FitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Options.Algorithm != FittingAlgorithm.ExpectationMaximization)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {Options.Algorithm} is not available for the variational Bayesian mixture, whose updates are closed-form. Use FittingAlgorithm.ExpectationMaximization."));
        }

        if (Options.MissingValues != MissingValueHandling.Reject)
        {
            throw new NotSupportedException("MissingValues = Marginalize is not available for the variational Bayesian mixture yet. Remove or impute the missing values, or fit a GaussianMixture with missing-value support.");
        }

        var checkedData = InputValidation.TrainingData(data, Options.ComponentCount, nameof(Options.ComponentCount), maxDegreeOfParallelism: Options.MaxDegreeOfParallelism);
        var weights = InputValidation.RelativeSampleWeights(InputValidation.SampleWeights(sampleWeights, checkedData.Rows));
        var (family, step) = BayesianGaussianMixturePriors.Resolve(Options, checkedData, weights);
        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        var outcome = MixtureEstimator<GaussianComponent, GaussianStatistics>.FitCore(
            family, Options, step, checkedData, sampleWeights, null, warm, progress, cancellationToken, step);
        _fitted = new BayesianGaussianMixtureModel(outcome, family, step);
        return _fitted;
    }

    /// <summary>
    /// Fits the variational mixture out of core to the rows of <paramref name="source"/>: equivalent to
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.
    /// </summary>
    /// <param name="source">N × D finite rows, N ≥ K; read once to count, check and sample, then once per pass.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column), or the priors do not fit the data.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm or missing values were asked for.</exception>
    public BayesianGaussianMixtureModel Fit(RowSource source) => Fit(source, null, CancellationToken.None);

    /// <summary>
    /// Fits the variational mixture out of core to the rows of <paramref name="source"/>, read block by block once per
    /// pass, as <see cref="GaussianMixture.Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> does: a first pass
    /// counts, checks and samples the rows (<see cref="MixtureOptions.SourceSampleRows"/>); the default mean and covariance
    /// priors (when <see cref="BayesianGaussianMixtureOptions"/> does not set them) are the sample's mean and covariance,
    /// and the initialisation runs on the sample; the iterations then read every row. With at most
    /// <see cref="MixtureOptions.SourceSampleRows"/> rows the sample is every row, and the fit is bit-identical to
    /// <see cref="Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/> on the same rows. No sample weights.
    /// </summary>
    /// <param name="source">N × D finite rows, N ≥ K; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every iteration, with the lower bound, called synchronously on the fitting thread.</param>
    /// <param name="cancellationToken">Cancels between batches of rows and between iterations, and stops the reading of the source.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">A row is invalid (the message names the source row and column), or the priors do not fit the data.</exception>
    /// <exception cref="InvalidOperationException">A pass yielded other rows or columns than the first.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm or missing values were asked for.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance is not positive definite; increase the regularisation or scale the data.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public BayesianGaussianMixtureModel Fit(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Options.Algorithm != FittingAlgorithm.ExpectationMaximization)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {Options.Algorithm} is not available for the variational Bayesian mixture, whose updates are closed-form. Use FittingAlgorithm.ExpectationMaximization."));
        }

        if (Options.MissingValues != MissingValueHandling.Reject)
        {
            throw new NotSupportedException("MissingValues = Marginalize is not available for the variational Bayesian mixture yet. Remove or impute the missing values, or fit a GaussianMixture with missing-value support.");
        }

        var warm = Options.WarmStart ? _fitted?.ToWarmStart() : null;
        VariationalGaussianStep? step = null;
        var (outcome, family) = MixtureEstimator<GaussianComponent, GaussianStatistics>.FitSourceCore(
            _ => throw new InvalidOperationException("The family is made from the sample."),
            Options,
            MaximumLikelihoodWeights.Instance,
            source,
            null,
            warm,
            progress,
            cancellationToken,
            sample =>
            {
                var (resolved, resolvedStep) = BayesianGaussianMixturePriors.Resolve(Options, sample, null);
                step = resolvedStep;
                return (resolved, resolvedStep, resolvedStep);
            });
        _fitted = new BayesianGaussianMixtureModel(outcome, (NormalWishartFamily)family, step!);
        return _fitted;
    }

    /// <summary>
    /// <see cref="Fit(RowSource, IProgress{FitProgress}, CancellationToken)"/> on a thread-pool thread, for callers that
    /// must not block (an asynchronous source is read by its own task either way).
    /// </summary>
    /// <param name="source">N × D finite rows; every pass must yield the same rows.</param>
    /// <param name="progress">Optional callback after every iteration, called synchronously on the fitting thread.</param>
    /// <param name="cancellationToken">Cancels the fit.</param>
    /// <returns>The fitted model (also kept in <see cref="FittedModel"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    public Task<BayesianGaussianMixtureModel> FitAsync(RowSource source, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Task.Run(() => Fit(source, progress, cancellationToken), cancellationToken);
    }
}
