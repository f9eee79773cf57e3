using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A Gaussian with a general covariance matrix Σ. It caches the precision Cholesky factor P = L⁻ᵀ (Σ = L·Lᵀ) and
/// evaluates log N(x) = −½(D·log 2π + ‖(x − μ)ᵀP‖²) + Σ log Pᵢᵢ.
/// </summary>
public sealed class FullGaussian : GaussianComponent
{
    private readonly double[] _covariance;          // D×D row-major
    private readonly double[] _covarianceCholesky;  // L, lower
    private readonly double[] _precisionCholesky;   // P = L⁻ᵀ, upper
    private readonly double[] _paddedPrecisionCholesky; // P with row stride rounded up to the kernel's vector width
    private readonly double _logDetPrecisionCholesky;

    private FullGaussian(double[] mean, double[] covariance, double[] covarianceCholesky, double[] precisionCholesky)
        : base(mean)
    {
        int d = mean.Length;
        _covariance = covariance;
        _covarianceCholesky = covarianceCholesky;
        _precisionCholesky = precisionCholesky;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        _paddedPrecisionCholesky = new double[dp * dp];
        for (int i = 0; i < d; i++)
        {
            precisionCholesky.AsSpan(i * d, d).CopyTo(_paddedPrecisionCholesky.AsSpan(i * dp, d));
        }

        double logDet = 0;
        for (int i = 0; i < d; i++)
        {
            logDet += Math.Log(precisionCholesky[(i * d) + i]);
        }

        _logDetPrecisionCholesky = logDet;
    }

    /// <inheritdoc />
    public override int ParameterCount => Dimension + (Dimension * (Dimension + 1) / 2);

    /// <summary>Σ log Pᵢᵢ = −½ log det Σ.</summary>
    public double LogDeterminantPrecisionCholesky => _logDetPrecisionCholesky;

    /// <summary>Creates N(μ, Σ) from a mean and a symmetric positive-definite covariance matrix.</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="covariance">Σ, D × D, symmetric positive definite.</param>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or Σ is not symmetric positive definite.</exception>
    public static FullGaussian WithMeanCovariance(ReadOnlySpan<double> mean, Matrix<double> covariance)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        var m = GaussianValidation.Mean(mean, nameof(mean));
        var c = GaussianValidation.SymmetricMatrix(covariance, m.Length, nameof(covariance));
        if (!TryCreate(m, c, out var result))
        {
            ThrowHelper.ThrowArgument(nameof(covariance), "covariance is not positive definite. Pass a symmetric positive-definite matrix (add a small value to its diagonal if it is singular).");
        }

        return result;
    }

    /// <summary>Creates N(μ, Λ⁻¹) from a mean and a symmetric positive-definite precision matrix Λ.</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="precision">Λ = Σ⁻¹, D × D, symmetric positive definite.</param>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or Λ is not symmetric positive definite.</exception>
    public static FullGaussian WithMeanPrecision(ReadOnlySpan<double> mean, Matrix<double> precision)
    {
        ArgumentNullException.ThrowIfNull(precision);
        var m = GaussianValidation.Mean(mean, nameof(mean));
        var covariance = GaussianValidation.InvertSymmetricPositiveDefinite(precision, m.Length, nameof(precision));
        if (!TryCreate(m, covariance, out var result))
        {
            ThrowHelper.ThrowArgument(nameof(precision), "precision is too ill-conditioned to invert. Pass a better-conditioned symmetric positive-definite matrix.");
        }

        return result;
    }

    /// <inheritdoc />
    public override Matrix<double> GetCovariance() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _covariance[(i * Dimension) + j]);

    /// <inheritdoc />
    public override Matrix<double> GetPrecisionCholesky() => Matrix<double>.Build.Dense(Dimension, Dimension, (i, j) => _precisionCholesky[(i * Dimension) + j]);

    /// <inheritdoc />
    public override void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension, count = destination.Length;
        int dp = FullCovarianceKernel.PaddedDimension(d);
        FullCovarianceKernel.QuadraticForms(rows, count, MeanArray, dp, _paddedPrecisionCholesky, destination);
        double constant = (-0.5 * d * LogTwoPi) + _logDetPrecisionCholesky;
        for (int n = 0; n < count; n++)
        {
            destination[n] = constant - (0.5 * destination[n]);
        }
    }

    /// <inheritdoc />
    public override double LogDensity(ReadOnlySpan<double> row)
    {
        int d = Dimension;
        double quad = 0;
        for (int j = 0; j < d; j++)
        {
            double y = 0;
            for (int i = 0; i <= j; i++)
            {
                y += (row[i] - MeanArray[i]) * _precisionCholesky[(i * d) + j];
            }

            quad += y * y;
        }

        return (-0.5 * ((d * LogTwoPi) + quad)) + _logDetPrecisionCholesky;
    }

    /// <inheritdoc />
    public override void Sample(Random random, Span<double> destination)
    {
        int d = Dimension;
        Span<double> z = d <= 64 ? stackalloc double[d] : new double[d];
        StandardNormal.Fill(random, z);
        for (int i = 0; i < d; i++)
        {
            double s = MeanArray[i];
            for (int k = 0; k <= i; k++)
            {
                s += _covarianceCholesky[(i * d) + k] * z[k];
            }

            destination[i] = s;
        }
    }

    /// <summary>Builds the component from μ and Σ (both owned by the result afterwards); false if Σ is not positive definite.</summary>
    internal static bool TryCreate(double[] mean, double[] covariance, out FullGaussian result)
    {
        int d = mean.Length;
        var lower = new double[d * d];
        if (!Cholesky.TryFactor(covariance, d, lower))
        {
            result = null!;
            return false;
        }

        var precisionCholesky = new double[d * d];
        Cholesky.InverseTranspose(lower, d, precisionCholesky);
        result = new FullGaussian(mean, covariance, lower, precisionCholesky);
        return true;
    }

    /// <summary>A component with its own mean that shares the covariance factors of <paramref name="shared"/> (tied covariance).</summary>
    internal static FullGaussian WithSharedCovariance(double[] mean, FullGaussian shared) =>
        new(mean, shared._covariance, shared._covarianceCholesky, shared._precisionCholesky);

    /// <inheritdoc />
    internal override GaussianComponent WithMean(double[] mean) => WithSharedCovariance(mean, this);
}
