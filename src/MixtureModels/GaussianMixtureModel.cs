using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>
/// A fitted Gaussian mixture: weights, means and covariances with the fit's report, and every query of
/// <see cref="FittedMixtureModel{TComponent}"/> (log-density, responsibilities, labels, sampling, BIC, AIC).
/// Immutable and safe to query from many threads at once.
/// </summary>
public sealed class GaussianMixtureModel : FittedMixtureModel<GaussianComponent>
{
    internal GaussianMixtureModel(FitOutcome<GaussianComponent> outcome, CovarianceType covarianceType)
        : base(outcome)
    {
        CovarianceType = covarianceType;
    }

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
}
