using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// A multivariate normal component N(μ, Σ). The concrete types differ in how Σ is parameterised
/// (<see cref="FullGaussian"/>, <see cref="DiagonalGaussian"/>, <see cref="SphericalGaussian"/>); all are immutable.
/// </summary>
public abstract class GaussianComponent : IMissingValueComponent, IUncheckedComponent
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
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds NaN or ±∞ (use <see cref="MarginalLogDensity"/> for rows with missing entries).</exception>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.Finite(rows, Dimension, nameof(rows), missingAllowedElsewhere: true);
        LogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, or holds NaN or ±∞.</exception>
    public double LogDensity(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Finite(row, Dimension, nameof(row), missingAllowedElsewhere: true);
        return LogDensityUnchecked(row);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length D.</exception>
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SampleUnchecked(random, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, holds ±∞, or has a row with every entry missing.</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.ObservedOrMissing(rows, Dimension, nameof(rows));
        MarginalLogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D, or the row holds ±∞ or has every entry missing.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SpanArguments.ObservedOrMissing(row, Dimension, nameof(row));
        ConditionalMeanUnchecked(row, destination);
    }

    /// <summary>log p(x | θ) of a finite block of whole rows (no checks).</summary>
    internal abstract void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>log p(x | θ) of one finite row of length D (no checks).</summary>
    internal virtual double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        Span<double> result = stackalloc double[1];
        LogDensityUnchecked(row, result);
        return result[0];
    }

    /// <summary>One draw into a destination of length D (no checks).</summary>
    internal abstract void SampleUnchecked(Random random, Span<double> destination);

    /// <summary>The marginal log-density of a block of whole rows, each with an observed entry (no checks).</summary>
    internal abstract void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination);

    /// <summary>The conditional mean of a row of length D into a destination of length D (no checks).</summary>
    internal abstract void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination);

    void IUncheckedComponent.LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => LogDensityUnchecked(rows, destination);

    void IUncheckedComponent.MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => MarginalLogDensityUnchecked(rows, destination);

    void IUncheckedComponent.ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) => ConditionalMeanUnchecked(row, destination);

    void IUncheckedComponent.SampleUnchecked(Random random, Span<double> destination) => SampleUnchecked(random, destination);

    /// <summary>The same covariance around another mean (which the result then owns).</summary>
    internal abstract GaussianComponent WithMean(double[] mean);

    /// <summary>The kind and the mean, for example "FullGaussian(D = 2, μ = [2.04, 54.5])" (at most six entries of μ).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{GetType().Name}(D = {Dimension}, μ = {DisplayText.Vector(Mean)})");
}
