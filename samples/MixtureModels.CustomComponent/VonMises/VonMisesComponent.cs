using System.Globalization;
using MixtureModels.Components;

namespace MixtureModels.CustomComponent.VonMises;

/// <summary>
/// The von Mises distribution on the circle, for one column of angles in radians:
/// p(x | μ, κ) = exp(κ cos(x − μ)) / (2π I₀(κ)). κ = 0 is the uniform distribution; large κ approaches a normal with
/// variance 1/κ. Immutable; caches log(2π e^{−κ} I₀(κ)).
/// </summary>
public sealed class VonMisesComponent : IComponent
{
    private readonly double _logNormalizer; // −log(2π · e^{−κ} I₀(κ)): the log-density at x = μ

    /// <summary>Creates a component.</summary>
    /// <param name="mean">Mean direction μ in radians, any finite value; stored reduced to (−π, π].</param>
    /// <param name="concentration">κ ≥ 0, finite.</param>
    /// <exception cref="ArgumentOutOfRangeException">μ is not finite, or κ is negative or not finite.</exception>
    public VonMisesComponent(double mean, double concentration)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean direction must be a finite angle in radians.");
        }

        if (!double.IsFinite(concentration) || concentration < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(concentration), concentration, "The concentration κ must be finite and non-negative (0 is the uniform distribution).");
        }

        Mean = Angles.Reduce(mean);
        Concentration = concentration;
        _logNormalizer = -Math.Log(2 * Math.PI * BesselI.ScaledI0(concentration));
    }

    /// <summary>Mean direction μ in radians, in (−π, π].</summary>
    public double Mean { get; }

    /// <summary>Concentration κ ≥ 0.</summary>
    public double Concentration { get; }

    /// <summary>Mean resultant length A(κ) = E[cos(x − μ)] = I₁(κ)/I₀(κ), in [0, 1).</summary>
    public double MeanResultantLength => BesselI.Ratio(Concentration);

    /// <summary>Always 1: one column of angles.</summary>
    public int Dimension => 1;

    /// <summary>Two: μ and κ.</summary>
    public int ParameterCount => 2;

    /// <summary>
    /// log p(xₙ | μ, κ) = −log(2π e^{−κ} I₀(κ)) − 2κ sin²((xₙ − μ)/2), the same as κ cos(xₙ − μ) − log(2π I₀(κ)) without
    /// overflow for large κ and without cancellation near μ.
    /// </summary>
    /// <param name="rows">destination.Length angles in radians.</param>
    /// <param name="destination">One log-density per angle.</param>
    public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination)
    {
        for (int n = 0; n < destination.Length; n++)
        {
            destination[n] = LogDensityAt(rows[n]);
        }
    }

    /// <summary>log p(x | μ, κ) of one angle (a row of length 1).</summary>
    /// <param name="row">The angle in radians.</param>
    /// <returns>The log-density.</returns>
    public double LogDensity(ReadOnlySpan<double> row) => LogDensityAt(row[0]);

    /// <summary>
    /// Draws one angle in (−π, π] by Best and Fisher's (1979) rejection sampler from a wrapped Cauchy envelope (about
    /// 1.5 tries on average at worst); uniform when κ = 0.
    /// </summary>
    /// <param name="random">Source of randomness.</param>
    /// <param name="destination">Receives the angle (length 1).</param>
    public void Sample(Random random, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(random);
        double kappa = Concentration;
        if (kappa == 0)
        {
            destination[0] = Angles.Reduce(2 * Math.PI * random.NextDouble());
            return;
        }

        // τ = 1 + √(1 + 4κ²), ρ = (τ − √(2τ)) / (2κ), r = (1 + ρ²) / (2ρ); ρ is written without the cancellation of
        // τ − √(2τ) at small κ (τ − 2 = 4κ² / (s + 1) with s = √(1 + 4κ²)).
        double s = Math.Sqrt(1 + (4 * kappa * kappa));
        double tau = 1 + s;
        double rho = 2 * kappa * tau / ((s + 1) * (tau + Math.Sqrt(2 * tau)));
        double r = (1 + (rho * rho)) / (2 * rho);
        double f;
        while (true)
        {
            double z = Math.Cos(Math.PI * random.NextDouble());
            f = (1 + (r * z)) / (r + z);
            double c = kappa * (r - f);
            double u2 = random.NextDouble();
            if ((c * (2 - c)) - u2 > 0 || Math.Log(c / u2) + 1 - c >= 0)
            {
                break;
            }
        }

        double deviation = Math.Acos(Math.Clamp(f, -1, 1));
        destination[0] = Angles.Reduce(random.NextDouble() < 0.5 ? Mean - deviation : Mean + deviation);
    }

    /// <summary>μ and κ, for printing.</summary>
    /// <returns>For example "VonMises(μ = 0.1234, κ = 5.678)".</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"VonMises(μ = {Mean:G6}, κ = {Concentration:G6})");

    private double LogDensityAt(double x)
    {
        double half = Math.Sin((x - Mean) / 2);
        return _logNormalizer - (2 * Concentration * half * half);
    }
}
