using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>The weight-step hook: maximum likelihood and the Dirichlet MAP step, against their closed forms and finite differences.</summary>
public sealed class WeightStepTests
{
    [Fact]
    public void Maximum_likelihood_weights_are_the_normalised_totals_with_an_empty_component_kept_alive()
    {
        double[] totals = [30, 0, 70];
        var weights = new double[3];
        MaximumLikelihoodWeights.Instance.Estimate(totals, weights);

        const double eps = 10 * 2.220446049250313e-16;
        double total = 100 + (3 * eps);
        weights.Should().Equal([(30 + eps) / total, (0 + eps) / total, (70 + eps) / total]);
        weights[1].Should().BeGreaterThan(0);
        MaximumLikelihoodWeights.Instance.AddLogPrior(weights, 1, new double[3]).Should().Be(0);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(11.0)]
    public void The_Dirichlet_step_adds_alpha_minus_one_pseudo_rows_to_every_component(double alpha)
    {
        double[] totals = [12, 0, 3.5, 40];
        var weights = new double[4];
        new DirichletWeightPrior(alpha).Estimate(totals, weights);

        // The mode of Dirichlet(N_k + α) written out, up to the 10ε every component keeps.
        double denominator = totals.Sum() + (4 * (alpha - 1));
        for (int k = 0; k < 4; k++)
        {
            weights[k].Should().BeApproximately((totals[k] + alpha - 1) / denominator, 1e-14);
        }

        weights.Sum().Should().BeApproximately(1, 1e-15);
    }

    [Fact]
    public void The_Dirichlet_log_prior_and_its_logit_gradient_agree_with_the_formula_and_finite_differences()
    {
        var prior = new DirichletWeightPrior(3.5);
        double[] logits = [0.3, -1.2, 0.9, 0.1];
        double[] Softmax(double[] a)
        {
            double max = a.Max();
            var e = a.Select(v => Math.Exp(v - max)).ToArray();
            double s = e.Sum();
            return e.Select(v => v / s).ToArray();
        }

        var weights = Softmax(logits);
        var gradient = new double[4];
        double value = prior.AddLogPrior(weights, 1, gradient);
        value.Should().BeApproximately(2.5 * weights.Sum(Math.Log), 1e-13);

        for (int j = 0; j < 4; j++)
        {
            double h = 1e-5;
            var plus = (double[])logits.Clone();
            var minus = (double[])logits.Clone();
            plus[j] += h;
            minus[j] -= h;
            double fd = (prior.AddLogPrior(Softmax(plus), 0, new double[4]) - prior.AddLogPrior(Softmax(minus), 0, new double[4])) / (2 * h);
            gradient[j].Should().BeApproximately(fd, 1e-7 * Math.Max(1, Math.Abs(fd)), $"logit {j}");
        }
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_concentration_below_one_or_not_finite_is_refused_by_name(double alpha)
    {
        var act = () => new DirichletWeightPrior(alpha);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "concentration" && e.Message.Contains("α ≥ 1"));
    }

    [Fact]
    public void EM_with_the_Dirichlet_step_never_lowers_the_posterior_and_keeps_an_overfitted_component_alive()
    {
        // Six components for two clusters: maximum likelihood lets spare components shrink; the prior holds each at
        // least (α − 1) / (N + K(α − 1)).
        var data = Reference.Blobs(400, 2, 2, seed: 5);
        var family = GaussianFamily.Create(CovarianceType.Diagonal, 2, 1e-6);
        var prior = new DirichletWeightPrior(21);
        var progress = new List<FitProgress>();
        var estimator = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 6, Tolerance = 0, MaxIterations = 60, Seed = 2 })
        {
            WeightStep = prior,
        };
        var model = estimator.Fit(data, progress: new Progress<FitProgress>(progress.Add));

        model.Weights.Min().Should().BeGreaterThanOrEqualTo(20.0 / (400 + (6 * 20)) * (1 - 1e-12));

        // The objective EM maximises with the prior: Σ log p(x) + log p(π) (the covariance family has no prior). Refit
        // iteration by iteration from the same start, evaluating it after every step.
        double previous = double.NegativeInfinity;
        var start = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 6, MaxIterations = 1, Tolerance = 0, Seed = 2 }) { WeightStep = prior }.Fit(data);
        var current = start;
        for (int i = 0; i < 25; i++)
        {
            double posterior = (current.MeanLogLikelihood(data) * 400) + prior.AddLogPrior([.. current.Weights], 0, new double[6]);
            posterior.Should().BeGreaterThanOrEqualTo(previous - (1e-9 * Math.Abs(posterior)), $"iteration {i}");
            previous = posterior;
            current = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = 6, MaxIterations = 1, Tolerance = 0 })
            {
                WeightStep = prior,
                Start = new MixtureStart<GaussianComponent>([.. current.Weights], [.. current.Components]),
            }.Fit(data);
        }
    }

    [Fact]
    public void LBFGS_with_the_Dirichlet_prior_reaches_the_MAP_optimum_EM_finds()
    {
        var data = TestData.Faithful();
        var family = GaussianFamily.Create(CovarianceType.Full, 2, 1e-6);
        var prior = new DirichletWeightPrior(30);
        var options = new MixtureOptions { ComponentCount = 3, Tolerance = 1e-12, MaxIterations = 3000, Seed = 4 };
        var em = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options) { WeightStep = prior }.Fit(data);
        var lbfgs = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options with { Algorithm = FittingAlgorithm.ExpectationMaximizationThenLbfgs, MaxIterations = 500 })
        {
            WeightStep = prior,
            Start = new MixtureStart<GaussianComponent>([.. em.Weights], [.. em.Components]),
        }.Fit(data);

        // Same objective, same optimum: the polish cannot improve on EM's fixed point (beyond rounding), and the
        // weights stay where the MAP step put them.
        double Posterior(FittedMixtureModel<GaussianComponent> m) => (m.MeanLogLikelihood(data) * 272) + prior.AddLogPrior([.. m.Weights], 0, new double[3]);
        Posterior(lbfgs).Should().BeApproximately(Posterior(em), 1e-6);
        for (int k = 0; k < 3; k++)
        {
            lbfgs.Weights[k].Should().BeApproximately(em.Weights[k], 1e-5);
        }
    }
}
