using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Categorical;

/// <summary>
/// A categorical distribution over the L levels of one column (stored as doubles): p(x = v_l) = π_l, with π_l ≥ 0 and
/// Σ_l π_l = 1. The level values v_l are the integers 0, 1, …, L − 1 unless the component was built with others
/// (<see cref="WithProbabilities(ReadOnlySpan{double}, ReadOnlySpan{double})"/>, <see cref="MixtureModels.Marginal.Categorical(int, IReadOnlyList{double}, double)"/>),
/// for example the cylinder counts 4, 6 and 8.
/// </summary>
/// <remarks>
/// The component has <see cref="Dimension"/> 1: every row is one value. Immutable and thread-safe; it caches log π and
/// the cumulative probabilities used for sampling. Values that are not one of the level values (NaN included) have
/// log-density −∞; the density methods do not throw on them, so validate the data at the public boundary.
/// </remarks>
public sealed class CategoricalComponent : IMissingValueComponent, IUncheckedComponent
{
    private readonly double[] _probabilities;
    private readonly double[] _logProbabilities;
    private readonly double[] _cumulative;
    private readonly double[]? _levels; // the level values v_l, strictly increasing; null for 0, 1, …, L − 1

    private CategoricalComponent(double[] probabilities, double[]? levels)
    {
        _probabilities = probabilities;
        _levels = levels;
        _logProbabilities = new double[probabilities.Length];
        _cumulative = new double[probabilities.Length];
        double cumulative = 0;
        for (int l = 0; l < probabilities.Length; l++)
        {
            _logProbabilities[l] = Math.Log(probabilities[l]);
            cumulative += probabilities[l];
            _cumulative[l] = cumulative;
        }
    }

    /// <summary>Number of levels L (at least 1).</summary>
    public int LevelCount => _probabilities.Length;

    /// <summary>The value v_l of every level l, strictly increasing: 0, 1, …, L − 1 unless the component was built with other values.</summary>
    public IReadOnlyList<double> Levels => CategoricalLevels.AsList(_levels, LevelCount);

    /// <summary>The stored level values (null for 0, …, L − 1), for the family and serialisation.</summary>
    internal double[]? LevelValues => _levels;

    /// <summary>The probabilities π_l (length L, non-negative, summing to 1).</summary>
    public ReadOnlySpan<double> Probabilities => _probabilities;

    /// <summary>log π_l (length L); −∞ for a level of probability 0.</summary>
    public ReadOnlySpan<double> LogProbabilities => _logProbabilities;

    /// <summary>Always 1: the component models one column.</summary>
    public int Dimension => 1;

    /// <summary>L − 1: the probabilities are free up to their sum of 1.</summary>
    public int ParameterCount => LevelCount - 1;

    /// <summary>
    /// Creates the categorical distribution with p(x = l) = <paramref name="probabilities"/>[l]. The values are divided by
    /// their sum, so the stored probabilities sum to 1 to rounding.
    /// </summary>
    /// <param name="probabilities">π_0, …, π_{L−1}: at least one value, each finite and non-negative, summing to 1 within 1e-8.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException"><paramref name="probabilities"/> is empty, holds a negative or non-finite value, or does not sum to 1 within 1e-8.</exception>
    public static CategoricalComponent WithProbabilities(ReadOnlySpan<double> probabilities) => Create(probabilities, null);

    /// <summary>
    /// Creates the categorical distribution with p(x = <paramref name="levels"/>[l]) = <paramref name="probabilities"/>[l]:
    /// a column whose values are not coded 0, …, L − 1 (for example 4, 6, 8 cylinders). The probabilities are divided by
    /// their sum.
    /// </summary>
    /// <param name="probabilities">π_0, …, π_{L−1}: at least one value, each finite and non-negative, summing to 1 within 1e-8.</param>
    /// <param name="levels">v_0 &lt; … &lt; v_{L−1}: one finite value per probability, strictly increasing.</param>
    /// <returns>The component.</returns>
    /// <exception cref="ArgumentException">The probabilities are invalid, or <paramref name="levels"/> has another length, a non-finite value, or is not strictly increasing.</exception>
    public static CategoricalComponent WithProbabilities(ReadOnlySpan<double> probabilities, ReadOnlySpan<double> levels)
    {
        var parsed = CategoricalLevels.Parse(levels, nameof(levels));
        if (levels.Length != probabilities.Length)
        {
            ThrowHelper.ThrowArgument(nameof(levels), string.Create(CultureInfo.InvariantCulture, $"levels has {levels.Length} values but probabilities has {probabilities.Length}. Pass one level value per probability."));
        }

        return Create(probabilities, parsed);
    }

