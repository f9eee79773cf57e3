using MixtureModels.Components.Bernoulli;

namespace MixtureModels.Tests.Components.Bernoulli;

public sealed class BernoulliFamilyTests
{
    [Fact]
    public void Maximum_likelihood_m_step_is_the_brute_force_weighted_column_mean()
    {
        const int d = 9, rows = 120;
        var x = BernoulliTestData.Binary(rows, d, 31, 0.5);
        var family = new BernoulliFamily(d);
        var stats = new BernoulliStatistics[2];
        var weights = new double[2][];
        for (int k = 0; k < 2; k++)
        {
            weights[k] = BernoulliTestData.Weights(rows, 40 + k);
            stats[k] = family.CreateStatistics(null);
            stats[k].Accumulate(x, weights[k]);
        }

        var components = new BernoulliComponent[2];
        family.Estimate(stats, components);

        for (int k = 0; k < 2; k++)
        {
            var (total, counts) = BernoulliTestData.WeightedCounts(x, weights[k], d);
            for (int i = 0; i < d; i++)
            {
                components[k].Probabilities[i].ShouldBeClose(counts[i] / total, 1e-13, $"component {k}, column {i}");
            }
        }
    }

    [Theory]
    [InlineData(2.0, 2.0)]
    [InlineData(1.0, 3.5)]
    [InlineData(5.0, 1.0)]
    public void Map_m_step_follows_the_beta_prior_formula(double alpha, double beta)
    {
        var family = new BernoulliFamily(3, new BernoulliPriors { Alpha = alpha, Beta = beta });
        var stats = BernoulliStatistics.FromValues(10.0, new[] { 0.0, 4.0, 10.0 });
        var components = new BernoulliComponent[1];

        family.Estimate(new BernoulliStatistics[] { stats }, components);

        for (int i = 0; i < 3; i++)
        {
            double expected = (stats.WeightedCounts[i] + alpha - 1) / (10.0 + alpha + beta - 2);
            expected = Math.Clamp(expected, 1e-10, 1 - 1e-10);
            components[0].Probabilities[i].ShouldBeClose(expected, 1e-15, $"column {i}");
        }
    }

    [Fact]
    public void Constant_columns_are_clamped_to_epsilon_and_the_log_density_stays_finite()
    {
        const int d = 4;
        var x = new double[] { 0, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0 }; // column 0 all zero, column 1 all one
        var family = new BernoulliFamily(d);
        var stats = family.CreateStatistics(null);
        stats.Accumulate(x, new[] { 1.0, 2.0, 0.5 });
        var components = new BernoulliComponent[1];

        family.Estimate(new[] { stats }, components);

        var phi = components[0].Probabilities;
        phi[0].Should().Be(1e-10);
        phi[1].Should().Be(1 - 1e-10);
        double logDensity = components[0].LogDensity(new double[] { 1, 0, 1, 1 });
        double.IsFinite(logDensity).Should().BeTrue();
        logDensity.ShouldBeClose(BernoulliTestData.NaiveLogDensity(new double[] { 1, 0, 1, 1 }, phi.ToArray()), 1e-12);
        logDensity.Should().BeLessThan(2 * Math.Log(1e-10) + 1);
    }

    [Fact]
    public void A_custom_epsilon_is_the_clamp()
    {
        var family = new BernoulliFamily(2, new BernoulliPriors { Epsilon = 1e-3 });
        var components = new BernoulliComponent[1];

        family.Estimate(new BernoulliStatistics[] { BernoulliStatistics.FromValues(5, new[] { 0.0, 5.0 }) }, components);

        components[0].Probabilities.ToArray().Should().Equal(1e-3, 1 - 1e-3);
    }

    [Fact]
    public void An_empty_component_is_finite_at_one_half_or_the_prior_mode()
    {
        var components = new BernoulliComponent[1];
        var empty = new BernoulliStatistics[] { new BernoulliStatistics(3) };

        new BernoulliFamily(3).Estimate(empty, components);
        components[0].Probabilities.ToArray().Should().Equal(0.5, 0.5, 0.5);
        double.IsFinite(components[0].LogDensity(new double[] { 1, 0, 1 })).Should().BeTrue();

        new BernoulliFamily(3, new BernoulliPriors { Alpha = 3, Beta = 2 }).Estimate(empty, components);
        components[0].Probabilities[0].ShouldBeClose(2.0 / 3, 1e-15); // (α − 1)/(α + β − 2)
    }

