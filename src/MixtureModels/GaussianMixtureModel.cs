using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Serialization;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A fitted Gaussian mixture: weights, means and covariances with the fit's report, and every query of
/// <see cref="FittedMixtureModel{TComponent}"/> (log-density, responsibilities, labels, sampling, BIC, AIC).
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class GaussianMixtureModel : FittedMixtureModel<GaussianComponent>
{
    internal GaussianMixtureModel(FitOutcome<GaussianComponent> outcome, GaussianFamily family)
        : base(outcome)
    {
        Family = family;
        CovarianceType = family.CovarianceType;
    }

    /// <summary>The family the model was fitted with (its regularisation and prior are saved with the model).</summary>
    internal GaussianFamily Family { get; }

    /// <summary>The covariance shape of the components.</summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>Returns a new K × D matrix of the means (scikit-learn's means_).</summary>
    public Matrix<double> GetMeans() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, j) => Components[k].Mean[j]);

    /// <summary>Returns a new D × D covariance matrix of component <paramref name="component"/> (for tied covariance, the shared one).</summary>
    /// <param name="component">Component index in [0, K).</param>
    public Matrix<double> GetCovariance(int component) => Component(component).GetCovariance();

    /// <summary>Returns a new D × D precision matrix Σ⁻¹ of component <paramref name="component"/>.</summary>
    /// <param name="component">Component index in [0, K).</param>
    public Matrix<double> GetPrecision(int component) => Component(component).GetPrecision();

    /// <summary>Returns a new D × D matrix P with P·Pᵀ = Σ⁻¹ for component <paramref name="component"/> (scikit-learn's precisions_cholesky_).</summary>
    /// <param name="component">Component index in [0, K).</param>
    public Matrix<double> GetPrecisionCholesky(int component) => Component(component).GetPrecisionCholesky();

    /// <summary>
    /// The marginal mixture over <paramref name="columns"/>: p(x_a) = Σ_k π_k N(x_a | μ_ka, Σ_kaa), the same weights and each
    /// component's mean and covariance restricted to those columns (diagonal, spherical and tied covariance keep their shape).
    /// The result is a <see cref="GaussianMixtureDistribution"/>: queried like this model, with no fit report.
    /// </summary>
    /// <param name="columns">Distinct column indices in [0, D), at least one and fewer than D; the result's columns are in this order.</param>
    /// <returns>The marginal mixture.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty, lists every column, or repeats a column.</exception>
    public GaussianMixtureDistribution Marginalize(IReadOnlyList<int> columns) =>
        GaussianMixtureAlgebra.Marginalize(this, CovarianceType, Family.Regularization, columns, ColumnSelection.Identity(Dimension));

    /// <summary>
    /// The conditional mixture p(x_b | x_a = <paramref name="values"/>) over the columns b not in <paramref name="columns"/>
    /// (ascending): component k becomes N(μ_kb + Σ_ba Σ_aa⁻¹ (x_a − μ_ka), Σ_bb − Σ_ba Σ_aa⁻¹ Σ_ab) with weight
    /// ∝ π_k N(x_a | μ_ka, Σ_kaa) (normalised in log space). For diagonal and spherical covariance the components keep
    /// their covariance restricted to b and only the weights change; tied covariance stays tied. Its
    /// <see cref="GaussianMixtureDistribution.GetMixtureMean"/> and <see cref="GaussianMixtureDistribution.GetMixtureCovariance"/>
    /// are E[x_b | x_a] and Cov[x_b | x_a]. For many rows use <see cref="Regress"/>.
    /// </summary>
    /// <param name="columns">The conditioning columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="values">x_a: one finite value per entry of <paramref name="columns"/>, in that order.</param>
    /// <returns>The conditional mixture over the remaining columns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="values"/> has the wrong length or a non-finite value, or every component gives x_a zero density.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A conditional covariance is not positive definite (the inputs determine the outputs almost exactly).</exception>
    public GaussianMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        GaussianMixtureAlgebra.Condition(this, CovarianceType, Family.Regularization, columns, values, ColumnSelection.Identity(Dimension));

    /// <summary>
    /// Gaussian mixture regression: for every row of <paramref name="inputs"/> (values of the columns a =
    /// <paramref name="inputColumns"/>), the conditional mean E[x_b | x_a] of the other columns b and, when asked for, the
    /// conditional covariance — the same numbers as <see cref="Condition"/> row by row, but with each component's
    /// regression matrix Σ_ba Σ_aa⁻¹, Cholesky factor of Σ_aa and conditional covariance computed once. Rows run in
    /// parallel; each row's result does not depend on the thread count.
    /// </summary>
    /// <param name="inputColumns">The input columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="inputs">N × |a| finite values; column i holds model column <c>inputColumns[i]</c>.</param>
    /// <param name="includeCovariances">Whether to compute each row's |b| × |b| conditional covariance too (default false).</param>
    /// <returns>The conditional means and, when asked for, covariances.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputColumns"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="inputs"/> has the wrong column count or a non-finite value, or a row has zero density under every component.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A conditional covariance is not positive definite.</exception>
    public MixtureRegression Regress(IReadOnlyList<int> inputColumns, DataMatrix inputs, bool includeCovariances = false) =>
        GaussianMixtureAlgebra.Regress(this, CovarianceType, Family.Regularization, inputColumns, inputs, includeCovariances);

    private GaussianComponent Component(int index)
    {
        if ((uint)index >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange("component", index, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[index];
    }

    /// <summary>
    /// Writes the model to <paramref name="stream"/> as UTF-8 JSON: the Gaussian parameters, the covariance type, regularisation and prior, the fit report, the training labels
    /// and the missing-value setting, with a schema version and the library version. Every number is written in its
    /// shortest round-trip form, so <see cref="Load(Stream)"/> gives back the same bits. The stream is not closed.
    /// </summary>
    /// <param name="stream">A writable stream; the file is built in memory first, so nothing is written if saving fails.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable.</exception>
    public void Save(Stream stream) => ModelFile.Save(stream, Kind, this, WriteBody);

    /// <summary>Writes the model to the file <paramref name="path"/> (created or overwritten) as in <see cref="Save(Stream)"/>.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path) => ModelFile.Save(path, Kind, this, WriteBody);

    /// <summary>
    /// Reads a model written by <see cref="Save(Stream)"/>. The loaded model answers every query (log-density,
    /// responsibilities, labels, imputation, BIC/AIC, sampling) with the same bits as the saved one and checks query data
    /// the same way. The whole file is checked before the model is built. The stream is not closed.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of the JSON.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The content is not a GaussianMixtureModel file of a supported schema version: not JSON or truncated, another model kind, a newer
    /// schema, a missing field, an array of the wrong length, a non-finite number, weights that do not sum to 1, a
    /// covariance that is not positive definite, and so on. The message names the JSON path and what is wrong.
    /// </exception>
    public static GaussianMixtureModel Load(Stream stream) => ModelFile.Load(stream, Kind, Build);

    /// <summary>Reads a model from the file <paramref name="path"/> as in <see cref="Load(Stream)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file; see <see cref="Load(Stream)"/>.</exception>
    public static GaussianMixtureModel Load(string path) => ModelFile.Load(path, Kind, Build);

    private const string Kind = nameof(GaussianMixtureModel);

    private void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("gaussian");
        ComponentJson.WriteGaussian(writer, Family, Components);
        writer.WriteEndObject();
    }

    private static GaussianMixtureModel Build(JsonElement root, ModelEnvelope envelope)
    {
        var block = ModelJsonReader.Object(root, "gaussian", "$");
        var (type, regularization, prior) = ComponentJson.ReadGaussianSettings(block, "$.gaussian");
        var components = ComponentJson.ReadGaussianComponents(block, "$.gaussian", type, envelope.Dimension, envelope.ComponentCount);
        var family = GaussianFamily.Create(type, envelope.Dimension, regularization, prior);
        return new GaussianMixtureModel(envelope.Outcome(family, components), family);
    }
}
