using System.Text.Json;
using MixtureModels.Components.Product;
using MixtureModels.Fitting;
using MixtureModels.Serialization;

namespace MixtureModels;

/// <summary>
/// A fitted mixture of products of marginals over a mixed table: weights, per-component marginals
/// (<see cref="ProductComponent.Marginals"/>), the fit's report and every query of
/// <see cref="FittedMixtureModel{TComponent}"/>. Query data must suit every marginal (binary, counts, levels).
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class ProductMixtureModel : FittedMixtureModel<ProductComponent>
{
    private readonly ProductFamily _family;

    internal ProductMixtureModel(FitOutcome<ProductComponent> outcome, ProductFamily family)
        : base(outcome)
    {
        _family = family;
    }

    /// <summary>The marginals every component is made of, in order.</summary>
    public IReadOnlyList<Marginal> Marginals => _family.Marginals;

    /// <summary>
    /// The conditional mixture over the other columns given the values of whole marginals: for x_a the values of the
    /// marginals covering <paramref name="columns"/>, component k keeps its remaining marginals unchanged and gets the
    /// weight π_k Π_m p_m(x_m | θ_km) / Σ_j π_j Π_m p_m(x_m | θ_jm) over the conditioned marginals m (normalised in log
    /// space). The result's columns are the remaining ones in ascending order (<see cref="ProductMixtureDistribution.SourceColumns"/>).
    /// </summary>
    /// <param name="columns">Columns to condition on: distinct, in [0, D), covering whole marginals, at least one and fewer than D.</param>
    /// <param name="values">One value per entry of <paramref name="columns"/>, in that order, valid for its marginal (binary, a count, a level).</param>
    /// <returns>The conditional mixture over the remaining columns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid or split a marginal, or a value is missing, non-finite, invalid for its marginal, or impossible under every component.</exception>
    public ProductMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        ProductMixtureAlgebra.Condition(this, _family.Marginals, MissingValues, columns, values, ColumnSelection.Identity(Dimension));

    /// <summary>The family the model was fitted with.</summary>
    internal ProductFamily Family => _family;

    /// <summary>
    /// Writes the model to <paramref name="stream"/> as UTF-8 JSON: the product parameters, every marginal with its columns, settings and priors, the fit report, the training labels
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
    /// The content is not a ProductMixtureModel file of a supported schema version: not JSON or truncated, another model kind, a newer
    /// schema, a missing field, an array of the wrong length, a non-finite number, weights that do not sum to 1, a
    /// covariance that is not positive definite, and so on. The message names the JSON path and what is wrong.
    /// </exception>
    public static ProductMixtureModel Load(Stream stream) => ModelFile.Load(stream, Kind, Build);

    /// <summary>Reads a model from the file <paramref name="path"/> as in <see cref="Load(Stream)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file; see <see cref="Load(Stream)"/>.</exception>
    public static ProductMixtureModel Load(string path) => ModelFile.Load(path, Kind, Build);

    private const string Kind = nameof(ProductMixtureModel);

    private void WriteBody(Utf8JsonWriter writer) => ProductJson.Write(writer, _family, Components);

    private static ProductMixtureModel Build(JsonElement root, ModelEnvelope envelope)
    {
        var (family, components) = ProductJson.Read(root, envelope.Dimension, envelope.ComponentCount);
        return new ProductMixtureModel(envelope.Outcome(family, components), family);
    }
}
