using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>The public estimator with a family written outside the library against an independent brute-force EM.</summary>
public sealed class EmAgreementTests
{
    private const int Iterations = 60;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Estimator_agrees_with_brute_force_em_to_1e_10(bool weighted)
    {
        double[] x = WindData.Raw;
        double[]? sampleWeights = weighted ? [.. x.Select((_, i) => 0.25 + ((i * 37 % 11) / 4.0))] : null;
        var family = new VonMisesFamily();
        var start = WindData.Start();
        var estimator = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            family,
            new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = Iterations })
        {
            Start = start,
        };

        var model = estimator.Fit(WindData.Column(x), sampleWeights);
        var reference = BruteForceVonMisesEm.Run(
            x,
            sampleWeights,
            [.. start.Weights!],
            [.. start.Components!.Select(c => c.Mean)],
            [.. start.Components!.Select(c => c.Concentration)],
            Iterations,
            family);

        model.IterationCount.Should().Be(Iterations, "tolerance 0 runs every iteration");
        model.Report.LowerBoundHistory.Should().HaveCount(Iterations);
        for (int i = 0; i < Iterations; i++)
        {
            model.Report.LowerBoundHistory[i].Should().BeApproximately(reference.LowerBounds[i], 1e-10, $"lower bound of iteration {i + 1}");
        }

        for (int k = 0; k < 3; k++)
        {
            model.Weights[k].Should().BeApproximately(reference.Weights[k], 1e-10, $"weight {k}");
            AngularDistance(model.Components[k].Mean, reference.Means[k]).Should().BeLessThan(1e-10, $"mean {k}");
            model.Components[k].Concentration.Should().BeApproximately(reference.Concentrations[k], 1e-10 * Math.Max(1, reference.Concentrations[k]), $"κ {k}");
        }

        // The data are not one blob: the fit must have moved well away from the start for the comparison to mean something.
        reference.LowerBounds[^1].Should().BeGreaterThan(reference.LowerBounds[0] + 0.05);
    }

    [Fact]
    public void Lower_bound_never_decreases()
    {
        var model = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 200, Initialization = InitializationMethod.RandomFromData, Seed = 4 })
            .Fit(WindData.Column(WindData.Raw));

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - 1e-12, $"iteration {i + 1}");
        }
    }

    [Fact]
    public void Integer_sample_weights_equal_repeated_rows()
    {
        double[] x = WindData.Raw;
        int[] repeats = [.. x.Select((_, i) => 1 + (i % 3))];
        double[] repeated = [.. x.SelectMany((a, i) => Enumerable.Repeat(a, repeats[i]))];
        var options = new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = Iterations };
        var byWeights = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options) { Start = WindData.Start() }
            .Fit(WindData.Column(x), [.. repeats.Select(r => (double)r)]);
        var byRows = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options) { Start = WindData.Start() }
            .Fit(WindData.Column(repeated));

        AssertSameFit(byWeights, byRows, 1e-10);
        byWeights.BayesianInformationCriterion(WindData.Column(x), [.. repeats.Select(r => (double)r)])
            .Should().BeApproximately(byRows.BayesianInformationCriterion(WindData.Column(repeated)), 1e-8);
    }

    [Fact]
    public void Distinct_angles_with_their_counts_equal_the_raw_wind_data()
    {
        // What the sample does: the 310 directions hold repeated values; their counts as weights give the same fit.
        double[] x = WindData.Raw;
        var groups = x.GroupBy(a => a).ToArray();
        groups.Length.Should().BeLessThan(x.Length, "the recorded directions repeat");
        var options = new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = Iterations };
        var grouped = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options) { Start = WindData.Start() }
            .Fit(WindData.Column(groups.Select(g => g.Key)), [.. groups.Select(g => (double)g.Count())]);
        var raw = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options) { Start = WindData.Start() }
            .Fit(WindData.Column(x));

        AssertSameFit(grouped, raw, 1e-10);
    }

    internal static double AngularDistance(double a, double b) => Math.Abs(Angles.Reduce(a - b));

    private static void AssertSameFit(FittedMixtureModel<VonMisesComponent> a, FittedMixtureModel<VonMisesComponent> b, double tolerance)
    {
        for (int i = 0; i < a.Report.LowerBoundHistory.Count; i++)
        {
            a.Report.LowerBoundHistory[i].Should().BeApproximately(b.Report.LowerBoundHistory[i], tolerance, $"lower bound {i}");
        }

        for (int k = 0; k < a.ComponentCount; k++)
        {
            a.Weights[k].Should().BeApproximately(b.Weights[k], tolerance);
            AngularDistance(a.Components[k].Mean, b.Components[k].Mean).Should().BeLessThan(tolerance);
            a.Components[k].Concentration.Should().BeApproximately(b.Components[k].Concentration, tolerance * Math.Max(1, b.Components[k].Concentration));
        }
    }
}
