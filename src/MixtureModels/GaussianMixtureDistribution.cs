using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A Gaussian mixture derived from a fitted one by <see cref="GaussianMixtureModel.Marginalize"/> or
/// <see cref="GaussianMixtureModel.Condition"/>: a marginal or conditional distribution over some of the fitted model's
/// columns. It answers every query of <see cref="MixtureModel{TComponent}"/> (log-density, responsibilities, labels,
/// sampling, imputation when the fitted model handles missing values) through the same batched kernels as the fitted
/// model, and can itself be marginalised, conditioned and regressed. It has no fit report: nothing was fitted.
/// The covariance type is the fitted model's (diagonal stays diagonal, spherical stays spherical, tied stays tied).
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class GaussianMixtureDistribution : MixtureModel<GaussianComponent>
{
    private readonly int[] _sourceColumns;
    private readonly double _regularization;

    internal GaussianMixtureDistribution(double[] weights, GaussianComponent[] components, CovarianceType type, double regularization, MissingValueHandling missingValues, int[] sourceColumns)
        : this(weights, components, type, regularization, missingValues, sourceColumns, GaussianFamily.Create(type, components[0].Dimension, regularization))
    {
    }

    private GaussianMixtureDistribution(double[] weights, GaussianComponent[] components, CovarianceType type, double regularization, MissingValueHandling missingValues, int[] sourceColumns, GaussianFamily family)
        : base(weights, components, family.ParameterCount(components.Length), KernelFactory(family, components.Length), family as IDataValidator)
    {
        CovarianceType = type;
        MissingValues = missingValues;
        _regularization = regularization;
        _sourceColumns = sourceColumns;
    }

    /// <summary>What NaN means in this mixture's queries: the setting of the fitted model it was derived from.</summary>
    public override MissingValueHandling MissingValues { get; }

    /// <summary>The covariance shape of the components (that of the fitted model it was derived from).</summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>For each of this mixture's D columns, the index of the fitted model's column it is (length D).</summary>
    public IReadOnlyList<int> SourceColumns => Array.AsReadOnly(_sourceColumns);

    /// <summary>Returns a new K × D matrix of the component means.</summary>
    public Matrix<double> GetMeans() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, j) => Components[k].Mean[j]);

    /// <summary>Returns a new D × D covariance matrix of component <paramref name="component"/>.</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is outside [0, K).</exception>
    public Matrix<double> GetCovariance(int component)
    {
        if ((uint)component >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(component), component, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[component].GetCovariance();
    }

    /// <summary>Returns the mean of the whole mixture, Σ_k π_k μ_k (for a conditional mixture: E[x_b | x_a]), as a new vector of length D.</summary>
    public Vector<double> GetMixtureMean() => Vector<double>.Build.DenseOfArray(GaussianMixtureAlgebra.MixtureMean(this));

    /// <summary>
    /// Returns the covariance of the whole mixture, Σ_k π_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ with μ = Σ_k π_k μ_k (for a
    /// conditional mixture: Cov[x_b | x_a]), as a new D × D matrix.
    /// </summary>
    public Matrix<double> GetMixtureCovariance()
    {
        var values = GaussianMixtureAlgebra.MixtureCovariance(this);
        return Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => values[(i * Dimension) + j]);
    }

    /// <summary>The marginal mixture over <paramref name="columns"/>; see <see cref="GaussianMixtureModel.Marginalize"/>.</summary>
    /// <param name="columns">Distinct column indices in [0, D), at least one and fewer than D; the result's columns are in this order.</param>
    /// <returns>The marginal mixture.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty, lists every column, or repeats a column.</exception>
    public GaussianMixtureDistribution Marginalize(IReadOnlyList<int> columns) =>
        GaussianMixtureAlgebra.Marginalize(this, CovarianceType, _regularization, columns, _sourceColumns);

    /// <summary>The conditional mixture over the other columns given x_a = <paramref name="values"/>; see <see cref="GaussianMixtureModel.Condition"/>.</summary>
    /// <param name="columns">The conditioning columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="values">x_a: one finite value per entry of <paramref name="columns"/>, in that order.</param>
    /// <returns>The conditional mixture over the remaining columns, in ascending order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="values"/> has the wrong length or a non-finite value, or every component gives x_a zero density.</exception>
    public GaussianMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        GaussianMixtureAlgebra.Condition(this, CovarianceType, _regularization, columns, values, _sourceColumns);

    /// <summary>Conditional means (and covariances) of the other columns for many rows; see <see cref="GaussianMixtureModel.Regress"/>.</summary>
    /// <param name="inputColumns">The input columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="inputs">N × |a| finite values; column i holds model column <c>inputColumns[i]</c>.</param>
    /// <param name="includeCovariances">Whether to compute each row's |b| × |b| conditional covariance too.</param>
    /// <returns>The conditional means and, when asked for, covariances.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="inputColumns"/> or <paramref name="inputs"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="inputs"/> has the wrong column count or a non-finite value, or a row has zero density under every component.</exception>
    public MixtureRegression Regress(IReadOnlyList<int> inputColumns, DataMatrix inputs, bool includeCovariances = false) =>
        GaussianMixtureAlgebra.Regress(this, CovarianceType, _regularization, inputColumns, inputs, includeCovariances);

    private static Func<IBlockDensityKernel<GaussianComponent>?>? KernelFactory(GaussianFamily family, int componentCount) =>
        family is IBlockKernelSource<GaussianComponent, GaussianStatistics> source ? () => source.CreateBlockKernel(componentCount) : null;
}
