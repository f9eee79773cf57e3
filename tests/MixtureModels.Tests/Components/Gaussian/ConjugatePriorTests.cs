using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Tests.Fitting;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// mclust's default conjugate prior (Normal-inverse-Wishart; Fraley &amp; Raftery 2007): hyper-parameters from data against
/// mclust's <c>defaultPrior</c> formulas, the MAP M-step against the closed-form posterior mode written here from mclust's
/// Fortran formulas (<c>msvvvp</c>, <c>mseeep</c>, <c>msvvip</c>, <c>msviip</c>), the log prior against its density and its
/// gradient against finite differences, the posterior objective's monotonicity, and BIC as mclust computes it with a prior.
/// </summary>
public sealed class ConjugatePriorTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    [Fact]
    public void FromData_on_Old_Faithful_is_mclusts_defaultPrior()
    {
        // R: colMeans(faithful) = 3.487783, 70.897059; var(faithful) = [1.302728 13.977808; 13.977808 184.823312].
        var x = TestData.Faithful();
        var prior = CovariancePrior.FromData(x, 3);

        prior.Form.Should().Be(CovariancePriorForm.NormalInverseWishart);
        prior.Shrinkage.Should().Be(0.01);
        prior.DegreesOfFreedom.Should().Be(4, "dof = D + 2");
        prior.Dimension.Should().Be(2);
        var mean = prior.GetMean()!;
        mean[0].Should().BeApproximately(3.487783, 5e-7);
        mean[1].Should().BeApproximately(70.897059, 5e-7);
        var scale = prior.GetScale()!;
        double factor = Math.Pow(1.0 / 3, 2.0 / 2);   // (1/G)^(2/p)
        scale[0, 0].Should().BeApproximately(factor * 1.302728, 5e-7);
        scale[0, 1].Should().BeApproximately(factor * 13.977808, 5e-6);
        scale[1, 0].Should().Be(scale[0, 1]);
        scale[1, 1].Should().BeApproximately(factor * 184.823312, 5e-6);
    }

    [Fact]
    public void FromData_on_iris_equals_the_formulas_computed_naively()
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1), k = 4;
        var m = Matrix<double>.Build.DenseOfArray(x);
        var mean = m.ColumnSums() / n;
        var centred = m - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);
        var covariance = centred.TransposeThisAndMultiply(centred) / (n - 1);
        var expected = covariance * Math.Pow(1.0 / k, 2.0 / d);

        var prior = CovariancePrior.FromData(x, k, shrinkage: 0.5);

        prior.Shrinkage.Should().Be(0.5);
        prior.DegreesOfFreedom.Should().Be(d + 2);
        (prior.GetScale()! - expected).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12 * expected.Enumerate().Max(Math.Abs));
        for (int j = 0; j < d; j++)
        {
            prior.GetMean()![j].Should().BeApproximately(mean[j], 1e-13 * Math.Abs(mean[j]));
        }
    }

    [Fact]
    public void FromData_with_no_more_rows_than_columns_uses_the_diagonal_of_the_variances_as_mclust_does()
    {
        double[,] x = { { 1, 2, 0 }, { 3, 1, 5 }, { 0, 7, 2 } };
        var prior = CovariancePrior.FromData(x, 2);
        var scale = prior.GetScale()!;
        double factor = Math.Pow(0.5, 2.0 / 3);
        double[] variances = [7.0 / 3, 31.0 / 3, 19.0 / 3];   // var() with divisor n − 1
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                scale[i, j].Should().BeApproximately(i == j ? factor * variances[i] : 0, 1e-12);
            }
        }
    }

    [Fact]
    public void Bad_hyper_parameters_are_typed_exceptions_that_name_the_parameter()
    {
        var identity = Matrix<double>.Build.DenseIdentity(2);
        ((Func<CovariancePrior>)(() => CovariancePrior.NormalInverseWishart(-1, [0, 0], 4, identity))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("shrinkage");
        ((Func<CovariancePrior>)(() => CovariancePrior.NormalInverseWishart(0.01, [0, double.NaN], 4, identity))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("mean");
        ((Func<CovariancePrior>)(() => CovariancePrior.NormalInverseWishart(0.01, [0, 0], 0.5, identity))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("degreesOfFreedom");
        ((Func<CovariancePrior>)(() => CovariancePrior.NormalInverseWishart(0.01, [0, 0], 4, -identity))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scale");
        ((Func<CovariancePrior>)(() => CovariancePrior.NormalInverseWishart(0.01, [0, 0, 0], 4, identity))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("scale");
        ((Func<CovariancePrior>)(() => CovariancePrior.FromData(TestData.Faithful(), 2, double.NaN))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("shrinkage");
        ((Func<CovariancePrior>)(() => CovariancePrior.FromData(new double[,] { { 1, 2 }, { 1, 3 }, { 1, 5 } }, 2))).Should().Throw<ArgumentException>().WithMessage("*column 0 does not vary*");
        var prior = CovariancePrior.FromData(TestData.Faithful(), 2);
        ((Func<CovariancePrior>)(() => prior with { Variance = 1 })).Should().Throw<InvalidOperationException>();
        ((Func<GaussianFamily>)(() => GaussianFamily.Create(CovarianceType.Full, 3, 1e-6, prior))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("prior");
        ((Func<NormalFamily>)(() => new NormalFamily(1e-6, prior))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("prior");
    }

    [Fact]
    public void Equal_priors_are_equal_records()
    {
        var x = TestData.Faithful();
        CovariancePrior.FromData(x, 3).Should().Be(CovariancePrior.FromData(x, 3));
        CovariancePrior.FromData(x, 3).Should().NotBe(CovariancePrior.FromData(x, 2));
        CovariancePrior.FromData(x, 3).Should().NotBe(new CovariancePrior(1, 1));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_MAP_M_step_equals_the_closed_form_posterior_mode(CovarianceType type)
    {
        // Fixed random responsibilities on iris; the family's M-step against mclust's formulas computed here directly.
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1), k = 3;
        var random = new Random(7);
        var r = new double[n, k];
        for (int i = 0; i < n; i++)
        {
            double total = 0;
            for (int c = 0; c < k; c++)
            {
                r[i, c] = random.NextDouble() + (i % k == c ? 2 : 0);
                total += r[i, c];
            }

            for (int c = 0; c < k; c++)
            {
                r[i, c] /= total;
            }
        }

        var prior = CovariancePrior.FromData(x, k, shrinkage: 0.3);   // a visible shrinkage
        const double Reg = 1e-6;
        var family = GaussianFamily.Create(type, d, Reg, prior);
        var statistics = new GaussianStatistics[k];
        var rows = Reference.ToRowMajor(x);
        for (int c = 0; c < k; c++)
        {
            statistics[c] = family.CreateStatistics(null);
            family.ResetStatistics(statistics[c], null);
            var w = Enumerable.Range(0, n).Select(i => r[i, c]).ToArray();
            statistics[c].Accumulate(rows, w);
        }

        var estimated = new GaussianComponent[k];
        family.Estimate(statistics, estimated);

        var (means, covariances) = NaivePosteriorMode(x, r, prior, type, Reg);
        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < d; j++)
            {
                estimated[c].Mean[j].Should().BeApproximately(means[c][j], 1e-10 * (1 + Math.Abs(means[c][j])));
            }

            var difference = (estimated[c].GetCovariance() - covariances[c]).Enumerate().Max(Math.Abs);
            difference.Should().BeLessThan(1e-10 * covariances[c].Enumerate().Max(Math.Abs), $"component {c}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_converged_MAP_fit_is_a_fixed_point_of_the_naive_posterior_mode_and_its_BIC_is_mclusts(CovarianceType type)
    {
        // EM with the default prior on Old Faithful (K = 3), then one naive E-step + M-step from the returned model must
        // give the same parameters back; BIC = −(2·log L(θ_MAP) − p·log n), p = mclust's parameter count.
        var x = TestData.Faithful();
        int n = x.GetLength(0), d = 2, k = 3;
        var prior = CovariancePrior.FromData(x, k);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, CovariancePrior = prior, CovarianceRegularization = 0, Tolerance = 1e-12, MaxIterations = 10000, InitializationCount = 3 }).Fit(x);
        model.Converged.Should().BeTrue();

        var r = new double[n, k];
        double logLikelihood = 0;
        for (int i = 0; i < n; i++)
        {
            var row = Reference.Row(x, i);
            var p = new double[k];
            for (int c = 0; c < k; c++)
            {
                p[c] = model.Weights[c] * Math.Exp(Reference.GaussianLogDensity(row, model.Components[c].Mean, model.GetCovariance(c)));
            }

            double total = p.Sum();
            logLikelihood += Math.Log(total);
            for (int c = 0; c < k; c++)
            {
                r[i, c] = p[c] / total;
            }
        }

        var (means, covariances) = NaivePosteriorMode(x, r, prior, type, 0);
        for (int c = 0; c < k; c++)
        {
            double weight = Enumerable.Range(0, n).Sum(i => r[i, c]) / n;
            model.Weights[c].Should().BeApproximately(weight, 1e-7, "mclust's weights are the maximum-likelihood ones");
            for (int j = 0; j < d; j++)
            {
                model.Components[c].Mean[j].Should().BeApproximately(means[c][j], 1e-6 * (1 + Math.Abs(means[c][j])));
            }

            (model.GetCovariance(c) - covariances[c]).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-6 * covariances[c].Enumerate().Max(Math.Abs));
        }

        int parameters = type switch
        {
            CovarianceType.Full => (k * d) + (k * d * (d + 1) / 2) + (k - 1),      // VVV
            CovarianceType.Tied => (k * d) + (d * (d + 1) / 2) + (k - 1),          // EEE
            CovarianceType.Diagonal => (k * d) + (k * d) + (k - 1),                // VVI
            _ => (k * d) + k + (k - 1),                                            // VII
        };
        double mclustBic = (2 * logLikelihood) - (parameters * Math.Log(n));
        model.BayesianInformationCriterion(x).Should().BeApproximately(-mclustBic, 1e-8 * Math.Abs(mclustBic));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_posterior_objective_never_decreases_and_ends_at_the_log_prior_of_the_model(CovarianceType type)
    {
        foreach (var (x, k) in new[] { (TestData.Faithful(), 4), (TestData.Wine(out _), 5) })
        {
            var prior = CovariancePrior.FromData(x, k);
            var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, CovariancePrior = prior, CovarianceRegularization = 0, Tolerance = 1e-10, MaxIterations = 300, Seed = 5 }).Fit(x);
            var history = model.Report.ObjectiveHistory;
            history.Should().HaveCount(model.IterationCount);
            for (int i = 1; i < history.Count; i++)
            {
                history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])), $"iteration {i + 1} of {type}, K = {k}");
            }

            var family = GaussianFamily.Create(type, x.GetLength(1), 0, prior);
            model.Report.LogPrior.Should().BeApproximately(family.LogPrior([.. model.Components]), 1e-9 * Math.Abs(model.Report.LogPrior));
            model.Report.LogPrior.Should().NotBe(0);
        }
    }

    [Fact]
    public void Without_a_prior_the_objective_history_is_the_lower_bound_history_and_the_log_prior_is_0()
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2 }).Fit(TestData.Faithful());
        model.Report.ObjectiveHistory.Should().Equal(model.Report.LowerBoundHistory);
        model.Report.LogPrior.Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_log_prior_is_the_Normal_inverse_Wishart_density_and_its_gradient_equals_finite_differences(CovarianceType type)
    {
        foreach (var (d, k) in new[] { (1, 2), (3, 3) })
        {
            var random = new Random((int)type + (10 * d));
            var mean = Enumerable.Range(0, d).Select(_ => random.NextDouble() - 0.5).ToArray();
            var prior = CovariancePrior.NormalInverseWishart(0.7, mean, d + 2.5, Reference.RandomSpd(d, random));
            var family = GaussianFamily.Create(type, d, 1e-6, prior);
            var reparameterization = (IReparameterization<GaussianComponent, GaussianStatistics>)family;
            var components = GaussianReparameterizationTests.RandomComponents(type, d, k, random);

            double expected = NaiveLogPrior(prior, type, components);
            reparameterization.AddLogPrior(components, 1, new double[reparameterization.UnconstrainedLength(k)]).Should().BeApproximately(expected, 1e-10 * (1 + Math.Abs(expected)));
            LogPriorTests.MaxLogPriorGradientError(reparameterization, components).Should().BeLessThan(1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void With_missing_entries_EMs_fixed_point_with_mclusts_prior_is_stationary_for_the_observed_data_posterior(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var random = new Random(21);
        for (int i = 0; i < x.GetLength(0); i++)
        {
            int keep = random.Next(4);
            for (int j = 0; j < 4; j++)
            {
                if (j != keep && random.NextDouble() < 0.15)
                {
                    x[i, j] = double.NaN;
                }
            }
        }

        var prior = CovariancePrior.FromData(x, 2, shrinkage: 0.2);
        var options = new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceType = type,
            Seed = 4,
            CovarianceRegularization = 0,
            CovariancePrior = prior,
            MissingValues = MissingValueHandling.Marginalize,
            Tolerance = 1e-15,
            MaxIterations = 5000,
        };
        var em = new GaussianMixture(options).Fit(x);

        LogPriorTests.ObjectiveGradient(GaussianFamily.Create(type, 4, 0, prior), x, [.. em.Weights], [.. em.Components]).Max(Math.Abs).Should().BeLessThan(1e-7);
        var history = em.Report.ObjectiveHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }
    }

    [Fact]
    public void A_Dirichlet_weight_prior_with_mclusts_prior_gives_the_MAP_weights_and_a_monotone_posterior()
    {
        // π_k = (N_k + α − 1) / (N + K(α − 1)) at EM's fixed point, N_k the responsibility totals of the returned model.
        var x = TestData.Faithful();
        int n = x.GetLength(0), k = 3;
        const double Alpha = 5;
        var options = new GaussianMixtureOptions { ComponentCount = k, CovarianceType = CovarianceType.Full, CovariancePrior = CovariancePrior.FromData(x, k), WeightPrior = new DirichletWeightPrior(Alpha), CovarianceRegularization = 0, Tolerance = 1e-13, MaxIterations = 10000 };
        var model = new GaussianMixture(options).Fit(x);
        var r = model.PredictProbabilities(x);
        for (int c = 0; c < k; c++)
        {
            double nk = Enumerable.Range(0, n).Sum(i => r[i, c]);
            model.Weights[c].Should().BeApproximately((nk + Alpha - 1) / (n + (k * (Alpha - 1))), 1e-8);
        }

        var history = model.Report.ObjectiveHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        var estimator = new MixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Full, 2, 0, options.CovariancePrior), options) { WeightStep = new DirichletWeightPrior(Alpha) };
        estimator.Fit(x).Weights.Should().Equal(model.Weights, "the preset's option is the open estimator's weight step");
    }

    [Fact]
    public void A_univariate_normal_family_takes_mclusts_univariate_prior()
    {
        // mclust's "V" model: μ = (N x̄ + κ μ_P)/(N + κ), σ² = (s + W + c (x̄ − μ_P)²)/(ν + N + 3), s = var(x)/G², ν = 3.
        var x = TestData.Faithful();
        int n = x.GetLength(0);
        var column = new double[n, 1];
        for (int i = 0; i < n; i++)
        {
            column[i, 0] = x[i, 1];
        }

        var prior = CovariancePrior.FromData(column, 2);
        prior.DegreesOfFreedom.Should().Be(3);
        var family = new NormalFamily(0, prior);
        var statistics = family.CreateStatistics(null);
        var weights = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 0.9 : 0.2).ToArray();
        statistics.Accumulate(Enumerable.Range(0, n).Select(i => column[i, 0]).ToArray(), weights);
        var estimated = new NormalComponent[1];
        family.Estimate([statistics], estimated);

        double w = weights.Sum();
        double xbar = Enumerable.Range(0, n).Sum(i => weights[i] * column[i, 0]) / w;
        double scatter = Enumerable.Range(0, n).Sum(i => weights[i] * (column[i, 0] - xbar) * (column[i, 0] - xbar));
        double mu = prior.GetMean()![0];
        double s = prior.GetScale()![0, 0];
        double c = 0.01 * w / (w + 0.01);
        estimated[0].Mean.Should().BeApproximately(((w * xbar) + (0.01 * mu)) / (w + 0.01), 1e-10);
        estimated[0].Variance.Should().BeApproximately((s + scatter + (c * (xbar - mu) * (xbar - mu))) / (3 + w + 3), 1e-9);
    }

    [Fact]
    public void A_Normal_inverse_Wishart_prior_survives_save_and_load()
    {
        var x = TestData.Faithful();
        var options = new ProductMixtureOptions { ComponentCount = 2, Marginals = [Marginal.Gaussian([0, 1], CovarianceType.Full, 1e-6, CovariancePrior.FromData(x, 2))] };
        var model = new ProductMixture(options).Fit(x);
        var path = Path.Combine(Path.GetTempPath(), $"niw-{Guid.NewGuid():N}.json");
        try
        {
            model.Save(path);
            var loaded = ProductMixtureModel.Load(path);
            loaded.LogDensity(x).Should().Equal(model.LogDensity(x));

            var gaussian = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Tied, CovariancePrior = CovariancePrior.FromData(x, 2) }).Fit(x);
            using var stream = new MemoryStream();
            gaussian.Save(stream);
            stream.Position = 0;
            GaussianMixtureModel.Load(stream).LogDensity(x).Should().Equal(gaussian.LogDensity(x));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>−(a/2)·log det Σ − ½·tr(Λ Σ⁻¹) − (κ/2)·(μ − μ_P)ᵀ Σ⁻¹ (μ − μ_P) per covariance (per column for diagonal), by Math.NET.</summary>
    private static double NaiveLogPrior(CovariancePrior prior, CovarianceType type, GaussianComponent[] components)
    {
        int d = components[0].Dimension, k = components.Length;
        double kappa = prior.Shrinkage, nu = prior.DegreesOfFreedom;
        var lambda = prior.GetScale()!;
        var mu = Vector<double>.Build.DenseOfArray(prior.GetMean()!);
        double s = lambda.Trace() / d;
        double total = 0;
        switch (type)
        {
            case CovarianceType.Full:
                foreach (var component in components)
                {
                    var sigma = component.GetCovariance();
                    var e = Vector<double>.Build.DenseOfArray(component.Mean.ToArray()) - mu;
                    total += (-0.5 * (nu + d + 2) * Math.Log(sigma.Determinant())) - (0.5 * (lambda * sigma.Inverse()).Trace()) - (0.5 * kappa * (e * (sigma.Inverse() * e)));
                }

                break;
            case CovarianceType.Tied:
                var shared = components[0].GetCovariance();
                total += (-0.5 * (nu + d + 1 + k) * Math.Log(shared.Determinant())) - (0.5 * (lambda * shared.Inverse()).Trace());
                foreach (var component in components)
                {
                    var e = Vector<double>.Build.DenseOfArray(component.Mean.ToArray()) - mu;
                    total -= 0.5 * kappa * (e * (shared.Inverse() * e));
                }

                break;
            case CovarianceType.Diagonal:
                foreach (var component in components)
                {
                    var sigma = component.GetCovariance();
                    for (int j = 0; j < d; j++)
                    {
                        double e = component.Mean[j] - mu[j];
                        total += (-0.5 * (nu + 3) * Math.Log(sigma[j, j])) - ((s + (kappa * e * e)) / (2 * sigma[j, j]));
                    }
                }

                break;
            default:
                foreach (var component in components)
                {
                    double variance = component.GetCovariance()[0, 0];
                    var e = Vector<double>.Build.DenseOfArray(component.Mean.ToArray()) - mu;
                    total += (-0.5 * (nu + 2 + d) * Math.Log(variance)) - ((s + (kappa * (e * e))) / (2 * variance));
                }

                break;
        }

        return total;
    }

    /// <summary>mclust's MAP M-step (κ &gt; 0) for responsibilities r, written from its Fortran formulas.</summary>
    private static (double[][] Means, Matrix<double>[] Covariances) NaivePosteriorMode(double[,] x, double[,] r, CovariancePrior prior, CovarianceType type, double reg)
    {
        int n = x.GetLength(0), d = x.GetLength(1), k = r.GetLength(1);
        double kappa = prior.Shrinkage, nu = prior.DegreesOfFreedom;
        var lambda = prior.GetScale()!;
        var mu = Vector<double>.Build.DenseOfArray(prior.GetMean()!);
        double s = lambda.Trace() / d;   // mclust's scalar scale of VVI / VII: the mean variance × (1/G)^(2/p)
        var means = new double[k][];
        var covariances = new Matrix<double>[k];
        var pooled = Matrix<double>.Build.Dense(d, d);
        double totalWeight = 0;
        for (int c = 0; c < k; c++)
        {
            double nk = 0;
            var xbar = Vector<double>.Build.Dense(d);
            for (int i = 0; i < n; i++)
            {
                nk += r[i, c];
                xbar += r[i, c] * Vector<double>.Build.DenseOfArray(Reference.Row(x, i));
            }

            xbar /= nk;
            var scatter = Matrix<double>.Build.Dense(d, d);
            for (int i = 0; i < n; i++)
            {
                var e = Vector<double>.Build.DenseOfArray(Reference.Row(x, i)) - xbar;
                scatter += r[i, c] * e.OuterProduct(e);
            }

            var offset = xbar - mu;
            var meanTerm = (kappa * nk / (nk + kappa)) * offset.OuterProduct(offset);
            means[c] = (((nk * xbar) + (kappa * mu)) / (nk + kappa)).ToArray();
            var identity = Matrix<double>.Build.DenseIdentity(d);
            switch (type)
            {
                case CovarianceType.Full:
                    covariances[c] = ((lambda + scatter + meanTerm) / (nu + nk + d + 2)) + (reg * identity);
                    break;
                case CovarianceType.Tied:
                    pooled += scatter + meanTerm;
                    totalWeight += nk;
                    break;
                case CovarianceType.Diagonal:
                    covariances[c] = Matrix<double>.Build.DenseOfDiagonalArray(Enumerable.Range(0, d).Select(j => ((s + scatter[j, j] + meanTerm[j, j]) / (nu + nk + 3)) + reg).ToArray());
                    break;
                default:
                    covariances[c] = (((s + scatter.Trace() + meanTerm.Trace()) / (nu + (nk * d) + d + 2)) + reg) * identity;
                    break;
            }
        }

        if (type == CovarianceType.Tied)
        {
            var shared = ((lambda + pooled) / (nu + totalWeight + d + 1 + k)) + (reg * Matrix<double>.Build.DenseIdentity(d));
            for (int c = 0; c < k; c++)
            {
                covariances[c] = shared;
            }
        }

        return (means, covariances);
    }
}
