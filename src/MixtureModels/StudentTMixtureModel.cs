using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.StudentT;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

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
        DegreesOfFreedomEstimation = family.Estimation;
        CovarianceType = family.ScaleType;
    }

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
        var result = new double[data.Rows, ComponentCount];
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
        var result = new double[data.Rows];
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

    private StudentTComponent Component(int index)
    {
        if ((uint)index >= (uint)ComponentCount)
        {
            ThrowHelper.ThrowArgumentOutOfRange("component", index, $"Use a component index in [0, {ComponentCount}).");
        }

        return Components[index];
    }
}
