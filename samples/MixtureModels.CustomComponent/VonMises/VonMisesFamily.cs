using System.Globalization;
using System.Text.Json;
using MixtureModels.Components;

namespace MixtureModels.CustomComponent.VonMises;

/// <summary>
/// Mixtures of von Mises distributions for one column of angles in radians: the family that
/// <see cref="MixtureEstimator{TComponent, TStatistics}"/> fits. Its M-step is closed form in the weighted sums
/// W, C = Σ w cos x, S = Σ w sin x: μ = atan2(S, C), R̄ = √(C² + S²) / W, and κ solves A(κ) = I₁(κ)/I₀(κ) = R̄
/// (the maximum-likelihood equation), found by Newton's method safeguarded by bisection, to a relative step of 1e-13.
/// </summary>
/// <remarks>
/// <para>
/// κ is kept in [0, <see cref="MaxConcentration"/>]. R̄ = 0 gives κ = 0 (uniform). The ceiling plays the role that
/// reg_covar plays for Gaussians: a component sitting on one repeated angle would have R̄ = 1 and κ → ∞, and the
/// likelihood would grow without bound; with the ceiling its κ stops at <see cref="MaxConcentration"/>.
/// </para>
/// <para>
/// An empty component (W = 0, for example when every responsibility underflowed) becomes the uniform distribution
/// (κ = 0) at the mean direction it had before the M-step (0 after an initialiser): its density stays finite, and the
/// weight step keeps its weight positive, so a later iteration can still give it rows.
/// </para>
/// <para>
/// The family implements three optional capabilities: <see cref="IDataValidator"/> (angles outside [−2π, 2π] are
/// refused as most likely given in degrees), and JSON converters for its components and statistics
/// (<see cref="IComponentJsonConverter{TComponent}"/>, <see cref="IStatisticsJsonConverter{TStatistics}"/>), so that its
/// models are saved and loaded by <c>MixtureModelSerializer</c> and its statistics shipped by <c>StatisticsSerializer</c>.
/// Its statistics implement <see cref="IScalableStatistics"/>, so it is also fitted online.
/// </para>
/// </remarks>
public sealed class VonMisesFamily : IComponentFamily<VonMisesComponent, VonMisesStatistics>, IDataValidator, IStatisticsJsonConverter<VonMisesStatistics>, IComponentJsonConverter<VonMisesComponent>
{
    /// <summary>The default ceiling on κ: 1e4, a circular standard deviation of about 0.01 rad (0.6°).</summary>
    public const double DefaultMaxConcentration = 1e4;

    private const double RelativeTolerance = 1e-13;
    private const int MaxNewtonSteps = 100;

