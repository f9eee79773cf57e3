using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>
/// A Poisson distribution over one column of non-negative integer counts, with rate λ &gt; 0:
/// log p(x) = x·log λ − λ − log Γ(x + 1) for x = 0, 1, 2, …. Mean and variance are both λ.
/// </summary>
/// <remarks>
/// The component has <see cref="Dimension"/> 1: every row is one value. Immutable and thread-safe; it caches log λ.
/// Values outside the support (negative, non-integer, NaN or infinite) have log-density −∞; the density methods do
/// not throw on them, so validate the data at the public boundary first.
/// </remarks>
public sealed class PoissonComponent : IMissingValueComponent, IUncheckedComponent
{
    private readonly double _logRate;

    private PoissonComponent(double rate)
    {
        Rate = rate;
        _logRate = Math.Log(rate);
    }

    /// <summary>The rate λ (finite, positive): the mean and the variance of the counts.</summary>
    public double Rate { get; }

    /// <summary>Always 1: the component models one column.</summary>
    public int Dimension => 1;

    /// <summary>Always 1: the rate λ.</summary>
    public int ParameterCount => 1;

    /// <summary>Creates the Poisson distribution with rate λ = <paramref name="rate"/>.</summary>
    /// <param name="rate">λ, finite and positive (for example 3.5).</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is zero, negative, NaN or infinite.</exception>
    public static PoissonComponent WithRate(double rate)
    {
        if (!(rate > 0) || !double.IsFinite(rate))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(rate), rate, "The Poisson rate must be finite and positive, for example the mean count of the column.");
        }

        return new PoissonComponent(rate);
    }

    /// <summary>Writes log p(xₙ) = xₙ·log λ − λ − log Γ(xₙ + 1) for a block of one-value rows.</summary>
    /// <param name="rows">One count per row (destination.Length values).</param>
    /// <param name="destination">Receives one log-density per row; −∞ for a value outside the support.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="destination"/>.</exception>
    internal void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A Poisson component reads one value per row."));
        }

        double logRate = _logRate;
        double rate = Rate;
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = LogDensityCore(rows[n], rate, logRate);
        }
    }

    /// <summary>log p(x) = x·log λ − λ − log Γ(x + 1) of one row holding one count.</summary>
    /// <param name="row">A row of length 1.</param>
    /// <returns>The log-density; −∞ when the value is not a non-negative integer.</returns>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length 1.</exception>
    internal double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        if (row.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(row), string.Create(CultureInfo.InvariantCulture, $"row has length {row.Length}; a Poisson component reads rows of length 1."));
        }

        return LogDensityCore(row[0], Rate, _logRate);
    }

    /// <summary>Draws one count (as a double) from Poisson(λ) into <paramref name="destination"/>[0].</summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="destination">A span of length 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length 1.</exception>
    internal void SampleUnchecked(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (destination.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length}; a Poisson component draws rows of length 1."));
        }

        destination[0] = PoissonSampler.Sample(random, Rate, _logRate);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Poisson(λ = {Rate})");

    private static double LogDensityCore(double x, double rate, double logRate)
    {
        // x >= 0 is false for NaN; Math.Floor(∞) = ∞, so ∞ is excluded separately.
        if (!(x >= 0) || x != Math.Floor(x) || double.IsPositiveInfinity(x))
        {
            return double.NegativeInfinity;
        }

        // 0·log λ is 0 even when λ is tiny (log λ finite since λ > 0).
        return (x * logRate) - rate - LogFactorial.Of(x);
    }

    /// <inheritdoc />
    internal void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A Poisson component reads one value per row."));
        }

        for (int n = 0; n < destination.Length; n++)
        {
            double x = rows[n];
            destination[n] = double.IsNaN(x) ? 0 : LogDensityCore(x, Rate, _logRate);
        }
    }

    /// <inheritdoc />
    internal void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) =>
        destination[0] = double.IsNaN(row[0]) ? Rate : row[0];

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values, or holds NaN (a value outside the support, ±∞ included, has log-density −∞; use <see cref="MarginalLogDensity"/> for rows with missing entries).</exception>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        SpanArguments.NotNaN(rows, Dimension, nameof(rows));
        LogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length D, or holds NaN (a value outside the support, ±∞ included, has log-density −∞).</exception>
    public double LogDensity(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.NotNaN(row, Dimension, nameof(row));
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
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not destination.Length whole rows of D values (a missing entry has log-density 0; ±∞, outside the support, −∞).</exception>
    public void MarginalLogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        SpanArguments.Block(rows, destination.Length, Dimension);
        MarginalLogDensityUnchecked(rows, destination);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="row"/> or <paramref name="destination"/> does not have length D.</exception>
    public void ConditionalMean(ReadOnlySpan<double> row, Span<double> destination)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        SpanArguments.Length(destination.Length, Dimension, nameof(destination));
        ConditionalMeanUnchecked(row, destination);
    }

    void IUncheckedComponent.LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => LogDensityUnchecked(rows, destination);

    void IUncheckedComponent.MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) => MarginalLogDensityUnchecked(rows, destination);

    void IUncheckedComponent.ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination) => ConditionalMeanUnchecked(row, destination);

    void IUncheckedComponent.SampleUnchecked(Random random, Span<double> destination) => SampleUnchecked(random, destination);
}
