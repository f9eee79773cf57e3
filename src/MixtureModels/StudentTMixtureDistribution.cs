using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.StudentT;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A Student-t mixture derived from a fitted one by <see cref="StudentTMixtureModel.Marginalize"/> or
/// <see cref="StudentTMixtureModel.Condition"/>: a marginal or conditional distribution over some of the fitted model's
/// columns. It answers every query of <see cref="MixtureModel{TComponent}"/> (log-density, responsibilities, labels,
/// sampling, imputation when the fitted model handles missing values), gives the mixture's mean and covariance where
/// they exist (ν &gt; 1 and ν &gt; 2), and can itself be marginalised and conditioned. It has no fit report: nothing was fitted.
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class StudentTMixtureDistribution : MixtureModel<StudentTComponent>
{
    private readonly int[] _sourceColumns;
    private readonly double _regularization;

    internal StudentTMixtureDistribution(double[] weights, StudentTComponent[] components, CovarianceType type, double regularization, MissingValueHandling missingValues, int[] sourceColumns)
        : base(weights, components, ComponentParameters(components, type), null, null)
    {
        CovarianceType = type;
        MissingValues = missingValues;
        _regularization = regularization;
        _sourceColumns = sourceColumns;
    }

    /// <summary>What NaN means in this mixture's queries: the setting of the fitted model it was derived from.</summary>
    public override MissingValueHandling MissingValues { get; }

    /// <summary>
    /// The shape of the scale matrices: the fitted model's, except that conditioning a tied model gives
    /// <see cref="CovarianceType.Full"/> (each component's conditional scale is multiplied by its own (ν + δ_a²)/(ν + |a|)).
    /// </summary>
    public CovarianceType CovarianceType { get; }

    /// <summary>For each of this mixture's D columns, the index of the fitted model's column it is (length D).</summary>
    public IReadOnlyList<int> SourceColumns => Array.AsReadOnly(_sourceColumns);

    /// <summary>Returns a new K × D matrix of the component locations μ_k.</summary>
    public Matrix<double> GetMeans() => Matrix<double>.Build.Dense(ComponentCount, Dimension, (k, j) => Components[k].Mean[j]);

    /// <summary>Returns a new D × D scale matrix Σ_k of component <paramref name="component"/>.</summary>
    /// <param name="component">Component index in [0, K).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is outside [0, K).</exception>
    public Matrix<double> GetScale(int component)
    {
        if ((uint)component >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(component), component, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[component].GetScale();
    }

    /// <summary>Returns a new array of the K degrees of freedom ν_k (for a conditional mixture, the fitted ν_k + |a|).</summary>
    public double[] GetDegreesOfFreedom()
    {
        var result = new double[ComponentCount];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = Components[k].DegreesOfFreedom;
        }

        return result;
    }

    /// <summary>Returns the mean of the whole mixture, Σ_k π_k μ_k (for a conditional mixture: E[x_b | x_a]), as a new vector of length D.</summary>
    /// <exception cref="InvalidOperationException">A component with positive weight has ν ≤ 1, so the mean does not exist.</exception>
    public Vector<double> GetMixtureMean() => Vector<double>.Build.DenseOfArray(StudentTMixtureAlgebra.MixtureMean(this));

    /// <summary>
    /// Returns the covariance of the whole mixture, Σ_k π_k (ν_k/(ν_k − 2)·Σ_k + (μ_k − μ)(μ_k − μ)ᵀ) with μ the mixture
    /// mean (for a conditional mixture: Cov[x_b | x_a]), as a new D × D matrix.
    /// </summary>
    /// <exception cref="InvalidOperationException">A component with positive weight has ν ≤ 2, so the covariance is infinite.</exception>
    public Matrix<double> GetMixtureCovariance()
    {
        var values = StudentTMixtureAlgebra.MixtureCovariance(this);
        return Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => values[(i * Dimension) + j]);
    }

    /// <summary>The marginal mixture over <paramref name="columns"/>; see <see cref="StudentTMixtureModel.Marginalize"/>.</summary>
    /// <param name="columns">Distinct column indices in [0, D), at least one and fewer than D; the result's columns are in this order.</param>
    /// <returns>The marginal mixture.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty, lists every column, or repeats a column.</exception>
    public StudentTMixtureDistribution Marginalize(IReadOnlyList<int> columns) =>
        StudentTMixtureAlgebra.Marginalize(this, CovarianceType, _regularization, columns, _sourceColumns);

    /// <summary>The conditional mixture over the other columns given x_a = <paramref name="values"/>; see <see cref="StudentTMixtureModel.Condition"/>.</summary>
    /// <param name="columns">The conditioning columns a: distinct indices in [0, D), at least one and fewer than D.</param>
    /// <param name="values">x_a: one finite value per entry of <paramref name="columns"/>, in that order.</param>
    /// <returns>The conditional mixture over the remaining columns, in ascending order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="columns"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column index is outside [0, D).</exception>
    /// <exception cref="ArgumentException">The columns are invalid, <paramref name="values"/> has the wrong length or a non-finite value, or every component gives x_a zero density.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A conditional scale is not positive definite.</exception>
    public StudentTMixtureDistribution Condition(IReadOnlyList<int> columns, ReadOnlySpan<double> values) =>
        StudentTMixtureAlgebra.Condition(this, CovarianceType, _regularization, columns, values, _sourceColumns);

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

    /// <summary>The free parameters of the components: locations, scales of the given shape, and one ν per component.</summary>
    private static int ComponentParameters(StudentTComponent[] components, CovarianceType type) =>
        new StudentTFamily(components[0].Dimension, 0, 10, DegreesOfFreedomEstimation.PerComponent, type).ParameterCount(components.Length);
}
