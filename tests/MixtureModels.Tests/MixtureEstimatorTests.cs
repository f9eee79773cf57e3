using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Gaussian;
using MixtureModels.Tests.Components;

namespace MixtureModels.Tests;

/// <summary>The public generic estimator: the presets are exactly it, and what a family cannot do is refused by name.</summary>
public sealed class MixtureEstimatorTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void The_generic_estimator_with_a_Gaussian_family_gives_the_preset_fit_bit_for_bit(CovarianceType type)
    {
        var data = TestData.Iris(out _);
        var weights = Enumerable.Range(0, 150).Select(i => 0.5 + (i % 3)).ToArray();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, InitializationCount = 2, Seed = 7 };
        var preset = new GaussianMixture(options).Fit(data, weights);
        var generic = new MixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(type, 4, 1e-6), options).Fit(data, weights);

        generic.Weights.Should().Equal(preset.Weights);
        generic.Report.LowerBoundHistory.Should().Equal(preset.Report.LowerBoundHistory);
        generic.TrainingLabels.Should().Equal(preset.TrainingLabels);
        for (int k = 0; k < 3; k++)
        {
            generic.Components[k].GetCovariance().ToArray().Cast<double>().Should().Equal(preset.Components[k].GetCovariance().ToArray().Cast<double>());
            generic.Components[k].Mean.ToArray().Should().Equal(preset.Components[k].Mean.ToArray());
        }
    }

    [Fact]
    public void A_family_without_a_reparameterisation_is_refused_for_the_gradient_algorithms_naming_the_fix()
    {
        var family = new PerComponentFamily<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Diagonal, 2, 1e-6));
        var estimator = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 2, Algorithm = FittingAlgorithm.Lbfgs });
        var act = () => estimator.Fit(TestData.Faithful());
        act.Should().Throw<NotSupportedException>().WithMessage("*IReparameterization*ExpectationMaximization*");
    }

    [Fact]
    public void A_family_whose_components_do_not_take_missing_entries_is_refused_for_missing_values()
    {
        var estimator = new MixtureEstimator<OpaqueComponent, BernoulliStatistics>(new OpaqueFamily(), new MixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize });
        var act = () => estimator.Fit(new double[,] { { 1, 0 }, { 0, double.NaN }, { 1, 1 }, { 0, 0 } });
        act.Should().Throw<NotSupportedException>().WithMessage("*IMissingValueComponent*Reject*");

        // Without missing values the same family fits, and its queries run.
        var model = new MixtureEstimator<OpaqueComponent, BernoulliStatistics>(new OpaqueFamily(), new MixtureOptions { ComponentCount = 2 }).Fit(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0, 0 }, { 1, 0 } });
        model.LogDensity(new double[,] { { 1, 0 } })[0].Should().BeLessThan(0);
        var impute = () => model.Impute(new double[,] { { 1, 0 } });
        impute.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Data_of_another_dimension_than_the_family_is_refused_by_name()
    {
        var estimator = new MixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Full, 3, 1e-6), new MixtureOptions { ComponentCount = 2 });
        var act = () => estimator.Fit(TestData.Faithful());
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "data" && e.Message.Contains("2 columns") && e.Message.Contains("dimension 3"));
    }

    [Fact]
    public void The_family_data_check_runs_on_training_and_query_data()
    {
        var estimator = new MixtureEstimator<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(2), new MixtureOptions { ComponentCount = 2 });
        var badTraining = () => estimator.Fit(new double[,] { { 1, 0 }, { 0, 2 }, { 1, 1 } });
        badTraining.Should().Throw<ArgumentException>().WithMessage("data?1, 1] = 2 is not 0 or 1*");

        var model = estimator.Fit(new double[,] { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 0, 0 } });
        var badQuery = () => model.Predict(new double[,] { { 0.5, 1 } });
        badQuery.Should().Throw<ArgumentException>().WithMessage("data?0, 0] = 0.5 is not 0 or 1*");
    }

    [Fact]
    public void A_start_is_checked_against_the_component_count_and_the_data()
    {
        var components = new GaussianComponent[] { SphericalGaussian.WithMeanVariance([0.0, 0.0], 1), SphericalGaussian.WithMeanVariance([1.0, 1.0], 1) };
        var neither = () => new MixtureStart<GaussianComponent>();
        neither.Should().Throw<ArgumentException>().WithMessage("*both null*");
        var badWeights = () => new MixtureStart<GaussianComponent>([0.7, 0.7], components);
        badWeights.Should().Throw<ArgumentException>().Where(e => e.ParamName == "weights" && e.Message.Contains("sums to 1.4"));

        var start = new MixtureStart<GaussianComponent>([0.5, 0.5], components);
        var threeComponents = new MixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Spherical, 2, 1e-6), new MixtureOptions { ComponentCount = 3 }) { Start = start };
        var act = () => threeComponents.Fit(TestData.Faithful());
        act.Should().Throw<ArgumentException>().WithMessage("*2 components but ComponentCount is 3*");
    }

    [Fact]
    public void A_complete_start_runs_no_initialiser_and_EM_continues_from_it()
    {
        var data = TestData.Faithful();
        var family = GaussianFamily.Create(CovarianceType.Full, 2, 1e-6);
        var first = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 2, MaxIterations = 3, Tolerance = 0 }).Fit(data);
        var continued = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 2, MaxIterations = 2, Tolerance = 0, Seed = 99 })
        {
            Start = new MixtureStart<GaussianComponent>([.. first.Weights], [.. first.Components]),
        }.Fit(data);
        var straight = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 2, MaxIterations = 5, Tolerance = 0 }).Fit(data);

        // Three iterations, then two more from where they stopped, are five iterations (the seed no longer matters).
        continued.Report.LowerBoundHistory.Should().Equal(straight.Report.LowerBoundHistory.Skip(3));
        continued.Weights.Should().Equal(straight.Weights);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    public void Queries_through_the_batched_path_agree_with_a_naive_mixture_density(CovarianceType type)
    {
        var data = Reference.Blobs(3000, 9, 4, seed: 3);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 4, CovarianceType = type, Seed = 1 }).Fit(data);
        var logDensity = model.LogDensity(data);
        var probabilities = model.PredictProbabilities(data);
        var labels = model.Predict(data);
        labels.Should().Equal(model.TrainingLabels);
        for (int n = 0; n < 3000; n += 7)
        {
            var row = Reference.Row(data, n);
            double expected = Reference.MixtureLogDensity(row, model.Weights, model.Components);
            logDensity[n].Should().BeApproximately(expected, 1e-10 * Math.Max(1, Math.Abs(expected)), $"row {n}");
            double sum = 0;
            for (int k = 0; k < 4; k++)
            {
                double naive = Math.Exp(Math.Log(model.Weights[k]) + Reference.GaussianLogDensity(row, model.Components[k].Mean, model.Components[k].GetCovariance()) - expected);
                probabilities[n, k].Should().BeApproximately(naive, 1e-9, $"row {n}, component {k}");
                sum += probabilities[n, k];
            }

            sum.Should().BeApproximately(1, 1e-12);
        }
    }

    /// <summary>A Bernoulli component seen only through <see cref="IComponent"/>: no missing-value capability.</summary>
    private sealed class OpaqueComponent(BernoulliComponent inner) : IComponent
    {
        public BernoulliComponent Inner => inner;

        public int Dimension => inner.Dimension;

        public int ParameterCount => inner.ParameterCount;

        public void LogDensity(ReadOnlySpan<double> rows, Span<double> destination) => inner.LogDensity(rows, destination);

        public double LogDensity(ReadOnlySpan<double> row) => inner.LogDensity(row);

        public void Sample(Random random, Span<double> destination) => inner.Sample(random, destination);
    }

    /// <summary>The Bernoulli family producing <see cref="OpaqueComponent"/>s.</summary>
    private sealed class OpaqueFamily : IComponentFamily<OpaqueComponent, BernoulliStatistics>
    {
        private readonly BernoulliFamily _inner = new(2);

        public int Dimension => 2;

        public int ParameterCount(int componentCount) => _inner.ParameterCount(componentCount);

        public BernoulliStatistics CreateStatistics(OpaqueComponent? current) => _inner.CreateStatistics(current?.Inner);

        public void ResetStatistics(BernoulliStatistics statistics, OpaqueComponent? current) => _inner.ResetStatistics(statistics, current?.Inner);

        public void Estimate(ReadOnlySpan<BernoulliStatistics> statistics, Span<OpaqueComponent> destination)
        {
            var inner = new BernoulliComponent[statistics.Length];
            _inner.Estimate(statistics, inner);
            for (int k = 0; k < inner.Length; k++)
            {
                destination[k] = new OpaqueComponent(inner[k]);
            }
        }
    }
}
