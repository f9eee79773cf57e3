using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.StudentT;
using MixtureModels.Fitting;
using MixtureModels.Numerics;
using MixtureModels.Serialization;

namespace MixtureModels;

/// <summary>
/// A fitted Student-t mixture: weights, locations, scale matrices and degrees of freedom with the fit's report, every
/// query of <see cref="FittedMixtureModel{TComponent}"/> (log-density, responsibilities, labels, sampling, BIC, AIC;
/// the parameter count includes the estimated ν), and the expected latent weights u that flag outliers.
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class StudentTMixtureModel : FittedMixtureModel<StudentTComponent>
{
    internal StudentTMixtureModel(FitOutcome<StudentTComponent> outcome, StudentTFamily family)
        : base(outcome)
    {
        Family = family;
        DegreesOfFreedomEstimation = family.Estimation;
        CovarianceType = family.ScaleType;
    }

    /// <summary>The family the model was fitted with (its regularisation and ν setting are saved with the model).</summary>
    internal StudentTFamily Family { get; }

    /// <summary>Shape of the scale matrices.</summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>How ν was estimated.</summary>
    public DegreesOfFreedomEstimation DegreesOfFreedomEstimation { get; }

    /// <summary>Returns a new K × D matrix of the locations μ_k.</summary>
    public Matrix<double> GetMeans() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, j) => Components[k].Mean[j]);

    /// <summary>Returns a new D × D scale matrix Σ_k of component <paramref name="component"/>.</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in [0, K).</exception>
    public Matrix<double> GetScale(int component) => Component(component).GetScale();

    /// <summary>Returns a new array of the K degrees of freedom ν_k.</summary>
    public double[] GetDegreesOfFreedom()
    {
        var result = new double[ComponentCount];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = Components[k].DegreesOfFreedom;
        }

        return result;
    }

    /// <summary>
    /// The expected latent weights u_nk = (ν_k + D)/(ν_k + δ²_nk) of every row under every component (δ²_nk the
    /// Mahalanobis distance of row n to component k): near 1 for typical rows, small for outliers. With
    /// <see cref="MixtureModel{TComponent}.MissingValues"/> = Marginalize, a row with NaN uses its observed entries O:
    /// (ν_k + |O|)/(ν_k + δ_O²).
    /// </summary>
    /// <param name="data">N × D data with the model's column count (NaN only where the model handles missing values).</param>
    /// <returns>An N × K array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[,] ExpectedWeights(DataMatrix data)
    {
        // The responsibilities check the data as every query does.
        _ = PredictProbabilities(data);
        var result = HugePages.NewArray<double>(data.Rows, ComponentCount);
        var patterns = new StudentTPattern?[ComponentCount];
        for (int n = 0; n < data.Rows; n++)
        {
            var row = data.Row(n);
            for (int k = 0; k < ComponentCount; k++)
            {
                result[n, k] = Components[k].ExpectedWeightOfObserved(row, ref patterns[k]);
            }
        }

        return result;
    }

    /// <summary>
    /// Per row, the responsibility-weighted expected weight Σ_k p(z = k | xₙ)·u_nk: one outlier score per row, near 1
    /// for typical rows and small for rows far from every component (rows with NaN as in <see cref="ExpectedWeights"/>).
    /// </summary>
    /// <param name="data">N × D data with the model's column count (NaN only where the model handles missing values).</param>
    /// <returns>N values in (0, (ν_max + D)/ν_max].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">The column count differs from the model's, or a value is not finite.</exception>
    public double[] ExpectedRowWeights(DataMatrix data)
    {
        var responsibilities = PredictProbabilities(data);
        var result = HugePages.NewArray<double>(data.Rows);
        var patterns = new StudentTPattern?[ComponentCount];
        for (int n = 0; n < data.Rows; n++)
        {
            var row = data.Row(n);
            double s = 0;
            for (int k = 0; k < ComponentCount; k++)
            {
                s += responsibilities[n, k] * Components[k].ExpectedWeightOfObserved(row, ref patterns[k]);
            }

            result[n] = s;
        }

        return result;
    }

    /// <summary>
    /// The marginal mixture over <paramref name="columns"/>: p(x_a) = Σ_k π_k t(x_a | μ_ka, Σ_kaa, ν_k) — a sub-vector of a
    /// multivariate t is t with the same ν — with the same weights (diagonal, spherical and tied scales keep their shape).
    /// </summary>
    /// <param name="columns">Distinct column indices in [0, D), at least one and fewer than D; the result's columns are in this order.</param>
    /// <returns>The marginal mixture.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty, lists every column, or repeats a column.</exception>
    public StudentTMixtureDistribution Marginalize(IReadOnlyList<int> columns) =>
        StudentTMixtureAlgebra.Marginalize(this, CovarianceType, Family.Regularization, columns, ColumnSelection.Identity(Dimension));

    /// <summary>
    /// The conditional mixture p(x_b | x_a = <paramref name="values"/>) over the columns b not in <paramref name="columns"/>
    /// (ascending). Component k becomes a t with ν_k + |a| degrees of freedom, location μ_kb + Σ_ba Σ_aa⁻¹ (x_a − μ_ka)
    /// and scale ((ν_k + δ_ka²)/(ν_k + |a|))·(Σ_bb − Σ_ba Σ_aa⁻¹ Σ_ab), δ_ka² the Mahalanobis distance of x_a under the
    /// marginal t(μ_ka, Σ_kaa, ν_k); its weight is ∝ π_k t(x_a | μ_ka, Σ_kaa, ν_k) (normalised in log space). Its
    /// <see cref="StudentTMixtureDistribution.GetMixtureMean"/> and <see cref="StudentTMixtureDistribution.GetMixtureCovariance"/>
    /// are E[x_b | x_a] and Cov[x_b | x_a] (the latter needs ν_k + |a| &gt; 2).
    /// </summary>
    /// <param name="columns">The conditioning columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="values">x_a: one finite value per entry of <paramref name="columns"/>, in that order.</param>
    /// <returns>The conditional mixture over the remaining columns (tied scales become full: each is rescaled by its own factor).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="values"/> has the wrong length or a non-finite value, or every component gives x_a zero density.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A conditional scale is not positive definite (the inputs determine the outputs almost exactly).</exception>
    public StudentTMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        StudentTMixtureAlgebra.Condition(this, CovarianceType, Family.Regularization, columns, values, ColumnSelection.Identity(Dimension));

    /// <summary>
    /// Student-t mixture regression: for every row of <paramref name="inputs"/> (values of the columns a =
    /// <paramref name="inputColumns"/>), the conditional mean E[x_b | x_a] of the other columns b and, when asked for, the
    /// conditional covariance Σ_k w_k (ν'_k/(ν'_k − 2)·S_k + (m_k − m)(m_k − m)ᵀ) of the conditional mixture of
    /// <see cref="Condition"/> (ν'_k = ν_k + |a|, S_k its scale) — the same numbers row by row, with each component's
    /// factors computed once. Rows run in parallel; each row's result does not depend on the thread count.
    /// </summary>
    /// <param name="inputColumns">The input columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="inputs">N × |a| finite values; column i holds model column <c>inputColumns[i]</c>.</param>
    /// <param name="includeCovariances">Whether to compute each row's |b| × |b| conditional covariance too (default false).</param>
    /// <returns>The conditional means and, when asked for, covariances.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputColumns"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="inputs"/> has the wrong column count or a non-finite value, or a row has zero density under every component.</exception>
    /// <exception cref="InvalidOperationException">A component's ν + |a| is at most 1 (at most 2 with covariances), so the moment does not exist.</exception>
    public MixtureRegression Regress(IReadOnlyList<int> inputColumns, DataMatrix inputs, bool includeCovariances = false) =>
        StudentTMixtureAlgebra.Regress(this, inputColumns, inputs, includeCovariances);

    /// <summary>
    /// Writes the model to <paramref name="stream"/> as UTF-8 JSON: the locations, scale matrices (with their cached
    /// precision Cholesky factors) and degrees of freedom, the scale shape, regularisation and ν setting, the fit report,
    /// the training labels and the missing-value setting, with a schema version and the library version. Every number is
    /// written in its shortest round-trip form, so <see cref="Load(Stream)"/> gives back the same bits. The stream is not closed.
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
    /// responsibilities, labels, expected weights, imputation, BIC/AIC, sampling) with the same bits as the saved one. The
    /// whole file is checked before the model is built. The stream is not closed.
    /// </summary>
    /// <param name="stream">A readable stream positioned at the start of the JSON.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="InvalidDataException">
    /// The content is not a StudentTMixtureModel file of a supported schema version: not JSON or truncated, another model
    /// kind, a newer schema, a missing field, an array of the wrong length, a non-finite number, weights that do not sum
    /// to 1, a scale matrix that is not symmetric positive definite or does not match its factor, degrees of freedom that
    /// are not positive, and so on. The message names the JSON path and what is wrong.
    /// </exception>
    public static StudentTMixtureModel Load(Stream stream) => ModelFile.Load(stream, Kind, Build);

    /// <summary>Reads a model from the file <paramref name="path"/> as in <see cref="Load(Stream)"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file; see <see cref="Load(Stream)"/>.</exception>
    public static StudentTMixtureModel Load(string path) => ModelFile.Load(path, Kind, Build);

    private const string Kind = nameof(StudentTMixtureModel);

    private void WriteBody(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("studentT");
        StudentTJson.Write(writer, Family, Components);
        writer.WriteEndObject();
    }

    private static StudentTMixtureModel Build(JsonElement root, ModelEnvelope envelope)
    {
        var block = ModelJsonReader.Object(root, "studentT", "$");
        var family = StudentTJson.ReadFamily(block, "$.studentT", envelope.Dimension);
        var components = StudentTJson.ReadComponents(block, "$.studentT", family, envelope.ComponentCount);
        return new StudentTMixtureModel(envelope.Outcome(family, components), family);
    }

    private StudentTComponent Component(int index)
    {
        if ((uint)index >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange("component", index, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[index];
    }
}
