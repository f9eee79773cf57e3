using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;
using MixtureModels.Serialization;

namespace MixtureModels;

/// <summary>
/// A fitted variational Bayesian Gaussian mixture (<see cref="BayesianGaussianMixture"/>): the posterior's parameters
/// under scikit-learn's names, the fit's report, and the queries scikit-learn's <c>BayesianGaussianMixture</c> offers,
/// computed as it computes them. Immutable and safe to query from many threads at once.
/// </summary>
/// <remarks>
/// The queries use the variational E-step: the score of row x under component k is E[log π_k] + E[log N(x | μ_k, Λ_k)],
/// the expectations over the posterior. <see cref="LogDensity(DataMatrix)"/> (score_samples) is the log-sum-exp of those scores —
/// a lower bound on the posterior predictive's log-density, not a normalised density — and
/// <see cref="PredictProbabilities(DataMatrix)"/> their softmax. They run on the library's blocked, parallel E-step with the
/// family's batched kernels, on the plug-in Gaussians N(m_k, Σ_k) with the scores' constant parts folded into the weights.
/// </remarks>
public sealed class BayesianGaussianMixtureModel
{
    private readonly FittedMixtureModel<GaussianComponent> _scores; // plug-in Gaussians with weights exp(e_k − c)
    private readonly double _logNormalizer;                        // c = log Σ_k exp(e_k)
    private readonly double[] _weights;
    private readonly double[] _concentration;
    private readonly double[]? _concentrationTail;
    private readonly double[] _meanPrecision;
    private readonly double[] _degreesOfFreedom;
    private readonly double[] _meanPrior;
    private readonly Matrix<double> _covariancePrior;
    private readonly double[] _responsibilityTotals;                // N_k of the last M-step, as the fit reported them
    private MixtureModel<GaussianComponent>? _sampler;

    internal BayesianGaussianMixtureModel(FitOutcome<GaussianComponent> outcome, NormalWishartFamily family, VariationalGaussianStep step)
        : this(outcome, family, step, loaded: false)
    {
    }

    /// <summary>
    /// Builds the model from a fit's outcome, or (<paramref name="loaded"/>) from a saved file's, whose report already
    /// holds the training log-likelihood with the normaliser added; everything else is computed from the totals the same way.
    /// </summary>
    private BayesianGaussianMixtureModel(FitOutcome<GaussianComponent> outcome, NormalWishartFamily family, VariationalGaussianStep step, bool loaded)
    {
        int k = outcome.Components.Length, d = family.Dimension;
        _responsibilityTotals = outcome.ResponsibilityTotals ?? throw new InvalidOperationException("The fit did not report its responsibility totals.");
        var totals = VariationalGaussianStep.WithFloor(_responsibilityTotals);
        var scores = new double[k];
        _logNormalizer = step.ExpectedLogWeights(_responsibilityTotals, scores);
        _scores = new FittedMixtureModel<GaussianComponent>(loaded ? outcome : outcome with
        {
            Report = outcome.Report with { TrainingLogLikelihood = outcome.Report.TrainingLogLikelihood + _logNormalizer },
        });
        Family = family;
        _concentration = new double[k];
        _concentrationTail = step.PriorType == WeightConcentrationPriorType.DirichletProcess ? new double[k] : null;
        VariationalWeightPosterior.Concentration(step.PriorType, step.ConcentrationPrior, totals, _concentration, _concentrationTail ?? new double[k]);
        _weights = new double[k];
        VariationalWeightPosterior.ExpectedWeights(step.PriorType, _concentration, _concentrationTail, _weights);
        _meanPrecision = new double[k];
        for (int j = 0; j < k; j++)
        {
            _meanPrecision[j] = family.MeanPrecision(totals[j]);
        }

        _degreesOfFreedom = new double[k];
        family.DegreesOfFreedom(totals, _degreesOfFreedom);
        _meanPrior = family.MeanPrior.ToArray();
        var prior = family.CovariancePrior.ToArray();
        _covariancePrior = family.CovarianceType switch
        {
            CovarianceType.Full or CovarianceType.Tied => Matrix<double>.Build.Dense(d, d, (i, j) => prior[(i * d) + j]),
            CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalArray(prior),
            _ => Matrix<double>.Build.DenseDiagonal(d, d, prior[0]),
        };
        CovarianceType = family.CovarianceType;
        WeightConcentrationPriorType = step.PriorType;
        WeightConcentrationPrior = step.ConcentrationPrior;
        MeanPrecisionPrior = family.MeanPrecisionPrior;
        DegreesOfFreedomPrior = family.DegreesOfFreedomPrior;
    }

    /// <summary>The component side of the fit (regularisation, β₀, m₀, ν₀, W₀⁻¹), saved with the model.</summary>
    internal NormalWishartFamily Family { get; }