    /// <summary>Creates the family.</summary>
    /// <param name="maxConcentration">Ceiling on κ, finite and positive (default <see cref="DefaultMaxConcentration"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcentration"/> is not finite and positive.</exception>
    public VonMisesFamily(double maxConcentration = DefaultMaxConcentration)
    {
        if (!double.IsFinite(maxConcentration) || maxConcentration <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConcentration), maxConcentration, "Give a finite, positive ceiling on κ, such as 1e4.");
        }

        MaxConcentration = maxConcentration;
    }

    /// <summary>"VonMisesStatistics": the kind of a statistics file of this family.</summary>
    public string StatisticsKind => "VonMisesStatistics";

    /// <summary>"VonMises": model files of this family have the kind FittedMixtureModel&lt;VonMises&gt;.</summary>
    public string ComponentKind => "VonMises";

    /// <summary>Writes W, C, S and the previous mean as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="statistics">The statistics.</param>
    public void WriteStatistics(Utf8JsonWriter writer, VonMisesStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(statistics);
        writer.WriteStartObject();
        writer.WriteNumber("totalWeight", statistics.TotalWeight);
        writer.WriteNumber("sumCos", statistics.SumCos);
        writer.WriteNumber("sumSin", statistics.SumSin);
        writer.WriteNumber("previousMean", statistics.PreviousMean);
        writer.WriteEndObject();
    }

    /// <summary>Reads statistics written by <see cref="WriteStatistics"/> (checked by <see cref="VonMisesStatistics.FromValues"/>).</summary>
    /// <param name="element">The JSON object.</param>
    /// <returns>The statistics.</returns>
    public VonMisesStatistics ReadStatistics(JsonElement element) =>
        VonMisesStatistics.FromValues(element.GetProperty("totalWeight").GetDouble(), element.GetProperty("sumCos").GetDouble(), element.GetProperty("sumSin").GetDouble(), element.GetProperty("previousMean").GetDouble());

    /// <summary>Writes μ and κ as a JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="component">The component.</param>
    public void WriteComponent(Utf8JsonWriter writer, VonMisesComponent component)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(component);
        writer.WriteStartObject();
        writer.WriteNumber("mean", component.Mean);
        writer.WriteNumber("concentration", component.Concentration);
        writer.WriteEndObject();
    }

    /// <summary>Reads a component written by <see cref="WriteComponent"/> (checked by its constructor).</summary>
    /// <param name="element">The JSON object.</param>
    /// <returns>The component.</returns>
    public VonMisesComponent ReadComponent(JsonElement element) =>
        new(element.GetProperty("mean").GetDouble(), element.GetProperty("concentration").GetDouble());

    /// <summary>Ceiling on κ.</summary>
    public double MaxConcentration { get; }

    /// <summary>Always 1: one column of angles.</summary>
    public int Dimension => 1;

    /// <summary>2K: a mean direction and a concentration per component.</summary>
    /// <param name="componentCount">K.</param>
    /// <returns>2K.</returns>
    public int ParameterCount(int componentCount) => 2 * componentCount;

    /// <summary>Empty statistics that remember the mean of <paramref name="current"/> (0 when null).</summary>
    /// <param name="current">The component being re-estimated, or null.</param>
    /// <returns>New statistics.</returns>
    public VonMisesStatistics CreateStatistics(VonMisesComponent? current) => new(current?.Mean ?? 0);

    /// <summary>Empties <paramref name="statistics"/> for re-estimating <paramref name="current"/>.</summary>
    /// <param name="statistics">Statistics created by this family.</param>
    /// <param name="current">The component being re-estimated (the engine always passes one; null is treated as mean 0).</param>
    public void ResetStatistics(VonMisesStatistics statistics, VonMisesComponent? current)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        statistics.Reset(current?.Mean ?? 0);
    }

    /// <summary>The M-step: μ = atan2(S, C), κ = A⁻¹(R̄) clamped to [0, <see cref="MaxConcentration"/>]; see the remarks for an empty component.</summary>
    /// <param name="statistics">K accumulators.</param>
    /// <param name="destination">Receives K components.</param>
    public void Estimate(ReadOnlySpan<VonMisesStatistics> statistics, Span<VonMisesComponent> destination)
    {
        for (int k = 0; k < statistics.Length; k++)
        {
            var stats = statistics[k];
            double w = stats.TotalWeight;
            if (!(w > 0))
            {
                destination[k] = new VonMisesComponent(stats.PreviousMean, 0);
                continue;
            }

            double length = Math.Sqrt((stats.SumCos * stats.SumCos) + (stats.SumSin * stats.SumSin));
            double mean = length > 0 ? Math.Atan2(stats.SumSin, stats.SumCos) : stats.PreviousMean;
            destination[k] = new VonMisesComponent(mean, Concentration(length / w));
        }
    }

    /// <summary>
    /// The maximum-likelihood κ for a mean resultant length R̄: the root of A(κ) = R̄, with A(κ) = I₁(κ)/I₀(κ), clamped
    /// to [0, <see cref="MaxConcentration"/>]. Newton's method from Banerjee et al.'s approximation
    /// R̄(2 − R̄²)/(1 − R̄²), inside a bracket that falls back to bisection, until the step is below 1e-13 of κ.
    /// </summary>
    /// <param name="meanResultantLength">R̄ in [0, 1] (values above 1 from rounding are treated as 1).</param>
    /// <returns>κ in [0, <see cref="MaxConcentration"/>].</returns>
    /// <exception cref="ArgumentOutOfRangeException">R̄ is negative or NaN.</exception>
    public double Concentration(double meanResultantLength)
    {
        double target = meanResultantLength;
        if (!(target >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(meanResultantLength), meanResultantLength, "R̄ must be in [0, 1].");
        }

        if (target == 0)
        {
            return 0;
        }

        if (target >= BesselI.Ratio(MaxConcentration))
        {
            return MaxConcentration;
        }

        // A is increasing and concave with A(0) = 0 < R̄ < A(max): the root is in (lo, hi).
        double lo = 0;
        double hi = MaxConcentration;
        double kappa = target < 1 ? target * (2 - (target * target)) / (1 - (target * target)) : hi;
        if (!(kappa > lo && kappa < hi))
        {
            kappa = 0.5 * (lo + hi);
        }

        for (int step = 0; step < MaxNewtonSteps; step++)
        {
            double f = BesselI.Ratio(kappa) - target;
            if (f == 0)
            {
                return kappa;
            }

            if (f < 0)
            {
                lo = kappa;
            }
            else
            {
                hi = kappa;
            }

            double next = kappa - (f / BesselI.RatioDerivative(kappa));
            if (!(next > lo && next < hi))
            {
                next = 0.5 * (lo + hi); // Newton left the bracket: bisect
            }

            bool done = Math.Abs(next - kappa) <= RelativeTolerance * next;
            kappa = next;
            if (done || hi - lo <= RelativeTolerance * lo)
            {
                break;
            }
        }

        return kappa;
    }

    /// <summary>Refuses angles outside [−2π, 2π], which are most likely degrees.</summary>
    /// <param name="data">Angles in radians, one column.</param>
    /// <param name="parameterName">The caller's parameter name.</param>
    /// <param name="allowMissing">Whether NaN marks a missing entry.</param>
    /// <exception cref="ArgumentException">An angle is outside [−2π, 2π].</exception>
    public void Validate(DataMatrix data, string parameterName, bool allowMissing)
    {
        ArgumentNullException.ThrowIfNull(data);
        var values = data.Values;
        for (int n = 0; n < values.Length; n++)
        {
            if (Math.Abs(values[n]) > 2 * Math.PI)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{n / data.Columns}, {n % data.Columns}] = {values[n]} is not an angle in radians in [−2π, 2π]; von Mises data are radians. Convert degrees with x·π/180."), parameterName);
            }
        }
    }
}
