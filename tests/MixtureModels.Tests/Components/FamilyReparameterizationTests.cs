using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using Xunit.Abstractions;

namespace MixtureModels.Tests.Components;

public class FamilyReparameterizationTests
{
    private const double Tolerance = 1e-6;
    private readonly ITestOutputHelper _output;

    public FamilyReparameterizationTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int, int> Seeds => new() { { 2, 1 }, { 3, 2 }, { 2, 3 }, { 3, 4 } };

    // ---------------------------------------------------------------- Bernoulli

    private static BernoulliComponent[] RandomBernoulli(Random random, int k, int d) =>
        Enumerable.Range(0, k).Select(_ => BernoulliComponent.WithProbabilities(Enumerable.Range(0, d).Select(_ => 0.05 + (0.9 * random.NextDouble())).ToArray())).ToArray();

    private static double[] RandomBinary(Random random, int n, int d, double missing) =>
        Enumerable.Range(0, n * d).Select(_ => random.NextDouble() < missing ? double.NaN : random.Next(2)).ToArray();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Bernoulli_round_trip_is_exact_to_rounding(int k, int seed)
    {
        var random = new Random(seed);
        var family = new BernoulliFamily(4);
        var components = RandomBernoulli(random, k, 4);
        // include probabilities at the clamp and near the ends, as the M-step may store them
        components[0] = BernoulliComponent.WithProbabilities([family.Priors.Epsilon, 1 - family.Priors.Epsilon, 1e-7, 1 - 1e-7]);
        IReparameterization<BernoulliComponent, BernoulliStatistics> re = family;
        var u = new double[re.UnconstrainedLength(k)];
        u.Length.Should().Be(k * 4);
        re.ToUnconstrained(components, u);
        var back = new BernoulliComponent[k];
        re.TryFromUnconstrained(u, back).Should().BeTrue();
        for (int j = 0; j < k; j++)
        {
            for (int i = 0; i < 4; i++)
            {
                double p = components[j].Probabilities[i];
                back[j].Probabilities[i].Should().BeApproximately(p, 1e-14 * p);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Bernoulli_gradient_matches_finite_differences(int k, int seed)
    {
        var random = new Random(seed);
        var family = new BernoulliFamily(4);
        var rows = RandomBinary(random, 50, 4, 0);
        var c = ReparameterizationCheck.Weights(random, 50, k);
        double error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomBernoulli(random, k, 4), rows, 4, c, incomplete: false, withReference: true);
        _output.WriteLine($"Bernoulli K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Bernoulli_gradient_with_missing_entries_is_that_of_the_observed_data_likelihood(int k, int seed)
    {
        var random = new Random(seed);
        var family = new BernoulliFamily(4);
        var rows = RandomBinary(random, 60, 4, 0.3);
        var c = ReparameterizationCheck.Weights(random, 60, k);
        double error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomBernoulli(random, k, 4), rows, 4, c, incomplete: true, withReference: true);
        _output.WriteLine($"Bernoulli missing K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);
    }

    [Fact]
    public void Bernoulli_extreme_logits_clamp_and_non_finite_ones_fail()
    {
        var family = new BernoulliFamily(2);
        IReparameterization<BernoulliComponent, BernoulliStatistics> re = family;
        var out1 = new BernoulliComponent[1];
        re.TryFromUnconstrained([1e308, -1e308], out1).Should().BeTrue();
        out1[0].Probabilities.ToArray().Should().Equal(1 - family.Priors.Epsilon, family.Priors.Epsilon);
        out1[0].LogOdds.ToArray().Should().OnlyContain(x => double.IsFinite(x));
        re.TryFromUnconstrained([double.NaN, 0], out1).Should().BeFalse();
        re.TryFromUnconstrained([double.PositiveInfinity, 0], out1).Should().BeFalse();
    }

    // ---------------------------------------------------------------- Categorical

    private static CategoricalComponent[] RandomCategorical(Random random, int k, int levels) =>
        Enumerable.Range(0, k).Select(_ =>
        {
            var p = Enumerable.Range(0, levels).Select(_ => 0.1 + random.NextDouble()).ToArray();
            double s = p.Sum();
            return CategoricalComponent.WithProbabilities(p.Select(x => x / s).ToArray());
        }).ToArray();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Categorical_round_trip_is_exact_to_rounding_including_floored_levels(int k, int seed)
    {
        var random = new Random(seed);
        var family = new CategoricalFamily(4);
        var components = RandomCategorical(random, k, 4);

        // a component as the M-step stores it with two never-seen levels (floored, renormalised)
        var statistics = CategoricalStatistics.FromValues(10, [7, 3, 0, 0]);
        components[0] = family.EstimateProbabilities(statistics) is var p ? CategoricalComponent.WithProbabilities(p) : null!;

        IReparameterization<CategoricalComponent, CategoricalStatistics> re = family;
        var u = new double[re.UnconstrainedLength(k)];
        u.Length.Should().Be(k * 4);
        re.ToUnconstrained(components, u);
        var back = new CategoricalComponent[k];
        re.TryFromUnconstrained(u, back).Should().BeTrue();
        for (int j = 0; j < k; j++)
        {
            for (int l = 0; l < 4; l++)
            {
                double expected = components[j].Probabilities[l];
                back[j].Probabilities[l].Should().BeApproximately(expected, 1e-14 * expected);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Categorical_gradient_matches_finite_differences(int k, int seed)
    {
        var random = new Random(seed);
        var family = new CategoricalFamily(5);
        var rows = Enumerable.Range(0, 70).Select(_ => (double)random.Next(5)).ToArray();
        var c = ReparameterizationCheck.Weights(random, 70, k);
        double error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomCategorical(random, k, 5), rows, 1, c, incomplete: false, withReference: true);
        _output.WriteLine($"Categorical K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);

        // with missing values (NaN rows add nothing)
        for (int i = 0; i < rows.Length; i += 4)
        {
            rows[i] = double.NaN;
        }

        error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomCategorical(random, k, 5), rows, 1, c, incomplete: true, withReference: true);
        _output.WriteLine($"Categorical missing K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);
    }

    [Fact]
    public void Categorical_gradient_is_orthogonal_to_the_redundant_direction()
    {
        var random = new Random(7);
        var family = new CategoricalFamily(3);
        IReparameterization<CategoricalComponent, CategoricalStatistics> re = family;
        var components = RandomCategorical(random, 2, 3);
        var rows = Enumerable.Range(0, 30).Select(_ => (double)random.Next(3)).ToArray();
        var c = ReparameterizationCheck.Weights(random, 30, 2);
        var statistics = ReparameterizationCheck.Statistics(family, components, rows, 1, c, false, true);
        var g = new double[6];
        re.Gradient(statistics, components, g);
        g.Take(3).Sum().Should().BeApproximately(0, 1e-12);
        g.Skip(3).Sum().Should().BeApproximately(0, 1e-12);
    }

    [Fact]
    public void Categorical_extreme_logits_stay_finite_and_non_finite_ones_fail()
    {
        IReparameterization<CategoricalComponent, CategoricalStatistics> re = new CategoricalFamily(3);
        var out1 = new CategoricalComponent[1];
        re.TryFromUnconstrained([1e308, -1e308, 0], out1).Should().BeTrue();
        out1[0].Probabilities.ToArray().Should().OnlyContain(p => p > 0 && double.IsFinite(p));
        out1[0].LogProbabilities.ToArray().Should().OnlyContain(x => double.IsFinite(x));
        out1[0].Probabilities.ToArray().Sum().Should().BeApproximately(1, 1e-15);
        re.TryFromUnconstrained([double.NaN, 0, 0], out1).Should().BeFalse();
        re.TryFromUnconstrained([double.NegativeInfinity, 0, 0], out1).Should().BeFalse();
    }

    // ---------------------------------------------------------------- Poisson

    private static PoissonComponent[] RandomPoisson(Random random, int k) =>
        Enumerable.Range(0, k).Select(_ => PoissonComponent.WithRate(0.5 + (8 * random.NextDouble()))).ToArray();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Poisson_round_trip_and_gradient(int k, int seed)
    {
        var random = new Random(seed);
        var family = new PoissonFamily();
        IReparameterization<PoissonComponent, PoissonStatistics> re = family;
        var components = RandomPoisson(random, k);
        components[0] = PoissonComponent.WithRate(PoissonFamily.MinimumRate);
        var u = new double[re.UnconstrainedLength(k)];
        u.Length.Should().Be(k);
        re.ToUnconstrained(components, u);
        var back = new PoissonComponent[k];
        re.TryFromUnconstrained(u, back).Should().BeTrue();
        for (int j = 0; j < k; j++)
        {
            back[j].Rate.Should().BeApproximately(components[j].Rate, 1e-14 * components[j].Rate);
        }

        var rows = Enumerable.Range(0, 60).Select(_ => (double)random.Next(13)).ToArray();
        var c = ReparameterizationCheck.Weights(random, 60, k);
        double error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomPoisson(random, k), rows, 1, c, incomplete: false, withReference: true);
        _output.WriteLine($"Poisson K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);

        for (int i = 1; i < rows.Length; i += 3)
        {
            rows[i] = double.NaN;
        }

        error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomPoisson(random, k), rows, 1, c, incomplete: true, withReference: true);
        _output.WriteLine($"Poisson missing K={k}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);
    }

    [Fact]
    public void Poisson_overflow_fails_and_underflow_is_floored()
    {
        IReparameterization<PoissonComponent, PoissonStatistics> re = new PoissonFamily();
        var out1 = new PoissonComponent[1];
        re.TryFromUnconstrained([1000], out1).Should().BeFalse();
        re.TryFromUnconstrained([double.NaN], out1).Should().BeFalse();
        re.TryFromUnconstrained([double.PositiveInfinity], out1).Should().BeFalse();
        re.TryFromUnconstrained([-1000], out1).Should().BeTrue();
        out1[0].Rate.Should().Be(PoissonFamily.MinimumRate);
    }

    // ---------------------------------------------------------------- Normal

    private static NormalComponent[] RandomNormal(Random random, int k) =>
        Enumerable.Range(0, k).Select(_ => NormalComponent.WithMeanVariance(100 + (2 * random.NextDouble()), 0.3 + (2.7 * random.NextDouble()))).ToArray();

    private static double[] RandomReal(Random random, int n) =>
        Enumerable.Range(0, n).Select(_ => 100 + (3 * ((random.NextDouble() * 2) - 1)) + random.NextDouble()).ToArray();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Normal_round_trip_and_gradient(int k, int seed)
    {
        var random = new Random(seed);
        var family = new NormalFamily();
        IReparameterization<NormalComponent, NormalStatistics> re = family;
        var components = RandomNormal(random, k);
        var u = new double[re.UnconstrainedLength(k)];
        u.Length.Should().Be(2 * k);
        re.ToUnconstrained(components, u);
        var back = new NormalComponent[k];
        re.TryFromUnconstrained(u, back).Should().BeTrue();
        for (int j = 0; j < k; j++)
        {
            back[j].Mean.Should().Be(components[j].Mean);
            back[j].Variance.Should().BeApproximately(components[j].Variance, 1e-14 * components[j].Variance);
        }

        var rows = RandomReal(random, 60);
        var c = ReparameterizationCheck.Weights(random, 60, k);
        foreach (bool withReference in new[] { true, false })
        {
            double error = ReparameterizationCheck.MaxRelativeGradientError(family, RandomNormal(random, k), rows, 1, c, incomplete: false, withReference);
            _output.WriteLine($"Normal K={k} reference at mean={withReference}: max relative error {error:E2}");
            error.Should().BeLessThan(Tolerance);
        }

        for (int i = 2; i < rows.Length; i += 5)
        {
            rows[i] = double.NaN;
        }

        double missing = ReparameterizationCheck.MaxRelativeGradientError(family, RandomNormal(random, k), rows, 1, c, incomplete: true, withReference: true);
        _output.WriteLine($"Normal missing K={k}: max relative error {missing:E2}");
        missing.Should().BeLessThan(Tolerance);
    }

    [Fact]
    public void Normal_overflow_and_underflow_of_the_variance_fail()
    {
        IReparameterization<NormalComponent, NormalStatistics> re = new NormalFamily();
        var out1 = new NormalComponent[1];
        re.TryFromUnconstrained([0, 1000], out1).Should().BeFalse();
        re.TryFromUnconstrained([0, -1000], out1).Should().BeFalse();
        re.TryFromUnconstrained([0, -709.9], out1).Should().BeFalse(); // subnormal σ²: 1/σ² overflows
        re.TryFromUnconstrained([double.PositiveInfinity, 0], out1).Should().BeFalse();
        re.TryFromUnconstrained([double.NaN, 0], out1).Should().BeFalse();
        re.TryFromUnconstrained([0, double.NaN], out1).Should().BeFalse();
        re.TryFromUnconstrained([1, 700], out1).Should().BeTrue();
        double.IsFinite(out1[0].Variance).Should().BeTrue();
    }
}
