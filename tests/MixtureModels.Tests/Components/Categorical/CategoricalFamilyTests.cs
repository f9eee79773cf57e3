using MixtureModels.Components.Categorical;

namespace MixtureModels.Tests.Components.Categorical;

public sealed class CategoricalFamilyTests
{
    private const int L = CategoricalStatisticsTests.L;

    [Fact]
    public void M_step_without_smoothing_equals_the_brute_force_weighted_frequencies()
    {
        const int K = 2;
        var (rows, _) = CategoricalStatisticsTests.Data(300, 3);
        var random = new Random(4);
        var r = Enumerable.Range(0, rows.Length).Select(_ => random.NextDouble()).ToArray();
        var family = new CategoricalFamily(L);
        var stats = new CategoricalStatistics[K];
        for (int k = 0; k < K; k++)
        {
            stats[k] = family.CreateStatistics(null);
            stats[k].Accumulate(rows, k == 0 ? r : r.Select(x => 1 - x).ToArray());
        }

        var components = new CategoricalComponent[K];
        family.Estimate(stats, components);

        for (int k = 0; k < K; k++)
        {
            var counts = new double[L];
            double total = 0;
            for (int n = 0; n < rows.Length; n++)
            {
                double w = k == 0 ? r[n] : 1 - r[n];
                counts[(int)rows[n]] += w;
                total += w;
            }

            // Floors: the unseen level gets ε, and the others share 1 − ε after renormalising.
            double eps = CategoricalFamily.MinimumProbability;
            for (int l = 0; l < L - 1; l++)
            {
                components[k].Probabilities[l].ShouldBeClose(counts[l] / total / (1 + eps), 1e-12, $"component {k}, level {l}");
            }

            components[k].Probabilities[L - 1].ShouldBeClose(eps / (1 + eps), 1e-12);
            components[k].Probabilities.ToArray().Sum().Should().BeApproximately(1, 1e-15);
        }
    }

    [Fact]
    public void Dirichlet_smoothing_follows_the_formula()
    {
        const double Alpha = 0.75;
        var family = new CategoricalFamily(4, Alpha);
        var s = family.CreateStatistics(null);
        s.Accumulate(new double[] { 0, 0, 1, 2, 2, 2 }, new double[] { 1, 0.5, 2, 1, 1, 0.25 });
        var result = new CategoricalComponent[1];
        family.Estimate(new[] { s }, result);

        double w = 5.75;
        var counts = new[] { 1.5, 2.0, 2.25, 0.0 };
        for (int l = 0; l < 4; l++)
        {
            result[0].Probabilities[l].ShouldBeClose((counts[l] + Alpha) / (w + (4 * Alpha)), 1e-14, $"level {l}");
        }

        family.DirichletAlpha.Should().Be(Alpha);
        family.LevelCount.Should().Be(4);
    }

