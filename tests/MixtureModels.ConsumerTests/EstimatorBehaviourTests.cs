using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>Restarts, warm start, cancellation, determinism and refused capabilities, for a family written outside the library.</summary>
public sealed class EstimatorBehaviourTests
{
    [Fact]
    public void Restarts_keep_the_best_lower_bound()
    {
        var data = WindData.Column(WindData.Raw);
        var options = new MixtureOptions { ComponentCount = 3, InitializationCount = 5, Initialization = InitializationMethod.RandomFromData, Seed = 2001, Tolerance = 1e-9, MaxIterations = 1000 };
        var model = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options).Fit(data);

        var bounds = model.Report.InitializationLowerBounds;
        bounds.Should().HaveCount(5);
        bounds.Distinct().Count().Should().BeGreaterThan(1, "the restarts must reach different optima for this check to mean anything");
        model.LowerBound.Should().Be(bounds.Max());
        bounds[model.Report.BestInitialization].Should().Be(model.LowerBound);
        model.Report.LowerBoundHistory[^1].Should().Be(model.LowerBound);

        // Restart 0 is the fit a single initialisation with the same seed gives.
        var single = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), options with { InitializationCount = 1 }).Fit(data);
        single.LowerBound.Should().Be(bounds[0]);

        // The returned model is the kept one: its training log-likelihood is one EM step past its lower bound.
        model.Report.TrainingLogLikelihood.Should().BeGreaterThanOrEqualTo(model.LowerBound - 1e-12);
        model.MeanLogLikelihood(data).Should().BeApproximately(model.Report.TrainingLogLikelihood, 1e-12);
    }

    [Fact]
    public void Warm_start_continues_from_the_previous_model()
    {
        var data = WindData.Column(WindData.Raw);
        var warm = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 5, WarmStart = true, InitializationCount = 3 })
        {
            Start = WindData.Start(),
        };
        var first = warm.Fit(data);
        var progress = new RecordingProgress();
        var second = warm.Fit(data, progress: progress);

        progress.Reports[0].LowerBound.Should().BeGreaterThanOrEqualTo(first.LowerBound - 1e-12);
        progress.Reports[0].LowerBound.Should().BeApproximately(first.Report.TrainingLogLikelihood, 1e-12, "the second fit starts at the first one's model");
        double.IsFinite(progress.Reports[0].Change).Should().BeTrue("a warm start reports its change from the previous bound");
        progress.Reports.Should().OnlyContain(p => p.Initialization == 0, "a warm start runs one initialisation");
        second.Report.InitializationLowerBounds.Should().HaveCount(1);

        // 5 + 5 warm iterations are the same as 10 cold ones from the same start.
        var cold = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 10 })
        {
            Start = WindData.Start(),
        }.Fit(data);
        double[] joined = [.. first.Report.LowerBoundHistory, .. second.Report.LowerBoundHistory];
        joined.Should().Equal(cold.Report.LowerBoundHistory, (a, b) => Math.Abs(a - b) <= 1e-12);
        for (int k = 0; k < 3; k++)
        {
            second.Weights[k].Should().BeApproximately(cold.Weights[k], 1e-12);
            second.Components[k].Concentration.Should().BeApproximately(cold.Components[k].Concentration, 1e-10 * cold.Components[k].Concentration);
        }
    }

    [Fact]
    public void Cancelling_from_the_progress_callback_stops_the_fit()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.Iteration == 3)
            {
                cancellation.Cancel();
            }
        });
        var estimator = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 100, InitializationCount = 4 });

        var act = () => estimator.Fit(WindData.Column(WindData.Raw), progress: progress, cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
        progress.Reports.Should().HaveCount(3, "no iteration runs after the token is cancelled");
        FluentActions.Invoking(() => estimator.FittedModel).Should().Throw<NotFittedException>("a cancelled fit keeps no model");
    }

    [Fact]
    public void One_thread_and_all_threads_give_bit_identical_fits()
    {
        var data = WindData.Column(WindData.Draws(40_000, seed: 11));
        FittedMixtureModel<VonMisesComponent> Fit(int threads) =>
            new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
                new VonMisesFamily(),
                new MixtureOptions { ComponentCount = 3, InitializationCount = 2, Tolerance = 1e-10, MaxIterations = 300, MaxDegreeOfParallelism = threads })
                .Fit(data);

        var one = Fit(1);
        var all = Fit(-1);

        all.Report.LowerBoundHistory.Should().Equal(one.Report.LowerBoundHistory);
        all.Report.InitializationLowerBounds.Should().Equal(one.Report.InitializationLowerBounds);
        all.Weights.Should().Equal(one.Weights);
        all.Components.Select(c => c.Mean).Should().Equal(one.Components.Select(c => c.Mean));
        all.Components.Select(c => c.Concentration).Should().Equal(one.Components.Select(c => c.Concentration));
        all.TrainingLabels.Should().Equal(one.TrainingLabels);

        // And the fit finds the mixture the rows were drawn from.
        var byMean = all.Components.Select((c, k) => (c, w: all.Weights[k])).OrderBy(t => t.c.Mean).ToArray();
        byMean.Select(t => t.c.Mean).Should().Equal([-2.0, 0.0, 2.2], (a, b) => EmAgreementTests.AngularDistance(a, b) < 0.05);
        byMean.Select(t => t.c.Concentration).Should().Equal([20.0, 8.0, 3.0], (a, b) => Math.Abs(a - b) < 0.15 * b);
        byMean.Select(t => t.w).Should().Equal([0.2, 0.5, 0.3], (a, b) => Math.Abs(a - b) < 0.02);
    }

    [Fact]
    public void Marginalizing_missing_values_needs_the_missing_value_capability()
    {
        var estimator = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize });

        var act = () => estimator.Fit(WindData.Column(WindData.Raw));

        act.Should().Throw<NotSupportedException>()
            .Which.Message.Should().ContainAll("IMissingValueComponent", "IMissingValueStatistics", "MissingValueHandling.Reject");
    }

    [Theory]
    [InlineData(FittingAlgorithm.Lbfgs)]
    [InlineData(FittingAlgorithm.Adam)]
    [InlineData(FittingAlgorithm.ExpectationMaximizationThenLbfgs)]
    public void Gradient_algorithms_need_a_reparameterization(FittingAlgorithm algorithm)
    {
        var estimator = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(
            new VonMisesFamily(),
            new MixtureOptions { ComponentCount = 2, Algorithm = algorithm });

        var act = () => estimator.Fit(WindData.Column(WindData.Raw));

        act.Should().Throw<NotSupportedException>()
            .Which.Message.Should().ContainAll("IReparameterization", nameof(VonMisesFamily), "FittingAlgorithm.ExpectationMaximization");
    }

    [Fact]
    public void Degrees_are_refused_by_the_family_data_check()
    {
        double[] degrees = [.. WindData.Raw.Select(a => a * 180 / Math.PI)];
        var estimator = new MixtureEstimator<VonMisesComponent, VonMisesStatistics>(new VonMisesFamily(), new MixtureOptions { ComponentCount = 2 });

        estimator.Invoking(e => e.Fit(WindData.Column(degrees))).Should().Throw<ArgumentException>().WithMessage("*π/180*");

        var model = estimator.Fit(WindData.Column(WindData.Raw));
        model.Invoking(m => m.LogDensity(WindData.Column([0.5, 200.0]))).Should().Throw<ArgumentException>().WithMessage("*[1, 0]*");
    }

    [Fact]
    public void An_empty_component_becomes_uniform_at_its_previous_mean()
    {
        var family = new VonMisesFamily();
        var previous = new VonMisesComponent(1.25, 7);
        var empty = family.CreateStatistics(previous);
        var full = family.CreateStatistics(null);
        full.Accumulate([0.1, 0.2, 0.3], [1, 1, 1]);
        var components = new VonMisesComponent[2];

        family.Estimate([empty, full], components);

        components[0].Mean.Should().Be(1.25);
        components[0].Concentration.Should().Be(0);
        components[0].LogDensity([3.0]).Should().BeApproximately(-Math.Log(2 * Math.PI), 1e-15);
        components[1].Mean.Should().BeApproximately(0.2, 1e-15);
    }
}
