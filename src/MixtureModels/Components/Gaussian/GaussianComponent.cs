using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A multivariate normal component N(μ, Σ). The concrete types differ in how Σ is parameterised
/// (<see cref="FullGaussian"/>, <see cref="DiagonalGaussian"/>, <see cref="SphericalGaussian"/>); all are immutable.
/// </summary>
public abstract class GaussianComponent : IMissingValueComponent
{
    /// <summary>log(2π).</summary>
    protected internal const double LogTwoPi = 1.8378770664093454835606594728112;

    private protected GaussianComponent(double[] mean)
    {
        MeanArray = mean;
    }

    /// <inheritdoc />
    public int Dimension => MeanArray.Length;

    /// <inheritdoc />
    public abstract int ParameterCount { get; }

    /// <summary>The mean μ (length D).</summary>
    public ReadOnlySpan<double> Mean => MeanArray;

    /// <summary>The mean, as an array the component owns. Never written after construction.</summary>
    internal double[] MeanArray { get; }

    /// <summary>Returns a new D × D matrix holding the covariance Σ.</summary>
    public abstract Matrix<double> GetCovariance();

    /// <summary>Returns a new D × D matrix holding the precision Σ⁻¹.</summary>
    public Matrix<double> GetPrecision()
    {
        var p = GetPrecisionCholesky();
        return p * p.Transpose();
    }

    /// <summary>
    /// Returns a new D × D matrix P with P·Pᵀ = Σ⁻¹ (scikit-learn's <c>precisions_cholesky_</c>): upper triangular
    /// for full and tied covariance, diagonal otherwise.
    /// </summary>
    public abstract Matrix<double> GetPrecisionCholesky();

    /// <inheritdoc />
    public abstract void LogDensity(ReadOnlySpan<double> rows, Span<double> destination);

    /// <inheritdoc />
    public virtual double LogDensity(ReadOnlySpan<double> row)
    {
        Span<double> result = stackalloc double[1];
        LogDensity(row[..Dimension], result);
        return result[0];
    }

    /// <inheritdoc />
    public abstract void Sample(Random random, Span<double> destination);

    /// <summary>The same covariance around another mean (which the result then owns).</summary>
    internal abstract GaussianComponent WithMean(double[] mean);

    /// <inheritdoc />
    public abstract void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination);

    /// <inheritdoc />
    public abstract void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination);
}