    /// <summary>Shape of the covariances (covariance_type).</summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>The prior on the weights (weight_concentration_prior_type).</summary>
    public WeightConcentrationPriorType WeightConcentrationPriorType { get; }

    /// <summary>Number of components K.</summary>
    public int ComponentCount => _weights.Length;

    /// <summary>Number of columns D.</summary>
    public int Dimension => _meanPrior.Length;

    /// <summary>The expected weights E[π_k] under the posterior (scikit-learn's <c>weights_</c>); they sum to 1, and surplus components have weights near 0.</summary>
    public IReadOnlyList<double> Weights => Array.AsReadOnly(_weights);

    /// <summary>
    /// The posterior concentration (the first part of scikit-learn's <c>weight_concentration_</c>): α_k = α₀ + N_k for the
    /// Dirichlet distribution; the first Beta parameters a_k = 1 + N_k of the stick-breaking fractions for the Dirichlet
    /// process (N_k the responsibility totals, each + 10ε as scikit-learn).
    /// </summary>
    public IReadOnlyList<double> WeightConcentration => Array.AsReadOnly(_concentration);

    /// <summary>
    /// For the Dirichlet process, the second Beta parameters b_k = γ + Σ_{j&gt;k} N_j (the second array of scikit-learn's
    /// <c>weight_concentration_</c> tuple); null for the Dirichlet distribution, whose concentration is one array.
    /// </summary>
    public IReadOnlyList<double>? WeightConcentrationTail => _concentrationTail is null ? null : Array.AsReadOnly(_concentrationTail);

    /// <summary>β_k = β₀ + N_k, the posterior precision of each mean relative to its component's precision (scikit-learn's <c>mean_precision_</c>).</summary>
    public IReadOnlyList<double> MeanPrecision => Array.AsReadOnly(_meanPrecision);

    /// <summary>ν_k, the posterior's degrees of freedom (scikit-learn's <c>degrees_of_freedom_</c>): ν₀ + N_k, or for tied covariance ν₀ + N/K repeated K times (scikit-learn stores the one value).</summary>
    public IReadOnlyList<double> DegreesOfFreedom => Array.AsReadOnly(_degreesOfFreedom);

    /// <summary>The plug-in Gaussians N(m_k, Σ_k): the posterior means and Σ_k = W_k⁻¹ / ν_k (scikit-learn's <c>means_</c> and <c>covariances_</c>).</summary>
    public IReadOnlyList<GaussianComponent> Components => _scores.Components;

    /// <summary>The weight prior's concentration used (scikit-learn's <c>weight_concentration_prior_</c>).</summary>
    public double WeightConcentrationPrior { get; }

    /// <summary>β₀ used (scikit-learn's <c>mean_precision_prior_</c>).</summary>
    public double MeanPrecisionPrior { get; }

    /// <summary>ν₀ used (scikit-learn's <c>degrees_of_freedom_prior_</c>).</summary>
    public double DegreesOfFreedomPrior { get; }

    /// <summary>How the fit went: convergence, iterations, and the lower bound after every iteration.</summary>
    /// <remarks>
    /// <see cref="FitReport.LowerBound"/> and <see cref="FitReport.LowerBoundHistory"/> are scikit-learn's evidence lower
    /// bound (the whole sum, not a mean per row, up to scikit-learn's additive constant); it never decreases.
    /// <see cref="FitReport.TrainingLogLikelihood"/> is the mean of <see cref="LogDensity(DataMatrix)"/> over the training rows.
    /// </remarks>
    public FitReport Report => _scores.Report;

    /// <summary>Whether the fit converged before the iteration limit (scikit-learn's <c>converged_</c>).</summary>
    public bool Converged => Report.Converged;

    /// <summary>Iterations run by the kept initialisation (scikit-learn's <c>n_iter_</c>).</summary>
    public int IterationCount => Report.IterationCount;

    /// <summary>The final lower bound (scikit-learn's <c>lower_bound_</c>).</summary>
    public double LowerBound => Report.LowerBound;

    /// <summary>Labels of the training rows from the final E-step (scikit-learn's fit_predict result); equal to <c>Predict(trainingData)</c>.</summary>
    public IReadOnlyList<int> TrainingLabels => _scores.TrainingLabels;

