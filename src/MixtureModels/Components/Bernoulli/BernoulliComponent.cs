using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// D independent Bernoulli variables over binary rows: p(x | φ) = Π_d φ_d^x_d (1 − φ_d)^(1 − x_d) for x_d ∈ {0, 1}.
/// </summary>
/// <remarks>
/// The component is immutable. It caches the log-odds logit_d = log(φ_d / (1 − φ_d)) and the constant Σ_d log(1 − φ_d),
/// so that log p(x) = Σ_d x_d·logit_d + Σ_d log(1 − φ_d): one dot product per row. The density methods assume binary
/// rows and do not check them (they are the hot path); the estimator validates data at its public boundary.
/// </remarks>
public sealed class BernoulliComponent : IMissingValueComponent, IUncheckedComponent
{
    private readonly double[] _probabilities;
    private readonly double[] _logOdds;
    private readonly double _logComplementSum;
    private readonly double[] _logComplements;

    private BernoulliComponent(double[] probabilities)
    {
        _probabilities = probabilities;
        _logOdds = new double[probabilities.Length];
        _logComplements = new double[probabilities.Length];
        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            double logComplement = LogOneMinus(p);
            _logOdds[i] = Math.Log(p) - logComplement;
            _logComplements[i] = logComplement;
            sum += logComplement;
        }

        _logComplementSum = sum;
    }

    /// <inheritdoc />
    public int Dimension => _probabilities.Length;

    /// <summary>Number of free parameters: D, one probability per column.</summary>
    public int ParameterCount => _probabilities.Length;

    /// <summary>The probabilities φ_d = P(x_d = 1), length D, each strictly inside (0, 1).</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>The log-odds log(φ_d / (1 − φ_d)), length D (the natural parameters of the component).</summary>
    public ReadOnlySpan<double> LogOdds => _logOdds;

    /// <summary>Σ_d log(1 − φ_d): the log-density of the all-zero row, to which log p(x) adds Σ_d x_d·logit_d.</summary>
    internal double LogDensityConstant => _logComplementSum;

    /// <summary>Creates the component with the given probabilities φ_d = P(x_d = 1).</summary>
    /// <param name="probabilities">φ, length D ≥ 1, each strictly between 0 and 1. Copied.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException"><paramref name="probabilities"/> is empty, or a value is not strictly inside (0, 1).</exception>
    public static BernoulliComponent WithProbabilities(ReadOnlySpan<double> probabilities)
    {
        if (probabilities.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(probabilities), "probabilities is empty. Pass one probability per column (at least one).");
        }

        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            if (!(p > 0 && p < 1))
            {
                ThrowHelper.ThrowArgument(
                    nameof(probabilities),
                    string.Create(CultureInfo.InvariantCulture, $"probabilities[{i}] = {p} is not strictly between 0 and 1. A probability of exactly 0 or 1 makes every row with the opposite value impossible; clamp it into [ε, 1 − ε], for example with ε = {BernoulliPriors.DefaultEpsilon}."));
            }
        }

        return new BernoulliComponent(probabilities.ToArray());
    }

    /// <inheritdoc />
    /// <remarks>log p(xₙ) = Σ_d xₙd·logit_d + Σ_d log(1 − φ_d) for every row of the block.</remarks>
    internal void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination) =>
        BernoulliKernel.LogDensity(rows, _logOdds, _logComplementSum, destination);

    /// <inheritdoc />
    internal double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        if (row.Length != Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(row), string.Create(CultureInfo.InvariantCulture, $"row has length {row.Length} but the component has dimension {Dimension}. Pass one value per column."));
        }

        Span<double> result = stackalloc double[1];
        BernoulliKernel.LogDensity(row, _logOdds, _logComplementSum, result);
        return result[0];
    }

    /// <inheritdoc />
    /// <remarks>Writes x_d = 1 with probability φ_d and 0 otherwise, one uniform draw per column.</remarks>
    internal void SampleUnchecked(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (destination.Length < Dimension)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length} but the component has dimension {Dimension}. Pass a span of at least {Dimension} values."));
        }

        for (int i = 0; i < _probabilities.Length; i++)
        {
            destination[i] = random.NextDouble() < _probabilities[i] ? 1.0 : 0.0;
        }
    }

    /// <summary>Builds the component from an array it then owns; every value must already be inside (0, 1).</summary>
    internal static BernoulliComponent FromOwnedProbabilities(double[] probabilities) => new(probabilities);

    /// <summary>log(1 − p) for p in (0, 1), accurate also for small p, where 1 − p would round away the digits of p.</summary>
    internal static double LogOneMinus(double p)
    {
        if (p < 1e-4)
        {
            // −p − p²/2 − p³/3 − p⁴/4; the first omitted term, p⁵/5 &lt; 2e-21, is below the rounding of the result.
            return -p * (1 + (p * ((1.0 / 2) + (p * ((1.0 / 3) + (p * (1.0 / 4)))))));
        }

        return Math.Log(1 - p);
    }

    /// <inheritdoc />
    internal void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        int d = Dimension;
        if (rows.Length < destination.Length * d)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but {destination.Length} rows of {d} are needed."));
        }

        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            double sum = 0;
            for (int i = 0; i < d; i++)
            {
                double x = row[i];
                if (!double.IsNaN(x))
                {
                    sum += (x * _logOdds[i]) + _logComplements[i]; // x·log p + (1 − x)·log(1 − p); a missing entry sums out to 1
                }
            }

            destination[n] = sum;
        }
    }

    /// <inheritdoc />
    internal void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        for (int i = 0; i < Dimension; i++)
        {
            destination[i] = double.IsNaN(row[i]) ? _probabilities[i] : row[i];
        }
    }

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

    /// <summary>The probabilities, for example "Bernoulli(D = 3, p = [0.1, 0.9, 0.5])" (at most six entries).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Bernoulli(D = {Dimension}, p = {DisplayText.Vector(Probabilities)})");
}
