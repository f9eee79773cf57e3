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
