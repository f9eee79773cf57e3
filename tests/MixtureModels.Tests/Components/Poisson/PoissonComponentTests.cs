using MixtureModels.Components;
using MixtureModels.Components.Poisson;

namespace MixtureModels.Tests.Components.Poisson;

public sealed class PoissonComponentTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(40.0)]
    [InlineData(1e-10)]
    public void Log_density_equals_the_direct_product_formula_for_small_counts(double rate)
    {
        var poisson = PoissonComponent.WithRate(rate);
        for (int x = 0; x <= 30; x++)
        {
            // λ^x e^−λ / x! as a running product: e^−λ · Π_{i ≤ x} λ/i.
            double p = Math.Exp(-rate);
            for (int i = 1; i <= x; i++)
            {
                p *= rate / i;
            }

            if (p < 1e-300)
            {
                continue; // the naive product underflows; the large-count test covers these
            }

            poisson.LogDensity(new[] { (double)x }).ShouldBeClose(Math.Log(p), 1e-12, $"x = {x}, λ = {rate}");
        }
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(250.0)]
    [InlineData(5000.0)]
    public void Log_density_equals_the_sum_of_logs_for_large_counts(double rate)
    {
        var poisson = PoissonComponent.WithRate(rate);
        foreach (int x in new[] { 100, 255, 256, 257, 1000, 4000, 6000 })
        {
            double logFactorial = 0;
            for (int i = 2; i <= x; i++)
            {
                logFactorial += Math.Log(i);
            }

            double expected = (x * Math.Log(rate)) - rate - logFactorial;
            poisson.LogDensity(new[] { (double)x }).ShouldBeClose(expected, 1e-11, $"x = {x}, λ = {rate}");
        }
    }

    [Fact]
    public void Block_log_density_equals_the_single_row_log_density()
    {
        var poisson = PoissonComponent.WithRate(7.25);
        var rows = Enumerable.Range(0, 300).Select(i => (double)((i * 7) % 311)).ToArray();
        var block = new double[rows.Length];
        ((IComponent)poisson).LogDensity(rows, block);
        for (int n = 0; n < rows.Length; n++)
        {
            poisson.LogDensity(rows.AsSpan(n, 1)).Should().Be(block[n], $"row {n}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(40.0)]
    public void Probabilities_of_the_counts_sum_to_one(double rate)
    {
        var poisson = PoissonComponent.WithRate(rate);
        double total = 0;
        for (int x = 0; x <= 200; x++)
        {
            total += Math.Exp(poisson.LogDensity(new[] { (double)x }));
        }

        total.Should().BeApproximately(1.0, 1e-12);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(2.5)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Values_outside_the_support_have_log_density_minus_infinity(double x)
    {
        var poisson = PoissonComponent.WithRate(2);
        poisson.LogDensity(new[] { x }).Should().Be(double.NegativeInfinity);
        var block = new double[1];
        poisson.LogDensity(new[] { x }, block);
        block[0].Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void NaN_is_invalid_input_outside_MarginalLogDensity()
    {
        var poisson = PoissonComponent.WithRate(2);
        var single = () => poisson.LogDensity(new[] { double.NaN });
        var block = () => poisson.LogDensity(new[] { 1.0, double.NaN }, new double[2]);
        single.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        block.Should().Throw<ArgumentException>().Where(e => e.ParamName == "rows" && e.Message.Contains("row 1, column 0"));
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(3.0, 2)]
    [InlineData(9.99, 3)]
    [InlineData(10.0, 4)]
    [InlineData(40.0, 5)]
    [InlineData(1000.0, 6)]
    public void Samples_have_mean_and_variance_lambda_within_five_standard_errors(double rate, int seed)
    {
        const int N = 20000;
        var poisson = PoissonComponent.WithRate(rate);
        var random = new Random(seed);
        var draws = new double[N];
        var one = new double[1];
        for (int i = 0; i < N; i++)
        {
            poisson.Sample(random, one);
            draws[i] = one[0];
        }

        draws.Should().OnlyContain(x => x >= 0 && x == Math.Floor(x));
        double mean = draws.Average();
        double variance = draws.Sum(x => (x - mean) * (x - mean)) / (N - 1);
        mean.Should().BeApproximately(rate, 5 * Math.Sqrt(rate / N));

        // Var(s²) ≈ (μ₄ − σ⁴)/N with μ₄ = λ(1 + 3λ) for a Poisson.
        variance.Should().BeApproximately(rate, 5 * Math.Sqrt((rate + (2 * rate * rate)) / N));
    }

    [Theory]
    [InlineData(3.0, 7)]
    [InlineData(40.0, 8)]
    public void Sample_frequencies_match_the_probabilities_within_five_standard_errors(double rate, int seed)
    {
        const int N = 20000;
        var poisson = PoissonComponent.WithRate(rate);
        var random = new Random(seed);
        var counts = new Dictionary<int, int>();
        var one = new double[1];
        for (int i = 0; i < N; i++)
        {
            poisson.Sample(random, one);
            counts[(int)one[0]] = counts.GetValueOrDefault((int)one[0]) + 1;
        }

        for (int x = 0; x <= (int)(3 * rate); x++)
        {
            double p = Math.Exp(poisson.LogDensity(new[] { (double)x }));
            double frequency = counts.GetValueOrDefault(x) / (double)N;
            frequency.Should().BeApproximately(p, (5 * Math.Sqrt(p * (1 - p) / N)) + 1e-12, $"x = {x}");
        }
    }

    [Theory]
    [InlineData(2.0, 11)]
    [InlineData(9.5, 12)]
    [InlineData(10.0, 13)]
    [InlineData(40.0, 14)]
    [InlineData(1000.0, 15)]
    public void Many_samples_pass_a_chi_square_goodness_of_fit_test(double rate, int seed)
    {
        // 400 000 draws, cells with expected count ≥ 20 (the tails pooled into the end cells); the statistic must stay
        // below df + 5·√(2·df), far beyond the 1 − 1e-6 quantile for these df.
        const int N = 400_000;
        var poisson = PoissonComponent.WithRate(rate);
        var random = new Random(seed);
        var one = new double[1];
        var observed = new Dictionary<int, int>();
        double sum = 0;
        for (int i = 0; i < N; i++)
        {
            poisson.Sample(random, one);
            int x = (int)one[0];
            observed[x] = observed.GetValueOrDefault(x) + 1;
            sum += x;
        }

        (sum / N).Should().BeApproximately(rate, 5 * Math.Sqrt(rate / N));

        int mode = (int)Math.Floor(rate);
        double Probability(int x) => Math.Exp(poisson.LogDensity(new[] { (double)x }));
        int low = mode;
        while (low > 0 && N * Probability(low - 1) >= 20)
        {
            low--;
        }

        int high = mode;
        while (N * Probability(high + 1) >= 20)
        {
            high++;
        }

        double chiSquare = 0;
        double lowTail = Enumerable.Range(0, low + 1).Sum(Probability);
        int lowObserved = observed.Where(kv => kv.Key <= low).Sum(kv => kv.Value);
        chiSquare += Math.Pow(lowObserved - (N * lowTail), 2) / (N * lowTail);
        double highTail = 1 - Enumerable.Range(0, high).Sum(Probability);
        int highObserved = observed.Where(kv => kv.Key >= high).Sum(kv => kv.Value);
        chiSquare += Math.Pow(highObserved - (N * highTail), 2) / (N * highTail);
        for (int x = low + 1; x < high; x++)
        {
            double expected = N * Probability(x);
            chiSquare += Math.Pow(observed.GetValueOrDefault(x) - expected, 2) / expected;
        }

        int df = high - low;
        chiSquare.Should().BeLessThan(df + (5 * Math.Sqrt(2.0 * df)), $"λ = {rate}, {df} degrees of freedom");
    }

    [Fact]
    public void Sampling_is_deterministic_for_a_seed()
    {
        var poisson = PoissonComponent.WithRate(25);
        var a = new double[1];
        var b = new double[1];
        var ra = new Random(3);
        var rb = new Random(3);
        for (int i = 0; i < 100; i++)
        {
            poisson.Sample(ra, a);
            poisson.Sample(rb, b);
            a[0].Should().Be(b[0]);
        }
    }

    [Fact]
    public void Dimension_and_parameter_count_are_one()
    {
        var poisson = PoissonComponent.WithRate(1.5);
        poisson.Dimension.Should().Be(1);
        poisson.ParameterCount.Should().Be(1);
        poisson.Rate.Should().Be(1.5);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_finite_and_positive_throws_naming_the_parameter_and_value(double rate)
    {
        var act = () => PoissonComponent.WithRate(rate);
        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("rate");
        e.Message.Should().Contain(rate.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Wrong_row_and_destination_lengths_throw()
    {
        var poisson = PoissonComponent.WithRate(1);
        var single = () => poisson.LogDensity(new double[2]);
        var block = () => poisson.LogDensity(new double[2], new double[3]);
        var sample = () => poisson.Sample(new Random(1), new double[2]);
        single.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        block.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        sample.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
    }
}
