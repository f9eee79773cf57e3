using MixtureModels.Components.Poisson;

namespace MixtureModels.Tests.Components.Poisson;

public sealed class PoissonFamilyTests
{
    [Fact]
    public void M_step_equals_the_brute_force_weighted_mean_and_maximises_the_weighted_likelihood()
    {
        const int K = 3;
        var (rows, _) = PoissonStatisticsTests.Data(400, 4);
        var random = new Random(5);
        var responsibilities = new double[rows.Length, K];
        for (int n = 0; n < rows.Length; n++)
        {
            double a = random.NextDouble(), b = random.NextDouble(), c = random.NextDouble();
            responsibilities[n, 0] = a / (a + b + c);
            responsibilities[n, 1] = b / (a + b + c);
            responsibilities[n, 2] = c / (a + b + c);
        }

        var family = new PoissonFamily();
        var stats = new PoissonStatistics[K];
        for (int k = 0; k < K; k++)
        {
            stats[k] = family.CreateStatistics(null);
            var w = Enumerable.Range(0, rows.Length).Select(n => responsibilities[n, k]).ToArray();
            stats[k].Accumulate(rows, w);
        }

        var components = new PoissonComponent[K];
        family.Estimate(stats, components);

        for (int k = 0; k < K; k++)
        {
            double sw = 0, swx = 0;
            for (int n = 0; n < rows.Length; n++)
            {
                sw += responsibilities[n, k];
                swx += responsibilities[n, k] * rows[n];
            }

            double rate = components[k].Rate;
            rate.ShouldBeClose(swx / sw, 1e-12, $"component {k}");

            double LogLikelihood(double lambda)
            {
                var c = PoissonComponent.WithRate(lambda);
                return Enumerable.Range(0, rows.Length).Sum(n => responsibilities[n, k] * c.LogDensity(rows.AsSpan(n, 1)));
            }

            double best = LogLikelihood(rate);
            best.Should().BeGreaterThan(LogLikelihood(rate * 1.01));
            best.Should().BeGreaterThan(LogLikelihood(rate * 0.99));
        }
    }

    [Fact]
    public void A_component_of_zeros_gets_the_floored_rate_and_finite_densities()
    {
        var family = new PoissonFamily();
        var s = family.CreateStatistics(null);
        s.Accumulate(new double[] { 0, 0, 0, 0 }, new double[] { 1, 2, 0.5, 1 });
        var result = new PoissonComponent[1];
        family.Estimate(new[] { s }, result);

        result[0].Rate.Should().Be(PoissonFamily.MinimumRate);
        PoissonFamily.MinimumRate.Should().Be(1e-10);
        double.IsFinite(result[0].LogDensity(new[] { 0.0 })).Should().BeTrue();
        double.IsFinite(result[0].LogDensity(new[] { 5.0 })).Should().BeTrue();
    }

    [Fact]
    public void An_empty_component_gets_a_finite_positive_rate()
    {
        var family = new PoissonFamily();
        var result = new PoissonComponent[2];
        var empty = family.CreateStatistics(null);
        var zeroWeights = family.CreateStatistics(null);
        zeroWeights.Accumulate(new double[] { 3, 4 }, new double[] { 0, 0 });
        family.Estimate(new[] { empty, zeroWeights }, result);

        foreach (var c in result)
        {
            c.Rate.Should().Be(PoissonFamily.MinimumRate);
            double.IsFinite(c.LogDensity(new[] { 2.0 })).Should().BeTrue();
        }
    }

    [Fact]
    public void ResetStatistics_clears_the_accumulator()
    {
        var family = new PoissonFamily();
        var current = PoissonComponent.WithRate(4);
        var s = (PoissonStatistics)family.CreateStatistics(current);
        s.Accumulate(new double[] { 1, 2, 3 }, new double[] { 1, 1, 1 });
        family.ResetStatistics(s, current);
        s.TotalWeight.Should().Be(0);
        s.WeightedSum.Should().Be(0);
    }

    [Fact]
    public void Parameter_count_is_one_per_component()
    {
        var family = new PoissonFamily();
        family.Dimension.Should().Be(1);
        family.ParameterCount(1).Should().Be(1);
        family.ParameterCount(5).Should().Be(5);
        var act = () => family.ParameterCount(-1);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("componentCount");
    }

    [Fact]
    public void Missing_statistics_are_rejected()
    {
        var family = new PoissonFamily();
        var result = new PoissonComponent[1];
        var estimate = () => family.Estimate(new PoissonStatistics[] { null! }, result);
        var reset = () => family.ResetStatistics(null!, PoissonComponent.WithRate(1));
        estimate.Should().Throw<ArgumentException>().WithMessage("*statistics[0] is null*");
        reset.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Validation_accepts_counts_and_names_the_row_and_value_of_a_bad_one()
    {
        PoissonValidation.Counts(new double[] { 0, 1, 2, 1e6 }, "data");
        var fractional = () => PoissonValidation.Counts(new double[] { 0, 1, 2.5 }, "data");
        fractional.Should().Throw<ArgumentException>().Where(e => e.ParamName == "data" && e.Message.Contains("2.5") && e.Message.Contains("row 2") && e.Message.Contains("non-negative integer"));
        var negative = () => PoissonValidation.Counts(new double[] { -1 }, "data");
        negative.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("-1") && e.Message.Contains("row 0"));
        var nan = () => PoissonValidation.Counts(new double[] { 3, double.NaN }, "data");
        nan.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("NaN") && e.Message.Contains("row 1"));

        // Column 1 of a two-column matrix: row 1 holds 7.5.
        var data = DataMatrix.FromRowMajor(new double[] { 0.3, 1, -4.2, 7.5 }, 2);
        var column = () => PoissonValidation.Column(data, 1, "data");
        column.Should().Throw<ArgumentException>().Where(e => e.Message.Contains("7.5") && e.Message.Contains("row 1, column 1"));
        PoissonValidation.Column(DataMatrix.FromRowMajor(new double[] { 0.3, 1, -4.2, 7 }, 2), 1, "data");
    }
}
