using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>The Bessel functions and the κ solve against brute-force numerical integrals of exp(κ cos t).</summary>
public sealed class BesselTests
{
    private static readonly double[] Kappas =
        [1e-8, 1e-4, 0.01, 0.3, 1, 2.5, 7, 12, 19.9, 24.999, 25, 25.001, 31, 60, 150, 700, 713, 800, 5e3, 1e4, 1e5];

    [Fact]
    public void ScaledI0_matches_the_integral_to_1e_14()
    {
        foreach (double kappa in Kappas)
        {
            var (i0, _) = Integral(kappa);
            BesselI.ScaledI0(kappa).Should().BeApproximately(i0, 1e-14 * i0, $"κ = {kappa}");
            BesselI.ScaledI0(-kappa).Should().Be(BesselI.ScaledI0(kappa), "I₀ is even");
        }
    }

    [Fact]
    public void ScaledI1_and_the_ratio_match_the_integral_to_1e_14()
    {
        foreach (double kappa in Kappas)
        {
            var (i0, i1) = Integral(kappa);
            BesselI.ScaledI1(kappa).Should().BeApproximately(i1, 1e-14 * i1, $"κ = {kappa}");
            BesselI.ScaledI1(-kappa).Should().Be(-BesselI.ScaledI1(kappa), "I₁ is odd");
            BesselI.Ratio(kappa).Should().BeApproximately(i1 / i0, 1e-14 * (i1 / i0), $"κ = {kappa}");
        }
    }

    [Fact]
    public void LogI0_does_not_overflow_where_I0_does()
    {
        double kappa = 1e4; // I₀(1e4) ≈ e^{1e4}: far beyond double's range
        var (i0, _) = Integral(kappa);
        BesselI.LogI0(kappa).Should().BeApproximately(Math.Log(i0) + kappa, 1e-14 * kappa);
        BesselI.LogI0(0).Should().Be(0);
        BesselI.ScaledI0(0).Should().Be(1);
        BesselI.ScaledI1(0).Should().Be(0);
    }

    [Fact]
    public void RatioDerivative_matches_a_central_difference()
    {
        foreach (double kappa in new[] { 0.01, 0.5, 3, 24.9, 25.1, 80 })
        {
            double h = 1e-5 * Math.Max(kappa, 1);
            double numeric = (BesselI.Ratio(kappa + h) - BesselI.Ratio(kappa - h)) / (2 * h);
            BesselI.RatioDerivative(kappa).Should().BeApproximately(numeric, 1e-8 * numeric, $"κ = {kappa}");
        }
    }

    [Fact]
    public void Concentration_inverts_the_integral_ratio()
    {
        var family = new VonMisesFamily(maxConcentration: 1e5);
        foreach (double kappa in Kappas.Where(k => k >= 1e-4 && k <= 1e4))
        {
            var (i0, i1) = Integral(kappa);
            double rbar = i1 / i0;
            double solved = family.Concentration(rbar);

            // κ = A⁻¹(R̄) amplifies an error δ in R̄ by 1/A′(κ) ≈ 2κ² for large κ: allow that on top of 1e-12.
            double amplification = 1 / BesselI.RatioDerivative(kappa);
            solved.Should().BeApproximately(kappa, (1e-12 * kappa) + (amplification * 4e-16), $"κ = {kappa}, R̄ = {rbar}");
        }
    }

    [Fact]
    public void Concentration_has_a_floor_at_zero_and_a_ceiling()
    {
        var family = new VonMisesFamily(maxConcentration: 500);
        family.Concentration(0).Should().Be(0);
        family.Concentration(1).Should().Be(500);
        family.Concentration(1 + 1e-15).Should().Be(500, "R̄ a little above 1 from rounding is 1");
        family.Concentration(0.999999).Should().Be(500, "A(500) ≈ 0.999 is below R̄");
        family.Concentration(1e-300).Should().BeApproximately(2e-300, 1e-310, "A(κ) ≈ κ/2 near 0");
        FluentActions.Invoking(() => family.Concentration(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    /// <summary>
    /// (e^{−κ}I₀(κ), e^{−κ}I₁(κ)) = (1/2π) ∫₀^{2π} e^{κ(cos t − 1)} (1, cos t) dt by the trapezoid rule on 2¹⁶ points,
    /// which is exact for a periodic integrand up to the aliased Fourier coefficients (about e^{−M²/(2κ)}, nothing here).
    /// κ(cos t − 1) is written −2κ sin²(t/2), with t/2 taken from the nearer end of [0, π] (no cancellation near the peak), and the sums are compensated (Neumaier).
    /// For κ &lt; 1 the integrand is 1 + expm1(−2κ sin²(t/2)) with the exact integrals of 1 and cos t (1 and 0) added by
    /// hand, so that small κ keeps its relative accuracy.
    /// </summary>
    private static (double I0, double I1) Integral(double kappa)
    {
        const int m = 1 << 16;
        bool small = kappa < 1;
        var s0 = new NeumaierSum();
        var s1 = new NeumaierSum();
        for (int j = 0; j < m; j++)
        {
            double half = Math.Sin(Math.PI * Math.Min(j, m - j) / m); // sin(t/2), t = 2πj/m; near t = 2π from the other end, where t/2 is exact relative to the peak
            double cos = 1 - (2 * half * half);
            double exponent = -2 * kappa * half * half;
            double e = small ? ExpM1(exponent) : Math.Exp(exponent);
            s0.Add(e);
            s1.Add(e * cos);
        }

        return ((small ? 1 : 0) + (s0.Value / m), s1.Value / m);
    }

    /// <summary>eˣ − 1 without cancellation for small x (series below 1e-5, else exp(x) − 1).</summary>
    private static double ExpM1(double x)
    {
        if (Math.Abs(x) < 1e-5)
        {
            return x * (1 + (x / 2 * (1 + (x / 3 * (1 + (x / 4))))));
        }

        return Math.Abs(x) < 0.5 ? 2 * Math.Exp(x / 2) * Math.Sinh(x / 2) : Math.Exp(x) - 1;
    }

    private sealed class NeumaierSum
    {
        private double _sum;
        private double _compensation;

        public double Value => _sum + _compensation;

        public void Add(double value)
        {
            double t = _sum + value;
            _compensation += Math.Abs(_sum) >= Math.Abs(value) ? (_sum - t) + value : (value - t) + _sum;
            _sum = t;
        }
    }
}
