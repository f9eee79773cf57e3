using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Normal;

/// <summary>
/// A univariate normal distribution N(μ, σ²) over one column:
/// log p(x) = −½ log(2π) − ½ log σ² − (x − μ)² / (2σ²).
/// </summary>
/// <remarks>
/// The component has <see cref="Dimension"/> 1: every row is one value. Immutable and thread-safe; it caches 1/σ² and
/// the normalising constant.
/// </remarks>
public sealed class NormalComponent : IMissingValueComponent, IUncheckedComponent
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    private readonly double _precision;
    private readonly double _logNormaliser;

    private NormalComponent(double mean, double variance)
    {
        Mean = mean;
        Variance = variance;
        StandardDeviation = Math.Sqrt(variance);
        _precision = 1.0 / variance;
        _logNormaliser = -0.5 * (LogTwoPi + Math.Log(variance));
    }

    /// <summary>The mean μ (finite).</summary>
    public double Mean { get; }

    /// <summary>The variance σ² (finite, positive).</summary>
    public double Variance { get; }

    /// <summary>The standard deviation σ = √σ².</summary>
    public double StandardDeviation { get; }

    /// <summary>Always 1: the component models one column.</summary>
    public int Dimension => 1;

    /// <summary>Always 2: μ and σ².</summary>
    public int ParameterCount => 2;

    /// <summary>Creates N(μ, σ²).</summary>
    /// <param name="mean">μ, finite.</param>
    /// <param name="variance">σ², finite and positive.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> is not finite, or <paramref name="variance"/> is not finite and positive.</exception>
    public static NormalComponent WithMeanVariance(double mean, double variance)
    {
        if (!double.IsFinite(mean))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(mean), mean, "The mean must be finite.");
        }

        if (!(variance > 0) || !double.IsFinite(variance))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(variance), variance, "The variance must be finite and positive (it is σ², not σ).");
        }

        return new NormalComponent(mean, variance);
    }

    /// <summary>Writes log p(xₙ) = −½ log(2πσ²) − (xₙ − μ)² / (2σ²) for a block of one-value rows.</summary>
    /// <param name="rows">One value per row (destination.Length values).</param>
    /// <param name="destination">Receives one log-density per row.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="destination"/>.</exception>
    internal void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A normal component reads one value per row."));
        }

        VectorKernels.ConstantMinusScaledSquares(rows, Mean, 0.5 * _precision, _logNormaliser, destination);
    }

    /// <summary>log p(x) = −½ log(2πσ²) − (x − μ)² / (2σ²) of one row holding one value.</summary>
    /// <param name="row">A row of length 1.</param>
    /// <returns>The log-density.</returns>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length 1.</exception>
    internal double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        if (row.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(row), string.Create(CultureInfo.InvariantCulture, $"row has length {row.Length}; a normal component reads rows of length 1."));
        }

        double d = row[0] - Mean;
        return _logNormaliser - (0.5 * _precision * d * d);
    }

    /// <summary>Draws x = μ + σ·z, z ~ N(0, 1), into <paramref name="destination"/>[0].</summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="destination">A span of length 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length 1.</exception>
    internal void SampleUnchecked(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (destination.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length}; a normal component draws rows of length 1."));
        }

        StandardNormal.Fill(random, destination);
        destination[0] = Mean + (StandardDeviation * destination[0]);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Normal(μ = {Mean}, σ² = {Variance})");

    /// <inheritdoc />
    internal void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A normal component reads one value per row."));
        }

        for (int n = 0; n < destination.Length; n++)
        {
            double x = rows[n];
            if (double.IsNaN(x))
            {
                destination[n] = 0; // nothing observed: the marginal density of no entries is 1
            }
            else
            {
                double d = x - Mean;
                destination[n] = _logNormaliser - (0.5 * _precision * d * d);
            }
        }
    }

    /// <inheritdoc />
    internal void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) =>
        destination[0] = double.IsNaN(row[0]) ? Mean : row[0];

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
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds ±∞ (a row with every entry missing has log-density 0).</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.ObservedOrMissing(rows, Dimension, nameof(rows), needObserved: false);
        MarginalLogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D, or the row holds ±∞.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        SpanArguments.ObservedOrMissing(row, Dimension, nameof(row), needObserved: false);
        ConditionalMeanUnchecked(row, destination);
    }

    void IUncheckedComponent.LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => LogDensityUnchecked(rows, destination);

    void IUncheckedComponent.MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => MarginalLogDensityUnchecked(rows, destination);

    void IUncheckedComponent.ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) => ConditionalMeanUnchecked(row, destination);

    void IUncheckedComponent.SampleUnchecked(Random random, Span<double> destination) => SampleUnchecked(random, destination);
}
