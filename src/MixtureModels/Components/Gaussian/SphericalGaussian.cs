using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Components.Gaussian;

/// <summary>A Gaussian with covariance σ²·I: log N(x) = −½(D·log 2π + ‖x − μ‖²/σ²) − ½·D·log σ².</summary>
public sealed class SphericalGaussian : GaussianComponent
{
    private readonly double[] _precisions; // D copies of 1/σ², so the diagonal kernel serves
    private readonly double _logDetPrecisionCholesky;

    private SphericalGaussian(double[] mean, double variance)
        : base(mean)
    {
        Variance = variance;
        _precisions = new double[mean.Length];
        Array.Fill(_precisions, 1.0 / variance);
        _logDetPrecisionCholesky = -0.5 * mean.Length * Math.Log(variance);
    }

    /// <inheritdoc />
    public override int ParameterCount => Dimension + 1;

    /// <summary>The common variance σ².</summary>
    public double Variance { get; }

    /// <summary>Creates N(μ, σ²·I).</summary>
    /// <param name="mean">μ, length D.</param>
    /// <param name="variance">σ², finite and positive.</param>
    /// <exception cref="ArgumentException">A value is not finite, or the variance is not positive.</exception>
    public static SphericalGaussian WithMeanVariance(ReadOnlySpan<double> mean, double variance)
    {
        var m = GaussianValidation.Mean(mean, nameof(mean));
        GaussianValidation.Positive([variance], nameof(variance));
        return new SphericalGaussian(m, variance);
    }

    /// <inheritdoc />
    public override Matrix<double> GetCovariance() => Matrix<double>.Build.DenseDiagonal(Dimension, Dimension, Variance);

    /// <inheritdoc />
    public override Matrix<double> GetPrecisionCholesky() => Matrix<double>.Build.DenseDiagonal(Dimension, Dimension, Math.Sqrt(_precisions[0]));

    /// <summary>The precision 1/σ².</summary>
    internal double Precision => _precisions[0];

    /// <summary>−½·D·(log 2π + log σ²): the log-density at the mean.</summary>
    internal double LogDensityConstant => (-0.5 * Dimension * LogTwoPi) + _logDetPrecisionCholesky;

    /// <inheritdoc />
    internal override void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) =>
        DiagonalCovarianceKernel.LogDensity(rows, MeanArray, _precisions, LogDensityConstant, destination);

    /// <inheritdoc />
    internal override void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension;
        double precision = _precisions[0];
        double logVariance = Math.Log(Variance);
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            double quadratic = 0;
            int observed = 0;
            for (int i = 0; i < d; i++)
            {
                double x = row[i];
                if (double.IsNaN(x))
                {
                    continue; // independent columns: a missing entry integrates out to 1
                }

                double delta = x - MeanArray[i];
                quadratic += delta * delta;
                observed++;
            }

            destination[n] = -0.5 * ((observed * (LogTwoPi + logVariance)) + (quadratic * precision));
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

    /// <summary>Builds the component from a mean it then owns; false if the variance is not positive and finite.</summary>
    internal static bool TryCreate(double[] mean, double variance, out SphericalGaussian result)
    {
        if (!(variance > 0) || !double.IsFinite(variance))
        {
            result = null!;
            return false;
        }

        result = new SphericalGaussian(mean, variance);
        return true;
    }

    /// <inheritdoc />
    internal override GaussianComponent WithMean(double[] mean) => new SphericalGaussian(mean, Variance);
}
