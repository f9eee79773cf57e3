using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The direct negative-log-likelihood objective and the gradient fitter: the analytic gradient against central finite
/// differences, and L-BFGS / Adam reaching the optimum EM reaches from the same start.
/// </summary>
public sealed class GradientFitterTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    [Theory]
    [MemberData(nameof(Types))]
    public void The_objective_gradient_equals_central_finite_differences(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var start = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, MaxIterations = 3, Seed = 1 }).Fit(x);
        var family = GaussianFamily.Create(type, 4, 1e-6);
        var engine = new EmEngine<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(x), null, 3, new EmSettings(0, 1, 1));
        var objective = new MixtureObjective<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, engine, 3);
        var u = objective.ToUnconstrained([.. start.Weights], [.. start.Components]);

        // Move away from the EM point so that no gradient entry is accidentally near zero.
        var random = new Random(4);
        for (int i = 0; i < u.Length; i++)
        {
            u[i] += 0.05 * (random.NextDouble() - 0.5);
        }

        var gradient = new double[u.Length];
        double value = objective.Evaluate(u, gradient, CancellationToken.None);
        double.IsFinite(value).Should().BeTrue();
        var scratch = new double[u.Length];
        for (int i = 0; i < u.Length; i++)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(u[i]));
            var plus = (double[])u.Clone();
            var minus = (double[])u.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (objective.Evaluate(plus, scratch, CancellationToken.None) - objective.Evaluate(minus, scratch, CancellationToken.None)) / (2 * h);
            gradient[i].Should().BeApproximately(numeric, 1e-6 * Math.Max(1e-2, Math.Abs(numeric)), $"entry {i} of {u.Length}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Lbfgs_reaches_the_optimum_EM_reaches_from_the_same_start(CovarianceType type)
    {
        var x = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 3, CovarianceRegularization = 0, Tolerance = 0 };
        var start = new GaussianMixture(options with { MaxIterations = 2 }).Fit(x);
        var em = new GaussianMixture(options with { MaxIterations = 2000, Tolerance = 1e-13 }).Fit(x);
        var family = GaussianFamily.Create(type, 2, 0);
        var settings = new GradientSettings(GradientMethod.Lbfgs, 2000, 1e-9, 1e-15, 0, 0, -1, 0);

        var fit = GradientFitter.Fit(family, MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(x), null, [.. start.Weights], [.. start.Components], settings, 0, null, CancellationToken.None);

        fit.LowerBound.Should().BeApproximately(em.MeanLogLikelihood(x), 1e-6);
        fit.LowerBoundHistory.Should().BeInAscendingOrder();
        var gradientWeights = fit.Weights.Order().ToArray();
        var emWeights = em.Weights.Order().ToArray();
        for (int k = 0; k < 2; k++)
        {
            gradientWeights[k].Should().BeApproximately(emWeights[k], 1e-4);
        }
    }

    [Fact]
    public void Adam_on_minibatches_approaches_the_EM_optimum()
    {
        // A poor start (random responsibilities, one EM step); minibatches of 64 rows, step 0.1 decaying as 1/√epoch.
        // Minibatch noise keeps Adam within about 5e-3 of the optimum here, where full-batch L-BFGS reaches it to 1e-6.
        var x = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal, Seed = 3, Tolerance = 0 };
        var start = new GaussianMixture(options with { MaxIterations = 1, Initialization = InitializationMethod.RandomResponsibilities }).Fit(x);
        var em = new GaussianMixture(options with { MaxIterations = 1000, Tolerance = 1e-12 }).Fit(x);
        var settings = new GradientSettings(GradientMethod.Adam, 300, 0, 1e-12, 0.1, 64, 1, 7);

        var fit = GradientFitter.Fit(GaussianFamily.Create(CovarianceType.Diagonal, 2, 1e-6), MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(x), null, [.. start.Weights], [.. start.Components], settings, 0, null, CancellationToken.None);

        start.MeanLogLikelihood(x).Should().BeLessThan(em.MeanLogLikelihood(x) - 1);
        fit.LowerBound.Should().BeApproximately(em.MeanLogLikelihood(x), 1e-2);
        fit.LowerBound.Should().BeLessThanOrEqualTo(em.MeanLogLikelihood(x) + 1e-9);
    }
}