    private static CategoricalComponent Create(ReadOnlySpan<double> probabilities, double[]? levels)
    {
        if (probabilities.IsEmpty)
        {
            ThrowHelper.ThrowArgument(nameof(probabilities), "probabilities is empty. Pass one probability per level (at least one level).");
        }

        double sum = 0;
        for (int l = 0; l < probabilities.Length; l++)
        {
            double p = probabilities[l];
            if (!(p >= 0) || !double.IsFinite(p))
            {
                ThrowHelper.ThrowArgument(nameof(probabilities), string.Create(CultureInfo.InvariantCulture, $"probabilities[{l}] = {p}. Every probability must be finite and non-negative."));
            }

            sum += p;
        }

        if (!(Math.Abs(sum - 1) <= 1e-8))
        {
            ThrowHelper.ThrowArgument(nameof(probabilities), string.Create(CultureInfo.InvariantCulture, $"probabilities sum to {sum:R}, not 1. Divide them by their sum first."));
        }

        var normalised = new double[probabilities.Length];
        for (int l = 0; l < normalised.Length; l++)
        {
            normalised[l] = probabilities[l] / sum;
        }

        return new CategoricalComponent(normalised, levels);
    }

    /// <summary>Writes log π_{xₙ} for a block of one-value rows.</summary>
    /// <param name="rows">One level per row (destination.Length values).</param>
    /// <param name="destination">Receives one log-density per row; −∞ for a value that is not a level.</param>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is shorter than <paramref name="destination"/>.</exception>
    internal void LogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A categorical component reads one value per row."));
        }

        var logProbabilities = _logProbabilities;
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = LogDensityCore(rows[n], logProbabilities, _levels);
        }
    }

    /// <summary>log π_x of one row holding one level.</summary>
    /// <param name="row">A row of length 1.</param>
    /// <returns>The log-probability; −∞ when the value is not one of the levels 0, …, L − 1.</returns>
    /// <exception cref="ArgumentException"><paramref name="row"/> does not have length 1.</exception>
    internal double LogDensityUnchecked(ReadOnlySpan<double> row)
    {
        if (row.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(row), string.Create(CultureInfo.InvariantCulture, $"row has length {row.Length}; a categorical component reads rows of length 1."));
        }

        return LogDensityCore(row[0], _logProbabilities, _levels);
    }

    /// <summary>Draws one level (as a double) by inverting the cumulative distribution at a uniform draw.</summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="destination">A span of length 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="random"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have length 1.</exception>
    internal void SampleUnchecked(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (destination.Length != 1)
        {
            ThrowHelper.ThrowArgument(nameof(destination), string.Create(CultureInfo.InvariantCulture, $"destination has length {destination.Length}; a categorical component draws rows of length 1."));
        }

        double u = random.NextDouble(); // [0, 1)
        int last = 0;
        for (int l = 0; l < _cumulative.Length; l++)
        {
            if (_probabilities[l] > 0)
            {
                if (u < _cumulative[l])
                {
                    destination[0] = CategoricalLevels.ValueOf(l, _levels);
                    return;
                }

                last = l;
            }
        }

        // The cumulative sum can end a rounding error below 1: u then falls on the last level of positive probability.
        destination[0] = CategoricalLevels.ValueOf(last, _levels);
    }

    /// <inheritdoc />
    public override string ToString() => _levels is null
        ? string.Create(CultureInfo.InvariantCulture, $"Categorical(L = {LevelCount})")
        : string.Create(CultureInfo.InvariantCulture, $"Categorical(L = {LevelCount}, levels = {CategoricalLevels.Describe(_levels, LevelCount)})");

    /// <summary>Builds the component from arrays it then owns (already normalised and validated; null levels for 0, …, L − 1).</summary>
    internal static CategoricalComponent FromOwnedArray(double[] probabilities, double[]? levels) => new(probabilities, levels);

    private static double LogDensityCore(double x, double[] logProbabilities, double[]? levels)
    {
        int level = CategoricalLevels.IndexOf(x, levels, logProbabilities.Length);
        return level >= 0 ? logProbabilities[level] : double.NegativeInfinity;
    }

    /// <inheritdoc />
    internal void MarginalLogDensityUnchecked(ReadOnlySpan<double> rows, Span<double> destination)
    {
        if (rows.Length < destination.Length)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has {rows.Length} values but destination has {destination.Length}. A categorical component reads one value per row."));
        }

        for (int n = 0; n < destination.Length; n++)
        {
            double x = rows[n];
            destination[n] = double.IsNaN(x) ? 0 : LogDensityCore(x, _logProbabilities, _levels);
        }
    }

    /// <inheritdoc />
    internal void ConditionalMeanUnchecked(ReadOnlySpan<double> row, Span<double> destination)
    {
        if (!double.IsNaN(row[0]))
        {
            destination[0] = row[0];
            return;
        }

        double mean = 0; // the expected value Σ_l v_l·π_l
        for (int l = _levels is null ? 1 : 0; l < _probabilities.Length; l++)
        {
            mean += CategoricalLevels.ValueOf(l, _levels) * _probabilities[l];
        }

        destination[0] = mean;
    }

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
