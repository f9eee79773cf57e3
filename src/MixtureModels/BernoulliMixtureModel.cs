using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;
using MixtureModels.Serialization;

namespace MixtureModels;

/// <summary>
/// A fitted mixture of multivariate Bernoulli distributions over binary rows: weights, per-component probabilities,
/// the fit's report and every query of <see cref="FittedMixtureModel{TComponent}"/>. Query data must be binary.
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class BernoulliMixtureModel : FittedMixtureModel<BernoulliComponent>
{
    internal BernoulliMixtureModel(FitOutcome<BernoulliComponent> outcome, BernoulliFamily family)
        : base(outcome)
    {
        Family = family;
    }

    /// <summary>The family the model was fitted with (its priors are saved with the model).</summary>
    internal BernoulliFamily Family { get; }

    /// <summary>Returns a new K × D matrix of the probabilities φ_kd = p(x_d = 1 | z = k).</summary>
    public Matrix<double> GetProbabilities() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, d) => Components[k].Probabilities[d]);

    /// <summary>
    /// Writes the model to <paramref name="stream"/> as UTF-8 JSON: the Bernoulli parameters, the priors, the fit report, the training labels
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
    /// The content is not a BernoulliMixtureModel file of a supported schema version: not JSON or truncated, another model kind, a newer
    /// schema, a missing field, an array of the wrong length, a non-finite number, weights that do not sum to 1, a
    /// covariance that is not positive definite, and so on. The message names the JSON path and what is wrong.
    /// </exception>
    public static BernoulliMixtureModel Load(Stream stream) => ModelFile.Load(stream, Kind, Build);

    /// <summary>Reads a model from the file <paramref name="path"/> as in <see cref="Load(Stream)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file; see <see cref="Load(Stream)"/>.</exception>
    public static BernoulliMixtureModel Load(string path) => ModelFile.Load(path, Kind, Build);

    private const string Kind = nameof(BernoulliMixtureModel);

    private void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("bernoulli");
        ComponentJson.WriteBernoulli(writer, Family.Priors, Components);
        writer.WriteEndObject();
    }

    private static BernoulliMixtureModel Build(JsonElement root, ModelEnvelope envelope)
    {
        var block = ModelJsonReader.Object(root, "bernoulli", "$");
        var priors = ComponentJson.ReadBernoulliPriors(block, "$.bernoulli");
        var components = ComponentJson.ReadBernoulliComponents(block, "$.bernoulli", envelope.Dimension, envelope.ComponentCount);
        var family = new BernoulliFamily(envelope.Dimension, priors);
        return new BernoulliMixtureModel(envelope.Outcome(family, components), family);
    }
}