    [Fact]
    public void Statistics_restored_from_values_give_the_same_components()
    {
        const int d = 5;
        var x = BernoulliTestData.Binary(33, d, 8);
        var family = new BernoulliFamily(d, new BernoulliPriors { Alpha = 1.5, Beta = 1.25 });
        var original = family.CreateStatistics(null);
        original.Accumulate(x, BernoulliTestData.Weights(33, 9));
        var b = (BernoulliStatistics)original;
        var restored = BernoulliStatistics.FromValues(b.TotalWeight, b.WeightedCounts);
        var fromOriginal = new BernoulliComponent[1];
        var fromRestored = new BernoulliComponent[1];

        family.Estimate(new[] { original }, fromOriginal);
        family.Estimate(new BernoulliStatistics[] { restored }, fromRestored);

        fromRestored[0].Probabilities.ToArray().Should().Equal(fromOriginal[0].Probabilities.ToArray());
    }

    [Fact]
    public void Reset_clears_the_statistics()
    {
        var family = new BernoulliFamily(2);
        var stats = family.CreateStatistics(null);
        stats.Accumulate(new double[] { 1, 1 }, new[] { 3.0 });

        family.ResetStatistics(stats, BernoulliComponent.WithProbabilities(new[] { 0.5, 0.5 }));

        stats.TotalWeight.Should().Be(0);
        ((BernoulliStatistics)stats).WeightedCounts.ToArray().Should().Equal(0, 0);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 1, 3)]
    [InlineData(1, 7, 7)]
    [InlineData(4, 25, 100)]
    public void Parameter_count_is_k_times_d(int k, int d, int expected)
    {
        new BernoulliFamily(d).ParameterCount(k).Should().Be(expected);
        BernoulliComponent.WithProbabilities(Enumerable.Repeat(0.5, d).ToArray()).ParameterCount.Should().Be(d);
    }

    [Fact]
    public void Default_priors_are_maximum_likelihood_with_epsilon_1e_10()
    {
        var family = new BernoulliFamily(2);
        family.Priors.Should().Be(BernoulliPriors.MaximumLikelihood);
        family.Priors.Alpha.Should().Be(1);
        family.Priors.Beta.Should().Be(1);
        family.Priors.Epsilon.Should().Be(1e-10);
        family.Priors.IsMaximumLikelihood.Should().BeTrue();
        family.Dimension.Should().Be(2);
        (family.Priors with { Alpha = 2 }).IsMaximumLikelihood.Should().BeFalse();
    }

    [Theory]
    [InlineData("Alpha", 0.5)]
    [InlineData("Alpha", double.NaN)]
    [InlineData("Alpha", double.PositiveInfinity)]
    [InlineData("Beta", 0.0)]
    [InlineData("Beta", -2.0)]
    [InlineData("Epsilon", 0.0)]
    [InlineData("Epsilon", 0.5)]
    [InlineData("Epsilon", -1e-10)]
    [InlineData("Epsilon", double.NaN)]
    public void Bad_priors_are_rejected_naming_the_parameter_and_value(string name, double value)
    {
        Func<BernoulliPriors> act = name switch
        {
            "Alpha" => () => new BernoulliPriors { Alpha = value },
            "Beta" => () => BernoulliPriors.MaximumLikelihood with { Beta = value },
            _ => () => new BernoulliPriors { Epsilon = value },
        };

        var e = act.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be(name);
        e.ActualValue.Should().Be(value);
        e.Message.Should().Contain($"{name} = {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").And.Contain("Use ");
    }

    [Fact]
    public void Bad_family_arguments_are_rejected()
    {
        var zero = () => new BernoulliFamily(0);
        zero.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("dimension");
        var family = new BernoulliFamily(3);
        var noComponents = () => family.ParameterCount(0);
        noComponents.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("componentCount");

        var components = new BernoulliComponent[1];
        var otherShape = () => family.Estimate(new BernoulliStatistics[] { new BernoulliStatistics(2) }, components);
        otherShape.Should().Throw<ArgumentException>().Which.Message.Should().Contain("dimension 2").And.Contain("CreateStatistics");
        var otherDimension = () => family.ResetStatistics(new BernoulliStatistics(2), BernoulliComponent.WithProbabilities(new[] { 0.5, 0.5, 0.5 }));
        otherDimension.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("statistics");
    }
}
