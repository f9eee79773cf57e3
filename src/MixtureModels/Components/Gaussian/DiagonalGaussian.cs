using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A Gaussian with a diagonal covariance diag(σ₁², …, σ_D²): log N(x) = −½(D·log 2π + Σ (x_d − μ_d)²/σ_d²) − ½ Σ log σ_d².
/// </summary>
public sealed class DiagonalGaussian : GaussianComponent
{
    private readonly double[] _variances;
    private readonly double[] _precisions;
    private readonly double _logDetPrecisionCholesky;

    private DiagonalGaussian(double[] mean, double[] variances)
        : base(mean)
    {
        _variances = variances;
        _precisions = new double[variances.Length];
        double logDet = 0;
        for (int i = 0; i < variances.Length; i++)
        {
            _precisions[i] = 1.0 / variances[i];
            logDet -= 0.5 * Math.Log(variances[i]);
        }

        _logDetPrecisionCholesky = logDet;
    }

    /// <inheritdoc />
    public override int ParameterCount => 2 * Dimension;

    /// <summary>The variances σ_d² (length D).</summary>
    public ReadOnlySpan<double> Variances => _variances;

    /// <summary>Creates N(μ, diag(variances)).</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="variances">σ_d², length D, each finite and positive.</param>
    /// <exception cref="ArgumentException">Lengths differ or a value is not finite/positive.</exception>
    public static DiagonalGaussian WithMeanVariances(ReadOnlySpan<double> mean, ReadOnlySpan<double> variances)
    {
        var m = GaussianValidation.Mean(mean, nameof(mean));
        if (variances.Length != m.Length)
        {
            ThrowHelper.ThrowArgument(nameof(variances), $"variances has length {variances.Length} but mean has length {m.Length}. Pass one variance per column.");
        }

        return new DiagonalGaussian(m, GaussianValidation.Positive(variances, nameof(variances)));
    }

    /// <inheritdoc />
    public override Matrix<double> GetCovariance() => Matrix<double>.Build.DenseOfDiagonalArray(_variances);

    /// <inheritdoc />
    public override Matrix<double> GetPrecisionCholesky() => Matrix<double>.Build.DenseOfDiagonalArray(Array.ConvertAll(_precisions, Math.Sqrt));

    /// <summary>The precisions 1/σ_d² (length D).</summary>
    internal ReadOnlySpan<double> Precisions => _precisions;

    /// <summary>−½·D·log 2π − ½ Σ log σ_d²: the log-density at the mean.</summary>
    internal double LogDensityConstant => (-0.5 * Dimension * LogTwoPi) + _logDetPrecisionCholesky;

    /// <inheritdoc />
    internal override void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) =>
        DiagonalCovarianceKernel.LogDensity(rows, MeanArray, _precisions, LogDensityConstant, destination);

    /// <inheritdoc />
    internal override void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension;
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            double quadratic = 0, logDet = 0;
            int observed = 0;
            for (int i = 0; i < d; i++)
            {
                double x = row[i];
                if (double.IsNaN(x))
                {
                    continue; // independent columns: a missing entry integrates out to 1
                }

                double delta = x - MeanArray[i];
                quadratic += delta * delta * _precisions[i];
                logDet -= 0.5 * Math.Log(_variances[i]);
                observed++;
            }

            destination[n] = (-0.5 * ((observed * LogTwoPi) + quadratic)) + logDet;
        }
    }

    /// <inheritdoc />
    internal override void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        for (int i = 0; i < Dimension; i++)
        {
            destination[i] = double.IsNaN(row[i]) ? MeanArray[i] : row[i];
        }
    }

    /// <inheritdoc />
    internal override void SampleUnchecked(Random random, Span<double> destination) => DiagonalCovarianceKernel.Sample(random, MeanArray, _precisions, destination);

    /// <summary>Builds the component from arrays it then owns; false if a variance is not positive and finite.</summary>
    internal static bool TryCreate(double[] mean, double[] variances, out DiagonalGaussian result)
    {
        foreach (double v in variances)
        {
            if (!(v > 0) || !double.IsFinite(v))
            {
                result = null!;
                return false;
            }
        }

        result = new DiagonalGaussian(mean, variances);
        return true;
    }

    /// <inheritdoc />
    internal override GaussianComponent WithMean(double[] mean) => new DiagonalGaussian(mean, _variances);
}
