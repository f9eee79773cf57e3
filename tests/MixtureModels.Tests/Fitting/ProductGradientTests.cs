using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The gradient algorithms on product mixtures, whose normal and Gaussian marginals can collapse as a Gaussian
/// mixture's covariances can (issue 12 items 1–3 and 13 for products): a collapse onto a constant column stops the fit
/// with the typed exception, a prior on the marginal keeps it finite, and on columns of very different scales L-BFGS
/// reaches EM's optimum (the normal and Gaussian blocks are optimised in standardised coordinates).
/// </summary>
public sealed class ProductGradientTests
{
    public static TheoryData<FittingAlgorithm, string> Algorithms() => new()
    {
        { FittingAlgorithm.Lbfgs, "L-BFGS" },
        { FittingAlgorithm.ExpectationMaximizationThenLbfgs, "L-BFGS" },
        { FittingAlgorithm.Adam, "Adam" },
    };

    public static TheoryData<CovarianceType, FittingAlgorithm, string> BlockCases()
    {
        var data = new TheoryData<CovarianceType, FittingAlgorithm, string>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Diagonal, CovarianceType.Tied })
        {
            data.Add(type, FittingAlgorithm.Lbfgs, "L-BFGS");
            data.Add(type, FittingAlgorithm.ExpectationMaximizationThenLbfgs, "L-BFGS");
            data.Add(type, FittingAlgorithm.Adam, "Adam");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_normal_marginal_on_a_constant_column_stops_with_the_typed_exception(FittingAlgorithm algorithm, string name)
    {
        var x = ConstantColumn();
        var fit = () => new ProductMixture(Options(algorithm, [Marginal.Normal(0), Marginal.Normal(1), Marginal.Poisson(2)])).Fit(x);

        var error = fit.Should().Throw<CovarianceNotPositiveDefiniteException>().Which;
        error.Message.Should().Contain(name).And.Contain("CovariancePrior").And.Contain("Marginal.Normal").And.Contain("collapsed");
        error.Regularization.Should().Be(1e-6);
    }

    [Theory]
    [MemberData(nameof(BlockCases))]
    public void A_Gaussian_block_over_a_constant_column_stops_with_the_typed_exception(CovarianceType type, FittingAlgorithm algorithm, string name)
    {
        var x = ConstantColumn();
        var fit = () => new ProductMixture(Options(algorithm, [Marginal.Gaussian([0, 1], type), Marginal.Poisson(2)])).Fit(x);

        var error = fit.Should().Throw<CovarianceNotPositiveDefiniteException>().Which;
        error.Message.Should().Contain(name).And.Contain("CovariancePrior").And.Contain("Marginal.Gaussian");
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void With_a_prior_on_the_normal_marginal_the_fit_is_finite_and_above_the_prior_floor(FittingAlgorithm algorithm, string name)
    {
        _ = name;
        var x = ConstantColumn();
        var prior = new CovariancePrior(1, 0.5);
        var model = new ProductMixture(Options(algorithm, [Marginal.Normal(0), Marginal.Normal(1, 0, prior), Marginal.Poisson(2)])).Fit(x);

        if (algorithm != FittingAlgorithm.Adam)
        {
            model.Converged.Should().BeTrue();
        }

        AssertFinite(model, x);
        double floor = prior.PseudoObservations * prior.Variance / (200 + prior.PseudoObservations);
        model.Components.Select(c => ((NormalComponent)c.Marginals[1]).Variance).Should().OnlyContain(v => v >= floor * (1 - Slack(algorithm)));
    }

    [Theory]
    [MemberData(nameof(BlockCases))]
    public void With_a_prior_on_the_Gaussian_block_the_fit_is_finite_and_above_the_prior_floor(CovarianceType type, FittingAlgorithm algorithm, string name)
    {
        _ = name;
        var x = ConstantColumn();
        var prior = new CovariancePrior(1, 0.5);
        var model = new ProductMixture(Options(algorithm, [Marginal.Gaussian([0, 1], type, 0, prior), Marginal.Poisson(2)])).Fit(x);

        if (algorithm != FittingAlgorithm.Adam)
        {
            model.Converged.Should().BeTrue();
        }

        AssertFinite(model, x);
        double floor = prior.PseudoObservations * prior.Variance / (200 + prior.PseudoObservations);
        foreach (var component in model.Components)
        {
            var gaussian = (GaussianComponent)component.Marginals[0];
            gaussian.GetCovariance().Evd().EigenValues.Min(e => e.Real).Should().BeGreaterThanOrEqualTo(floor * (1 - Slack(algorithm)));
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Spherical)]
    public void On_a_Gaussian_block_of_scales_1e_minus_3_and_1e3_with_discrete_marginals_Lbfgs_reaches_the_EM_optimum(CovarianceType type)
    {
        var x = MixedScales();
        var block = DataMatrix.FromArray(Columns(x, 0, 1));
        var options = new ProductMixtureOptions
        {
            ComponentCount = 3,
            Seed = 0,
            Marginals = [Marginal.Gaussian([0, 1], type, 0, CovariancePrior.FromData(block, 3)), Marginal.Bernoulli([2]), Marginal.Poisson(3), Marginal.Categorical(4, 3)],
        };
        var em = new ProductMixture(options with { MaxIterations = 20000, Tolerance = 1e-13 }).Fit(x);
        em.Converged.Should().BeTrue();

        var lbfgs = new ProductMixture(options with { Algorithm = FittingAlgorithm.Lbfgs, MaxIterations = 3000 }).Fit(x);

        lbfgs.Converged.Should().BeTrue();
        double reference = em.MeanLogLikelihood(x);
        Math.Abs(lbfgs.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-6 * Math.Abs(reference));
    }

    [Fact]
    public void On_normal_marginals_of_scales_1e_minus_3_and_1e3_with_discrete_marginals_Lbfgs_reaches_the_EM_optimum()
    {
        var x = MixedScales();
        var options = new ProductMixtureOptions
        {
            ComponentCount = 3,
            Seed = 0,
            Marginals = [Marginal.Normal(0, 0, new CovariancePrior(1, 1e-7)), Marginal.Normal(1, 0, new CovariancePrior(1, 1e5)), Marginal.Bernoulli([2]), Marginal.Poisson(3), Marginal.Categorical(4, 3)],
        };
        var em = new ProductMixture(options with { MaxIterations = 20000, Tolerance = 1e-13 }).Fit(x);
        em.Converged.Should().BeTrue();

        var lbfgs = new ProductMixture(options with { Algorithm = FittingAlgorithm.Lbfgs, MaxIterations = 3000 }).Fit(x);

        lbfgs.Converged.Should().BeTrue();
        double reference = em.MeanLogLikelihood(x);
        Math.Abs(lbfgs.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-6 * Math.Abs(reference));
    }

    /// <summary>
    /// K = 2, 1,000 iterations; Adam with a step of 1 (at its default 0.1 a variance shrinks by about 0.1 in log σ² per
    /// epoch, decaying as 1/√epoch, so it only nears the collapse in 1,000 epochs, and reports no convergence).
    /// </summary>
    /// <summary>How close to the posterior mode the fit ends: L-BFGS to 1e-6, Adam (a stochastic method) to 1e-3.</summary>
    private static double Slack(FittingAlgorithm algorithm) => algorithm == FittingAlgorithm.Adam ? 1e-3 : 1e-6;

    private static ProductMixtureOptions Options(FittingAlgorithm algorithm, IReadOnlyList<Marginal> marginals) =>
        new() { ComponentCount = 2, Seed = 1, MaxIterations = 1000, Algorithm = algorithm, Marginals = marginals, Gradient = new GradientOptions { LearningRate = algorithm == FittingAlgorithm.Adam ? 1 : 0.1 } };

    /// <summary>200 × 3: two blobs in column 0, column 1 constant, column 2 counts.</summary>
    private static double[,] ConstantColumn()
    {
        var random = new Random(12);
        var x = new double[200, 3];
        for (int i = 0; i < 200; i++)
        {
            double offset = i % 2 == 0 ? 0 : 5;
            x[i, 0] = offset + Gaussian(random);
            x[i, 1] = 3.5;
            x[i, 2] = random.Next(0, 4) + (i % 2 == 0 ? 0 : 5);
        }

        return x;
    }

    /// <summary>
    /// 300 rows, three clusters: two correlated real columns scaled 1e-3 and 1e3, a binary column, counts and a
    /// three-level categorical column, each with cluster-dependent parameters inside (0, 1).
    /// </summary>
    private static double[,] MixedScales()
    {
        var random = new Random(8);
        double[][] centres = [[0, 0], [3, -2], [-2, 3]];
        double[] p = [0.2, 0.5, 0.8];
        double[] rates = [2, 6, 15];
        double[][] levels = [[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6]];
        var x = new double[300, 5];
        for (int i = 0; i < 300; i++)
        {
            int c = i % 3;
            double z0 = Gaussian(random), z1 = Gaussian(random);
            x[i, 0] = 1e-3 * (centres[c][0] + z0);
            x[i, 1] = 1e3 * (centres[c][1] + (0.6 * z0) + (0.8 * z1));
            x[i, 2] = random.NextDouble() < p[c] ? 1 : 0;
            x[i, 3] = Poisson(random, rates[c]);
            double u = random.NextDouble();
            x[i, 4] = u < levels[c][0] ? 0 : u < levels[c][0] + levels[c][1] ? 1 : 2;
        }

        return x;
    }

    private static double[,] Columns(double[,] x, params int[] columns)
    {
        var result = new double[x.GetLength(0), columns.Length];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            for (int j = 0; j < columns.Length; j++)
            {
                result[i, j] = x[i, columns[j]];
            }
        }

        return result;
    }

    private static void AssertFinite(ProductMixtureModel model, double[,] x)
    {
        model.Weights.Should().OnlyContain(w => double.IsFinite(w) && w > 0);
        double.IsFinite(model.MeanLogLikelihood(x)).Should().BeTrue();
        model.PredictProbabilities(x).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
    }

    private static int Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
