namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The gradient algorithms through the estimators' public options: they reach the optimum EM reaches (same mean
/// log-likelihood, same parameters up to label order), polish an EM fit, work with missing values and report progress.
/// </summary>
public sealed class GradientAlgorithmTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    public void Lbfgs_and_EM_reach_the_same_optimum_and_parameters_up_to_label_order(CovarianceType type)
    {
        var x = TestData.Faithful();
        var shared = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 11, MaxIterations = 3000, Tolerance = 1e-13, CovarianceRegularization = 0 };
        var em = new GaussianMixture(shared).Fit(x);
        var lbfgs = new GaussianMixture(shared with { Algorithm = FittingAlgorithm.Lbfgs, Gradient = new GradientOptions { GradientTolerance = 1e-10, RelativeTolerance = 1e-15 } }).Fit(x);

        lbfgs.MeanLogLikelihood(x).Should().BeApproximately(em.MeanLogLikelihood(x), 1e-6);
        var a = ByWeight(em);
        var b = ByWeight(lbfgs);
        for (int k = 0; k < 2; k++)
        {
            b[k].Weight.Should().BeApproximately(a[k].Weight, 1e-4);
            for (int j = 0; j < 2; j++)
            {
                b[k].Mean[j].Should().BeApproximately(a[k].Mean[j], 1e-3 * Math.Max(1, Math.Abs(a[k].Mean[j])));
            }
        }
    }

    [Fact]
    public void EM_then_Lbfgs_polishes_an_unconverged_EM_fit_and_reports_every_iteration()
    {
        var x = TestData.Iris(out _);
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = CovarianceType.Diagonal, Seed = 2, MaxIterations = 3, Tolerance = 0 };
        var em = new GaussianMixture(options).Fit(x);
        var reports = new List<FitProgress>();
        var polished = new GaussianMixture(options with { Algorithm = FittingAlgorithm.ExpectationMaximizationThenLbfgs }).Fit(x, progress: new Collect(reports));

        // The same three EM iterations, then L-BFGS steps (up to MaxIterations of them) that only improve the fit.
        polished.Report.LowerBoundHistory.Take(3).Should().Equal(em.Report.LowerBoundHistory);
        polished.IterationCount.Should().BeGreaterThan(3);
        polished.MeanLogLikelihood(x).Should().BeGreaterThan(em.MeanLogLikelihood(x));
        polished.Report.LowerBoundHistory.Should().HaveCount(polished.IterationCount);
        reports.Should().HaveCount(polished.IterationCount);
        polished.Report.LowerBoundHistory.Skip(3).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Lbfgs_fits_a_product_mixture_with_missing_values_without_NaN()
    {
        var x = TestData.Iris(out var species);
        var table = new double[150, 5];
        var random = new Random(5);
        for (int i = 0; i < 150; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                table[i, j] = random.NextDouble() < 0.1 ? double.NaN : x[i, j];
            }

            table[i, 4] = Array.IndexOf(["setosa", "versicolor", "virginica"], species[i]);
        }

        var options = new ProductMixtureOptions
        {
            ComponentCount = 3,
            Seed = 1,
            MaxIterations = 200,
            Algorithm = FittingAlgorithm.Lbfgs,
            MissingValues = MissingValueHandling.Marginalize,
            Marginals = [Marginal.Gaussian([0, 1, 2, 3], CovarianceType.Diagonal), Marginal.Categorical(4, 3)], // no prior: the history is the objective, so it rises
        };
        var model = new ProductMixture(options).Fit(table);

        double.IsFinite(model.MeanLogLikelihood(table)).Should().BeTrue();
        model.Report.LowerBoundHistory.Should().BeInAscendingOrder();
        model.Impute(table).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));

        // With Dirichlet smoothing the objective includes its prior; the fit stays finite and reaches EM's posterior.
        var smoothed = options with
        {
            Marginals = [Marginal.Gaussian([0, 1, 2, 3], CovarianceType.Diagonal, 0), Marginal.Categorical(4, 3, dirichletAlpha: 1)],
            Gradient = new GradientOptions { GradientTolerance = 1e-9, RelativeTolerance = 1e-15 },
            MaxIterations = 2000,
        };
        var lbfgs = new ProductMixture(smoothed).Fit(table);
        var em = new ProductMixture(smoothed with { Algorithm = FittingAlgorithm.ExpectationMaximization, Tolerance = 1e-14, MaxIterations = 5000 }).Fit(table);
        lbfgs.Report.LowerBoundHistory.Should().OnlyContain(v => double.IsFinite(v));
        lbfgs.MeanLogLikelihood(table).Should().BeApproximately(em.MeanLogLikelihood(table), 1e-6);
    }

    [Fact]
    public void Bad_gradient_settings_are_named()
    {
        var rate = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Gradient = new GradientOptions { LearningRate = 0 } });
        rate.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("LearningRate");
        var batch = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Gradient = new GradientOptions { BatchRows = 0 } });
        batch.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("BatchRows");
        var algorithm = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Algorithm = (FittingAlgorithm)9 });
        algorithm.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Algorithm");
    }

    private static (double Weight, double[] Mean)[] ByWeight(GaussianMixtureModel model) =>
        Enumerable.Range(0, model.ComponentCount).Select(k => (model.Weights[k], model.Components[k].Mean.ToArray())).OrderBy(c => c.Item1).ToArray();

    private sealed class Collect(List<FitProgress> into) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => into.Add(value);
    }
}