    [Fact]
    public void An_unseen_level_gets_a_finite_log_probability_at_the_floor()
    {
        var family = new CategoricalFamily(3);
        var s = family.CreateStatistics(null);
        s.Accumulate(new double[] { 0, 1, 1, 0 }, new double[] { 1, 1, 1, 1 });
        var result = new CategoricalComponent[1];
        family.Estimate(new[] { s }, result);

        double log = result[0].LogDensity(new[] { 2.0 });
        double.IsFinite(log).Should().BeTrue();
        log.Should().BeApproximately(Math.Log(1e-10), 1e-8);
        CategoricalFamily.MinimumProbability.Should().Be(1e-10);
        result[0].Probabilities.ToArray().Should().OnlyContain(p => p >= 1e-10 / (1 + (3 * 1e-10)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void An_empty_component_is_uniform_and_finite(double alpha)
    {
        var family = new CategoricalFamily(4, alpha);
        var empty = family.CreateStatistics(null);
        var zeroWeights = family.CreateStatistics(null);
        zeroWeights.Accumulate(new double[] { 1, 3 }, new double[] { 0, 0 });
        var result = new CategoricalComponent[2];
        family.Estimate(new[] { empty, zeroWeights }, result);
        foreach (var c in result)
        {
            c.Probabilities.ToArray().Should().OnlyContain(p => Math.Abs(p - 0.25) < 1e-15);
            c.LogProbabilities.ToArray().Should().OnlyContain(v => double.IsFinite(v));
        }
    }

    [Fact]
    public void M_step_maximises_the_weighted_log_likelihood_over_nearby_probabilities()
    {
        var (rows, weights) = CategoricalStatisticsTests.Data(200, 5, levels: 4);
        var family = new CategoricalFamily(4);
        var s = family.CreateStatistics(null);
        s.Accumulate(rows, weights);
        var result = new CategoricalComponent[1];
        family.Estimate(new[] { s }, result);

        double LogLikelihood(CategoricalComponent c) => Enumerable.Range(0, rows.Length).Where(n => weights[n] > 0).Sum(n => weights[n] * c.LogDensity(rows.AsSpan(n, 1)));

        double best = LogLikelihood(result[0]);
        var p = result[0].Probabilities.ToArray();
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                if (i == j)
                {
                    continue;
                }

                var q = (double[])p.Clone();
                q[i] += 0.01;
                q[j] -= 0.01;
                best.Should().BeGreaterThan(LogLikelihood(CategoricalComponent.WithProbabilities(q)));
            }
        }
    }

    [Fact]
    public void ResetStatistics_clears_and_parameter_count_is_K_times_L_minus_one()
    {
        var family = new CategoricalFamily(5);
        var current = CategoricalComponent.WithProbabilities(new[] { 0.2, 0.2, 0.2, 0.2, 0.2 });
        var s = (CategoricalStatistics)family.CreateStatistics(current);
        s.Accumulate(new double[] { 4, 1 }, new double[] { 1, 2 });
        family.ResetStatistics(s, current);
        s.TotalWeight.Should().Be(0);
        s.WeightedCounts.ToArray().Should().OnlyContain(c => c == 0);

        family.Dimension.Should().Be(1);
        family.ParameterCount(3).Should().Be(12);
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_parameter_and_value()
    {
        var levels = () => new CategoricalFamily(0);
        var alpha = () => new CategoricalFamily(3, -0.5);
        levels.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "levelCount" && e.Message.Contains("levelCount = 0"));
        alpha.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "dirichletAlpha" && e.Message.Contains("-0.5"));

        var family = new CategoricalFamily(3);
        var result = new CategoricalComponent[1];
        var count = () => family.Estimate(new CategoricalStatistics[] { new CategoricalStatistics(4) }, result);
        count.Should().Throw<ArgumentException>().WithMessage("*3 levels*");
    }

    [Fact]
    public void Validation_names_the_row_and_value_of_a_value_that_is_not_a_level()
    {
        CategoricalValidation.Levels(new double[] { 0, 1, 2, 2 }, 3, "data");
        var outOfRange = () => CategoricalValidation.Levels(new double[] { 0, 1, 3 }, 3, "data");
        var fractional = () => CategoricalValidation.Levels(new double[] { 0.5 }, 3, "data");
        var negative = () => CategoricalValidation.Levels(new double[] { 1, -1 }, 3, "data");
        outOfRange.Should().Throw<ArgumentException>().Where(e => e.ParamName == "data" && e.Message.Contains("row 2") && e.Message.Contains(" 3 ") && e.Message.Contains("0 to 2"));
        fractional.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("0.5") && e.Message.Contains("row 0"));
        negative.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("-1") && e.Message.Contains("row 1"));

        var data = DataMatrix.FromRowMajor(new double[] { 9.5, 0, 9.5, 1, 9.5, 4 }, 2);
        var column = () => CategoricalValidation.Column(data, 1, 4, "data");
        column.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("row 2, column 1"));
    }
}
