using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The gradient algorithms on data whose likelihood is unbounded (a constant column, identical rows) and with a step
/// size far too large: they never return a model with non-finite or collapsed parameters, and never call such a point
/// converged. A collapse stops the fit with the <see cref="CovarianceNotPositiveDefiniteException"/> EM throws; a prior
/// keeps the optimum finite.
/// </summary>
public sealed class GradientDegeneracyTests
{
    /// <summary>200 × 3: two blobs in the first two columns, the third column constant.</summary>
    private static double[,] ConstantColumn()
    {
        var random = new Random(12);
        var x = new double[200, 3];
        for (int i = 0; i < 200; i++)
        {
            double offset = i % 2 == 0 ? 0 : 5;
            x[i, 0] = offset + Gaussian(random);
            x[i, 1] = offset + Gaussian(random);
            x[i, 2] = 3.5;
        }

        return x;
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    public void Lbfgs_on_a_constant_column_stops_with_the_typed_exception_instead_of_a_NaN_model(CovarianceType type)
    {
        var x = ConstantColumn();
        var fit = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 1, MaxIterations = 1000, Algorithm = FittingAlgorithm.Lbfgs }).Fit(x);

        var error = fit.Should().Throw<CovarianceNotPositiveDefiniteException>().Which;
        error.Message.Should().Contain("CovariancePrior").And.Contain("CovarianceRegularization").And.Contain("L-BFGS");
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Spherical)]
    public void With_a_prior_Lbfgs_on_a_constant_column_converges_to_a_finite_model_above_the_prior_floor(CovarianceType type)
    {
        var x = ConstantColumn();
        var prior = Reference.IsotropicPrior(x, 2);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 1, MaxIterations = 1000, CovarianceRegularization = 0, CovariancePrior = prior, Algorithm = FittingAlgorithm.Lbfgs }).Fit(x);

        model.Converged.Should().BeTrue();
        AssertFinite(model, x);

        // Every variance of the posterior mode is at least α·s₀ / (W + α) (W ≤ 200 rows; tied pools them).
        double floor = prior.PseudoObservations * prior.Variance / (200 + prior.PseudoObservations);
        for (int k = 0; k < 2; k++)
        {
            model.GetCovariance(k).Evd().EigenValues.Min(e => e.Real).Should().BeGreaterThanOrEqualTo(floor * (1 - 1e-6));
        }
    }

    [Fact]
    public void Lbfgs_with_spherical_covariance_fits_a_constant_column_finitely_since_its_variance_is_shared()
    {
        var x = ConstantColumn();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Spherical, Seed = 1, MaxIterations = 1000, Algorithm = FittingAlgorithm.Lbfgs }).Fit(x);

        model.Converged.Should().BeTrue();
        AssertFinite(model, x);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Lbfgs_on_identical_rows_stops_with_the_typed_exception(int componentCount)
    {
        var x = new double[60, 2];
        for (int i = 0; i < 60; i++)
        {
            x[i, 0] = 1.25;
            x[i, 1] = -4;
        }

        var fit = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = componentCount, CovarianceType = CovarianceType.Full, Seed = 1, MaxIterations = 1000, Algorithm = FittingAlgorithm.Lbfgs }).Fit(x);

        fit.Should().Throw<CovarianceNotPositiveDefiniteException>().Which.Message.Should().Contain("CovariancePrior");
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Full)]
    public void Adam_with_a_huge_learning_rate_returns_a_finite_model_never_worse_than_its_start(CovarianceType type)
    {
        var x = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 1, MaxIterations = 50 };

        // Through the estimator: finite parameters and queries, no vanishing weight, and not "converged" after a few epochs at a garbage point.
        var model = new GaussianMixture(options with { Algorithm = FittingAlgorithm.Adam, Gradient = new GradientOptions { LearningRate = 1e6 } }).Fit(x);
        AssertFinite(model, x);
        model.Weights.Should().OnlyContain(w => w > 1e-10);

        // From a known start: the returned point is the best one visited, so never below the start.
        var start = new GaussianMixture(options with { MaxIterations = 1, Tolerance = 0 }).Fit(x);
        var settings = new GradientSettings(GradientMethod.Adam, 50, 0, 1e-12, 1e6, 1024, 1, 7);
        var fit = GradientFitter.Fit(GaussianFamily.Create(type, 2, 1e-6), MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(x), null, [.. start.Weights], [.. start.Components], settings, 0, null, CancellationToken.None);
        fit.LowerBound.Should().BeGreaterThanOrEqualTo(start.MeanLogLikelihood(x) - 1e-12);
        double.IsFinite(fit.LowerBound).Should().BeTrue();
        new GaussianMixtureModelProbe(fit.Weights, fit.Components).AssertFinite(x);
    }

    [Fact]
    public void EM_then_Lbfgs_numbers_its_progress_reports_on_from_EM_within_each_initialisation()
    {
        var x = TestData.Iris(out _);
        var reports = new List<FitProgress>();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = CovarianceType.Diagonal, Seed = 2, MaxIterations = 4, Tolerance = 0, InitializationCount = 2, Algorithm = FittingAlgorithm.ExpectationMaximizationThenLbfgs };

        var model = new GaussianMixture(options).Fit(x, progress: new Collect(reports));

        for (int initialization = 0; initialization < 2; initialization++)
        {
            var iterations = reports.Where(r => r.Initialization == initialization).Select(r => r.Iteration).ToArray();
            iterations.Length.Should().BeGreaterThan(4, "four EM iterations, then L-BFGS ones");
            iterations.Should().Equal(Enumerable.Range(1, iterations.Length), "Iteration runs from 1 within each initialisation, on through the hand-over");
        }

        reports.Where(r => r.Initialization == model.Report.BestInitialization).Should().HaveCount(model.IterationCount);
    }

    internal static void AssertFinite(GaussianMixtureModel model, double[,] x)
    {
        model.LogDensity(x).Should().OnlyContain(v => double.IsFinite(v));
        model.PredictProbabilities(x).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
        double.IsFinite(model.MeanLogLikelihood(x)).Should().BeTrue();
        double.IsFinite(model.BayesianInformationCriterion(x)).Should().BeTrue();
        model.Weights.Should().OnlyContain(w => double.IsFinite(w));
        for (int k = 0; k < model.ComponentCount; k++)
        {
            model.GetPrecision(k).Enumerate().Should().OnlyContain(v => double.IsFinite(v));
            model.GetCovariance(k).Enumerate().Should().OnlyContain(v => double.IsFinite(v));
        }
    }

    /// <summary>The queries of a mixture built from a fit's raw result.</summary>
    private sealed class GaussianMixtureModelProbe(double[] weights, GaussianComponent[] components)
    {
        public void AssertFinite(double[,] x)
        {
            var mixture = new MixtureModel<GaussianComponent>(weights, components);
            mixture.LogDensity(x).Should().OnlyContain(v => double.IsFinite(v));
            mixture.PredictProbabilities(x).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
            weights.Should().OnlyContain(w => double.IsFinite(w) && w > 0);
        }
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class Collect(List<FitProgress> into) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => into.Add(value);
    }
}