    /// <summary>Returns a new K × D matrix of the posterior means m_k (scikit-learn's <c>means_</c>).</summary>
    public Matrix<double> GetMeans() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, j) => Components[k].Mean[j]);

    /// <summary>Returns a new D × D matrix Σ_k = W_k⁻¹ / ν_k of component <paramref name="component"/> (scikit-learn's <c>covariances_</c>, as a full matrix for every covariance type).</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in [0, K).</exception>
    public Matrix<double> GetCovariance(int component) => Component(component).GetCovariance();

    /// <summary>Returns a new D × D matrix ν_k W_k = Σ_k⁻¹ (scikit-learn's <c>precisions_</c>).</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in [0, K).</exception>
    public Matrix<double> GetPrecision(int component) => Component(component).GetPrecision();

    /// <summary>Returns a new D × D matrix P with P·Pᵀ = Σ_k⁻¹ (scikit-learn's <c>precisions_cholesky_</c>): upper triangular for full and tied, diagonal otherwise.</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in [0, K).</exception>
    public Matrix<double> GetPrecisionCholesky(int component) => Component(component).GetPrecisionCholesky();

    /// <summary>Returns a new array of m₀, the prior mean used (scikit-learn's <c>mean_prior_</c>).</summary>
    public double[] GetMeanPrior() => (double[])_meanPrior.Clone();

    /// <summary>Returns a new D × D matrix of W₀⁻¹, the prior covariance used (scikit-learn's <c>covariance_prior_</c>, as a full matrix).</summary>
    public Matrix<double> GetCovariancePrior() => _covariancePrior.Clone();

    /// <summary>
    /// log Σ_k exp(E[log π_k] + E[log N(xₙ | μ_k, Λ_k)]) for every row (scikit-learn's <c>score_samples</c>).
    /// </summary>
    /// <param name="data">N × D finite data with the model's column count.</param>
    /// <returns>N values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[] LogDensity(DataMatrix data)
    {
        var result = _scores.LogDensity(data);
        for (int n = 0; n < result.Length; n++)
        {
            result[n] += _logNormalizer;
        }

        return result;
    }

    /// <summary>The (sample-weighted) mean of <see cref="LogDensity(DataMatrix)"/> (scikit-learn's <c>score</c>).</summary>
    /// <param name="data">N × D finite data with the model's column count.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The data or weights are invalid.</exception>
    public double MeanLogLikelihood(DataMatrix data, double[]? sampleWeights = null) => _scores.MeanLogLikelihood(data, sampleWeights) + _logNormalizer;

    /// <summary>The responsibilities of the variational E-step (scikit-learn's <c>predict_proba</c>); every row sums to 1.</summary>
    /// <param name="data">N × D finite data with the model's column count.</param>
    /// <returns>An N × K array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[,] PredictProbabilities(DataMatrix data) => _scores.PredictProbabilities(data);

    /// <summary>The most responsible component of every row (scikit-learn's <c>predict</c>).</summary>
    /// <param name="data">N × D finite data with the model's column count.</param>
    /// <returns>N labels in [0, K).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public int[] Predict(DataMatrix data) => _scores.Predict(data);

    /// <summary>
    /// Draws <paramref name="count"/> rows from the plug-in mixture with a generator seeded with the fit's
    /// <see cref="MixtureOptions.Seed"/> (<see cref="FitReport.Seed"/>): the same model gives the same rows on every call.
    /// </summary>
    /// <param name="count">Number of rows, at least 1.</param>
    /// <returns>The rows (count × D) and the component each came from.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public MixtureSample Sample(int count) => Sample(count, new Random(Report.Seed));

    /// <summary>log p(x) of one row under the plug-in mixture: the number <see cref="LogDensity(DataMatrix)"/> gives for that row.</summary>
    /// <param name="row">D finite values.</param>
    /// <returns>The log-density.</returns>
    /// <exception cref="ArgumentException">The row's length differs from the model's dimension, or a value is not finite.</exception>
    public double LogDensity(ReadOnlySpan<double> row) => _scores.LogDensity(row) + _logNormalizer;

    /// <summary>The most probable component of one row: the same answer as <see cref="Predict(DataMatrix)"/> for that row.</summary>
    /// <param name="row">D finite values.</param>
    /// <returns>The component index in [0, K).</returns>
    /// <exception cref="ArgumentException">The row's length differs from the model's dimension, or a value is not finite.</exception>
    public int Predict(ReadOnlySpan<double> row) => _scores.Predict(row);

    /// <summary>p(z = k | x) of one row: the numbers <see cref="PredictProbabilities(DataMatrix)"/> gives for that row.</summary>
    /// <param name="row">D finite values.</param>
    /// <returns>K probabilities that sum to 1.</returns>
    /// <exception cref="ArgumentException">The row's length differs from the model's dimension, or a value is not finite.</exception>
    public double[] PredictProbabilities(ReadOnlySpan<double> row) => _scores.PredictProbabilities(row);

    /// <summary>Draws rows from the plug-in mixture Σ_k E[π_k] N(m_k, Σ_k), as scikit-learn's <c>sample</c>.</summary>
    /// <param name="count">Number of rows, at least 1.</param>
    /// <param name="random">The random source.</param>
    /// <returns>The rows (count × D) and the component each came from.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public MixtureSample Sample(int count, Random random)
    {
        ArgumentChecks.AtLeast(count, 1, nameof(count), "Ask for at least one sample.");
        ArgumentNullException.ThrowIfNull(random);
        var sampler = _sampler ??= new MixtureModel<GaussianComponent>(_weights, _scores.Components);
        return sampler.Sample(count, random);
    }

    /// <summary>
    /// Writes the model to <paramref name="stream"/> as UTF-8 JSON: the priors used (weight prior type and concentration,
    /// β₀, m₀, ν₀, W₀⁻¹, regularisation), the responsibility totals the posterior follows from, the posterior's
    /// concentration, mean precision, degrees of freedom and expected weights, the plug-in Gaussians, the fit report, the
    /// training labels, with a schema version and the library version. Every number is written in its shortest
    /// round-trip form, so <see cref="Load(Stream)"/> gives back the same bits. The stream is not closed.
    /// </summary>
    /// <param name="stream">A writable stream; the file is built in memory first, so nothing is written if saving fails.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public void Save(Stream stream) => ModelFile.Save(stream, Kind, _scores, WriteBody);

    /// <summary>Writes the model to the file <paramref name="path"/> (created or overwritten) as in <see cref="Save(Stream)"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ModelFile.Save(path, Kind, _scores, WriteBody);

    /// <summary>
    /// Reads a model written by <see cref="Save(Stream)"/>. The loaded model answers every query (log-density,
    /// responsibilities, labels, mean log-likelihood, sampling) and gives every posterior quantity and prior with the same
    /// bits as the saved one. The whole file is checked before the model is built. The stream is not closed.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of the JSON.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The content is not a BayesianGaussianMixtureModel file of a supported schema version: not JSON or truncated, another
    /// model kind, a newer schema, a missing field, an array of the wrong length, a non-finite number, a prior or posterior
    /// value out of range (such as a concentration that is not positive), posterior values that do not follow from the
    /// saved responsibility totals and priors, a covariance that is not positive definite, and so on. The message names the
    /// JSON path and what is wrong.
    /// </exception>
    public static BayesianGaussianMixtureModel Load(Stream stream) => ModelFile.Load(stream, Kind, Build);

    /// <summary>Reads a model from the file <paramref name="path"/> as in <see cref="Load(Stream)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file; see <see cref="Load(Stream)"/>.</exception>
    public static BayesianGaussianMixtureModel Load(string path) => ModelFile.Load(path, Kind, Build);

    /// <summary>The fitted state as a warm start: the E-step's weights exp(e_k − c), the plug-in components and the lower bound.</summary>
    internal WarmStart<GaussianComponent> ToWarmStart() => _scores.ToWarmStart();

    private const string Kind = nameof(BayesianGaussianMixtureModel);

    private void WriteBody(Utf8JsonWriter writer) =>
        BayesianGaussianJson.Write(writer, Family, WeightConcentrationPriorType, WeightConcentrationPrior, _responsibilityTotals, _concentration, _concentrationTail, _meanPrecision, _degreesOfFreedom, _weights, _scores.Components, Report);

    private static BayesianGaussianMixtureModel Build(JsonElement root, ModelEnvelope envelope)
    {
        var saved = BayesianGaussianJson.Read(root, envelope.Dimension, envelope.ComponentCount);
        var step = new VariationalGaussianStep(saved.Family, saved.PriorType, saved.ConcentrationPrior);
        var report = envelope.Report with { ObjectiveHistory = Array.AsReadOnly(saved.ObjectiveHistory), LogPrior = saved.LogPrior };
        var outcome = (envelope with { Report = report }).Outcome(saved.Family, saved.Components) with { ResponsibilityTotals = saved.ResponsibilityTotals };
        var model = new BayesianGaussianMixtureModel(outcome, saved.Family, step, loaded: true);

        // The posterior's values are written for readers of the file; they must be what the totals and priors give.
        BayesianGaussianJson.CheckDerived(saved.WeightConcentration, model._concentration, "weightConcentration");
        BayesianGaussianJson.CheckDerived(saved.WeightConcentrationTail, model._concentrationTail, "weightConcentrationTail");
        BayesianGaussianJson.CheckDerived(saved.MeanPrecision, model._meanPrecision, "meanPrecision");
        BayesianGaussianJson.CheckDerived(saved.DegreesOfFreedom, model._degreesOfFreedom, "degreesOfFreedom");
        BayesianGaussianJson.CheckDerived(saved.ExpectedWeights, model._weights, "expectedWeights");
        return model;
    }

    private GaussianComponent Component(int index)
    {
        if ((uint)index >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange("component", index, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[index];
    }

    /// <summary>The model's size and expected weights, for example "BayesianGaussianMixtureModel(K = 3, D = 2, E[π] = [0.5, 0.3, 0.2])".</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"BayesianGaussianMixtureModel(K = {ComponentCount}, D = {Dimension}, E[π] = {DisplayText.Vector(_weights)})");
}
