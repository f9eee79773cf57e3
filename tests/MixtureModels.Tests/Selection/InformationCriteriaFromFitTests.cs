using MixtureModels.Selection;

namespace MixtureModels.Tests.Selection;

/// <summary>BIC, AIC and ICL from the fit alone equal the formulas computed independently from the data.</summary>
public sealed class InformationCriteriaFromFitTests
{
    /// <summary>(log L, responsibilities' entropy) summed over rows, from the model's own queries.</summary>
    private static (double LogLikelihood, double Entropy) Sums(GaussianMixtureModel model, double[,] data, double[]? weights = null)
    {
        var logDensity = model.LogDensity(data);
        var r = model.PredictProbabilities(data);
        double logLikelihood = 0, entropy = 0;
        for (int n = 0; n < logDensity.Length; n++)
        {
            double w = weights?[n] ?? 1;
            logLikelihood += w * logDensity[n];
            for (int k = 0; k < model.ComponentCount; k++)
            {
                if (r[n, k] > 0)
                {
                    entropy -= w * r[n, k] * Math.Log(r[n, k]);
                }
            }
        }

        return (logLikelihood, entropy);
    }

    [Theory]
    [InlineData(CovarianceType.Full, 3, 17)]       // 3·2 means + 3·3 covariances + 2 weights
    [InlineData(CovarianceType.Tied, 3, 11)]       // 3·2 + 3 + 2
    [InlineData(CovarianceType.Diagonal, 3, 14)]   // 3·2 + 3·2 + 2
    [InlineData(CovarianceType.Spherical, 2, 7)]   // 2·2 + 2 + 1
    public void Criteria_from_the_fit_equal_the_formulas_on_the_training_data(CovarianceType type, int k, int parameters)
    {
        var data = TestData.Faithful();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, InitializationCount = 2 }).Fit(data);
        var (logLikelihood, entropy) = Sums(model, data);
        double n = data.GetLength(0);
        double bic = (-2 * logLikelihood) + (parameters * Math.Log(n));
        double aic = (-2 * logLikelihood) + (2 * parameters);

        model.ParameterCount.Should().Be(parameters);
        model.BayesianInformationCriterion().Should().BeApproximately(bic, 1e-9 * Math.Abs(bic));
        model.AkaikeInformationCriterion().Should().BeApproximately(aic, 1e-9 * Math.Abs(aic));
        model.IntegratedCompletedLikelihood().Should().BeApproximately(bic + (2 * entropy), 1e-8 * Math.Abs(bic));
        model.Criterion(InformationCriterion.Bayesian).Should().Be(model.BayesianInformationCriterion());
        model.BayesianInformationCriterion().Should().BeApproximately(model.BayesianInformationCriterion(data), 1e-9 * Math.Abs(bic));
        entropy.Should().BeGreaterThan(0);
    }

    [Fact]
    public void With_sample_weights_n_is_the_sum_of_the_weights_as_given()
    {
        var data = TestData.Faithful();
        var random = new Random(5);
        var weights = Enumerable.Range(0, data.GetLength(0)).Select(_ => 0.25 + (2 * random.NextDouble())).ToArray();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2 }).Fit(data, weights);
        var (logLikelihood, entropy) = Sums(model, data, weights);
        double n = weights.Sum();
        double bic = (-2 * logLikelihood) + (model.ParameterCount * Math.Log(n));

        model.Report.TrainingWeight.Should().BeApproximately(n, 1e-12 * n);
        model.BayesianInformationCriterion().Should().BeApproximately(bic, 1e-9 * Math.Abs(bic));
        model.BayesianInformationCriterion().Should().BeApproximately(model.BayesianInformationCriterion(data, weights), 1e-9 * Math.Abs(bic));
        model.IntegratedCompletedLikelihood().Should().BeApproximately(bic + (2 * entropy), 1e-8 * Math.Abs(bic));
    }

    [Fact]
    public void The_icl_adds_nothing_for_one_component_and_our_bic_is_minus_mclusts()
    {
        var data = TestData.Faithful();
        var model = new GaussianMixture(1).Fit(data);
        model.IntegratedCompletedLikelihood().Should().Be(model.BayesianInformationCriterion());

        // mclust's BIC of the same fit is 2·log L − p·ln n.
        var (logLikelihood, _) = Sums(model, data);
        double mclust = (2 * logLikelihood) - (model.ParameterCount * Math.Log(data.GetLength(0)));
        model.BayesianInformationCriterion().Should().BeApproximately(-mclust, 1e-9 * Math.Abs(mclust));
    }

    [Fact]
    public void An_undefined_criterion_is_named()
    {
        var model = new GaussianMixture(1).Fit(TestData.Faithful());
        var act = () => model.Criterion((InformationCriterion)7);
        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("criterion").WithMessage("*Bayesian*");
    }

    [Fact]
    public void A_saved_and_loaded_model_keeps_its_criteria()
    {
        var data = TestData.Faithful();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Tied }).Fit(data);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = GaussianMixtureModel.Load(stream);
        loaded.BayesianInformationCriterion().Should().Be(model.BayesianInformationCriterion());
        loaded.IntegratedCompletedLikelihood().Should().Be(model.IntegratedCompletedLikelihood());
        loaded.Report.ComponentDegeneracies.Should().Equal(model.Report.ComponentDegeneracies);
        loaded.Report.ComponentRowCounts.Should().Equal(model.Report.ComponentRowCounts);
        loaded.Report.DegenerateInitializations.Should().Equal(model.Report.DegenerateInitializations);
    }
}
