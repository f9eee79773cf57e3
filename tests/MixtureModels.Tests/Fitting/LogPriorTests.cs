using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Fitting;
using MixtureModels.Tests.Components.Gaussian;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The families' log priors as the gradient optimiser sees them (<see cref="IReparameterization{TComponent, TStatistics}.AddLogPrior"/>):
/// values against the textbook densities, gradients against finite differences, and the claim that EM and the gradient
/// algorithms maximise the same posterior.
/// </summary>
public sealed class LogPriorTests
{
    private static readonly CovariancePrior Prior = new(2.5, 0.7);

    public static TheoryData<CovarianceType, int, int> Shapes()
    {
        var data = new TheoryData<CovarianceType, int, int>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            foreach (var (d, k) in new[] { (1, 2), (3, 3), (4, 2) })
            {
                data.Add(type, d, k);
            }
        }

        return data;
    }

    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gaussian_log_prior_is_the_Wishart_density_on_each_distinct_precision(CovarianceType type, int d, int k)
    {
        var random = new Random((int)type * 31 + d * 7 + k);
        var family = (IReparameterization<GaussianComponent, GaussianStatistics>)GaussianFamily.Create(type, d, 1e-6, Prior);
        var components = GaussianReparameterizationTests.RandomComponents(type, d, k, random);

        // (α/2)·log det Λ − (α·s₀/2)·tr Λ per covariance, Λ by MathNet's inverse (not the Cholesky factor the code uses).
        double expected = 0;
        foreach (var component in type == CovarianceType.Tied ? components[..1] : components)
        {
            var precision = component.GetCovariance().Inverse();
            expected += (0.5 * Prior.PseudoObservations * Math.Log(precision.Determinant())) - (0.5 * Prior.PseudoObservations * Prior.Variance * precision.Trace());
        }

        var gradient = new double[family.UnconstrainedLength(k)];
        family.AddLogPrior(components, 1, gradient).Should().BeApproximately(expected, 1e-10 * (1 + Math.Abs(expected)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gaussian_log_prior_gradient_equals_finite_differences(CovarianceType type, int d, int k)
    {
        var random = new Random((int)type * 17 + d * 5 + k);
        var family = (IReparameterization<GaussianComponent, GaussianStatistics>)GaussianFamily.Create(type, d, 1e-6, Prior);
        var components = GaussianReparameterizationTests.RandomComponents(type, d, k, random);
        MaxLogPriorGradientError(family, components).Should().BeLessThan(1e-7);
    }

    [Fact]
    public void Normal_Bernoulli_categorical_and_product_log_priors_match_their_densities_and_finite_differences()
    {
        var random = new Random(5);
        var normals = Enumerable.Range(0, 3).Select(_ => NormalComponent.WithMeanVariance(random.NextDouble(), 0.2 + random.NextDouble())).ToArray();
        var normalFamily = new NormalFamily(0, Prior);
        double normalExpected = normals.Sum(c => -0.5 * Prior.PseudoObservations * (Math.Log(c.Variance) + (Prior.Variance / c.Variance)));
        ((IReparameterization<NormalComponent, NormalStatistics>)normalFamily).AddLogPrior(normals, 1, new double[6]).Should().BeApproximately(normalExpected, 1e-12);
        MaxLogPriorGradientError<NormalComponent, NormalStatistics>(normalFamily, normals).Should().BeLessThan(1e-7);

        // Beta(3, 2): Σ 2·log φ + 1·log(1 − φ).
        var bernoulliFamily = new BernoulliFamily(4, new BernoulliPriors { Alpha = 3, Beta = 2 });
        var bernoullis = Enumerable.Range(0, 2).Select(_ => BernoulliComponent.WithProbabilities(Enumerable.Range(0, 4).Select(_ => 0.05 + (0.9 * random.NextDouble())).ToArray())).ToArray();
        double bernoulliExpected = bernoullis.Sum(c => c.Probabilities.ToArray().Sum(p => (2 * Math.Log(p)) + Math.Log(1 - p)));
        ((IReparameterization<BernoulliComponent, BernoulliStatistics>)bernoulliFamily).AddLogPrior(bernoullis, 1, new double[8]).Should().BeApproximately(bernoulliExpected, 1e-12);
        MaxLogPriorGradientError<BernoulliComponent, BernoulliStatistics>(bernoulliFamily, bernoullis).Should().BeLessThan(1e-7);

        // Dirichlet smoothing α = 1.5 is a Dirichlet(2.5) prior: Σ 1.5·log π.
        var categoricalFamily = new CategoricalFamily(3, 1.5);
        var categoricals = Enumerable.Range(0, 2).Select(_ =>
        {
            var p = Enumerable.Range(0, 3).Select(_ => 0.1 + random.NextDouble()).ToArray();
            double sum = p.Sum();
            return CategoricalComponent.WithProbabilities(p.Select(v => v / sum).ToArray());
        }).ToArray();
        double categoricalExpected = categoricals.Sum(c => c.Probabilities.ToArray().Sum(p => 1.5 * Math.Log(p)));
        ((IReparameterization<CategoricalComponent, CategoricalStatistics>)categoricalFamily).AddLogPrior(categoricals, 1, new double[6]).Should().BeApproximately(categoricalExpected, 1e-12);
        MaxLogPriorGradientError<CategoricalComponent, CategoricalStatistics>(categoricalFamily, categoricals).Should().BeLessThan(1e-7);

        // A product's log prior is the sum of its marginals', each in its own block.
        var product = new ProductFamily(4, [Marginal.Normal(0, 0, Prior), Marginal.Bernoulli([1, 2], new BernoulliPriors { Alpha = 3, Beta = 2 }), Marginal.Categorical(3, 3, 1.5)]);
        var products = Enumerable.Range(0, 2).Select(j => new ProductComponent(4, [[0], [1, 2], [3]], [normals[j], BernoulliComponent.WithProbabilities(bernoullis[j].Probabilities[..2]), categoricals[j]])).ToArray();
        double productExpected = Enumerable.Range(0, 2).Sum(j =>
            (-0.5 * Prior.PseudoObservations * (Math.Log(normals[j].Variance) + (Prior.Variance / normals[j].Variance)))
            + bernoullis[j].Probabilities[..2].ToArray().Sum(p => (2 * Math.Log(p)) + Math.Log(1 - p))
            + categoricals[j].Probabilities.ToArray().Sum(p => 1.5 * Math.Log(p)));
        var productRe = (IReparameterization<ProductComponent, ProductStatistics>)product;
        productRe.AddLogPrior(products, 1, new double[productRe.UnconstrainedLength(2)]).Should().BeApproximately(productExpected, 1e-12);
        MaxLogPriorGradientError<ProductComponent, ProductStatistics>(product, products).Should().BeLessThan(1e-7);
    }

    [Fact]
    public void Families_without_a_prior_add_nothing()
    {
        var random = new Random(2);
        var gaussians = GaussianReparameterizationTests.RandomComponents(CovarianceType.Full, 3, 2, random);
        var gaussian = (IReparameterization<GaussianComponent, GaussianStatistics>)GaussianFamily.Create(CovarianceType.Full, 3, 1e-6);
        var destination = Enumerable.Repeat(1.0, gaussian.UnconstrainedLength(2)).ToArray();
        gaussian.AddLogPrior(gaussians, 1, destination).Should().Be(0);
        destination.Should().AllSatisfy(v => v.Should().Be(1));

        var poisson = (IReparameterization<PoissonComponent, PoissonStatistics>)new PoissonFamily();
        var counts = new[] { PoissonComponent.WithRate(2), PoissonComponent.WithRate(0.5) };
        var poissonDestination = new[] { 1.0, 1.0 };
        poisson.AddLogPrior(counts, 1, poissonDestination).Should().Be(0);
        poissonDestination.Should().Equal(1.0, 1.0);

        var bernoulli = (IReparameterization<BernoulliComponent, BernoulliStatistics>)new BernoulliFamily(2);
        var bernoulliDestination = new[] { 1.0, 1.0 };
        bernoulli.AddLogPrior([BernoulliComponent.WithProbabilities([0.3, 0.6])], 1, bernoulliDestination).Should().Be(0);
        bernoulliDestination.Should().Equal(1.0, 1.0);
    }

    [Fact]
    public void The_gradient_is_scaled_and_added_not_overwritten()
    {
        var random = new Random(8);
        var components = GaussianReparameterizationTests.RandomComponents(CovarianceType.Full, 3, 2, random);
        var family = (IReparameterization<GaussianComponent, GaussianStatistics>)GaussianFamily.Create(CovarianceType.Full, 3, 1e-6, Prior);
        int n = family.UnconstrainedLength(2);
        var once = new double[n];
        family.AddLogPrior(components, 1, once);
        var scaled = Enumerable.Repeat(1.0, n).ToArray();
        family.AddLogPrior(components, 0.25, scaled);
        for (int i = 0; i < n; i++)
        {
            scaled[i].Should().BeApproximately(1 + (0.25 * once[i]), 1e-12 * (1 + Math.Abs(once[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void EMs_fixed_point_with_a_prior_is_a_stationary_point_of_the_penalised_objective(CovarianceType type)
    {
        // EM's M-step maximises likelihood + log prior; the gradient optimiser minimises −(1/W)(likelihood + log prior).
        // They are the same problem exactly when the objective's gradient vanishes at EM's fixed point.
        var x = TestData.Faithful();
        var prior = CovariancePrior.FromData(x, 2);
        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 3, CovarianceRegularization = 0, CovariancePrior = prior, Tolerance = 1e-15, MaxIterations = 5000 };
        var em = new GaussianMixture(options).Fit(x);

        var withPrior = ObjectiveGradient(GaussianFamily.Create(type, 2, 0, prior), x, [.. em.Weights], [.. em.Components]);
        var withoutPrior = ObjectiveGradient(GaussianFamily.Create(type, 2, 0), x, [.. em.Weights], [.. em.Components]);

        withPrior.Max(Math.Abs).Should().BeLessThan(1e-7);
        withoutPrior.Max(Math.Abs).Should().BeGreaterThan(1e-4, "the prior moves the optimum, so the plain likelihood is not stationary there");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void With_missing_entries_EMs_fixed_point_with_a_prior_is_stationary_for_the_observed_data_posterior(CovarianceType type)
    {
        // The M-step with expected statistics (full, tied) or per-column observed weights (diagonal, spherical) and the
        // prior must maximise the same observed-data posterior whose gradient the objective computes.
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

        var prior = new CovariancePrior(1.5, 0.1);
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

        ObjectiveGradient(GaussianFamily.Create(type, 4, 0, prior), x, [.. em.Weights], [.. em.Components]).Max(Math.Abs).Should().BeLessThan(1e-7);
    }

    [Fact]
    public void EMs_fixed_point_of_a_product_with_priors_on_every_marginal_is_stationary()
    {
        // Iris: a Gaussian block and a normal with covariance priors, a Bernoulli column with a Beta prior, and the
        // species as a categorical column with Dirichlet smoothing.
        var iris = TestData.Iris(out var species);
        int n = iris.GetLength(0);
        var x = new double[n, 5];
        string[] levels = [.. species.Distinct()];
        for (int i = 0; i < n; i++)
        {
            x[i, 0] = iris[i, 0];
            x[i, 1] = iris[i, 1];
            x[i, 2] = iris[i, 2];
            x[i, 3] = iris[i, 3] > 1.3 ? 1 : 0;
            x[i, 4] = Array.IndexOf(levels, species[i]);
        }

        var prior = new CovariancePrior(1, 0.05);
        Marginal[] marginals =
        [
            Marginal.Gaussian([0, 1], CovarianceType.Full, 0, prior),
            Marginal.Normal(2, 0, prior),
            Marginal.Bernoulli([3], new BernoulliPriors { Alpha = 2, Beta = 2 }),
            Marginal.Categorical(4, 3, 1),
        ];
        var model = new ProductMixture(new ProductMixtureOptions { ComponentCount = 3, Marginals = marginals, Seed = 2, Tolerance = 1e-15, MaxIterations = 5000 }).Fit(x);

        var gradient = ObjectiveGradient(new ProductFamily(5, marginals), x, [.. model.Weights], [.. model.Components]);
        gradient.Max(Math.Abs).Should().BeLessThan(1e-7);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Lbfgs_with_a_prior_reaches_the_posterior_optimum_EM_reaches(CovarianceType type)
    {
        var x = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, Seed = 3, CovarianceRegularization = 0, CovariancePrior = CovariancePrior.FromData(x, 2), Tolerance = 1e-14, MaxIterations = 3000 };
        var em = new GaussianMixture(options).Fit(x);
        var lbfgs = new GaussianMixture(options with
        {
            Algorithm = FittingAlgorithm.Lbfgs,
            Gradient = new GradientOptions { GradientTolerance = 1e-10, RelativeTolerance = 1e-15 },
        }).Fit(x);

        // The report holds the mean log-likelihood (the prior excluded) for both algorithms.
        lbfgs.Report.LowerBound.Should().BeApproximately(em.MeanLogLikelihood(x), 1e-7);
        lbfgs.Report.LowerBound.Should().BeApproximately(lbfgs.MeanLogLikelihood(x), 1e-12);

        // The same parameters, up to label order (matched by the first mean coordinate).
        int[] Order(GaussianMixtureModel m) => [.. Enumerable.Range(0, 2).OrderBy(k => m.Components[k].Mean[0])];
        var (p, q) = (Order(lbfgs), Order(em));
        for (int k = 0; k < 2; k++)
        {
            var a = lbfgs.Components[p[k]];
            var b = em.Components[q[k]];
            lbfgs.Weights[p[k]].Should().BeApproximately(em.Weights[q[k]], 1e-5);
            for (int j = 0; j < 2; j++)
            {
                a.Mean[j].Should().BeApproximately(b.Mean[j], 1e-4 * (1 + Math.Abs(b.Mean[j])));
            }

            var difference = a.GetCovariance() - b.GetCovariance();
            difference.Enumerate().Max(Math.Abs).Should().BeLessThan(1e-4 * b.GetCovariance().Enumerate().Max(Math.Abs));
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void With_one_component_EM_with_a_prior_gives_the_closed_form_posterior_covariance(CovarianceType type)
    {
        // K = 1: every responsibility is 1, so one M-step gives Σ = (S + α·s₀·I) / (N + α) + reg (the diagonal of it for
        // diagonal covariance, its mean variance for spherical), S the scatter about the sample mean.
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1);
        var m = Matrix<double>.Build.DenseOfArray(x);
        var mean = m.ColumnSums() / n;
        var centred = m - Matrix<double>.Build.Dense(n, d, (_, j) => mean[j]);
        var scatter = centred.TransposeThisAndMultiply(centred);
        var prior = new CovariancePrior(3, 0.4);
        const double Reg = 1e-6;
        var expected = ((scatter + (prior.PseudoObservations * prior.Variance * Matrix<double>.Build.DenseIdentity(d))) / (n + prior.PseudoObservations))
            + (Reg * Matrix<double>.Build.DenseIdentity(d));
        if (type == CovarianceType.Diagonal)
        {
            expected = Matrix<double>.Build.DenseOfDiagonalVector(expected.Diagonal());
        }
        else if (type == CovarianceType.Spherical)
        {
            double variance = ((scatter.Trace() + (d * prior.PseudoObservations * prior.Variance)) / (d * (n + prior.PseudoObservations))) + Reg;
            expected = variance * Matrix<double>.Build.DenseIdentity(d);
        }

        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 1, CovarianceType = type, CovarianceRegularization = Reg, CovariancePrior = prior, MaxIterations = 1, Tolerance = 0 }).Fit(x);

        var covariance = model.Components[0].GetCovariance();
        (covariance - expected).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12 * expected.Enumerate().Max(Math.Abs));
        for (int j = 0; j < d; j++)
        {
            model.Components[0].Mean[j].Should().BeApproximately(mean[j], 1e-12 * Math.Abs(mean[j]), "the prior leaves the mean alone");
        }
    }

    [Fact]
    public void A_prior_keeps_the_optimum_finite_where_the_likelihood_diverges()
    {
        // 60 points from a standard normal and 6 exact copies of one far point: a component sitting on the copies can
        // shrink its covariance towards 0 and the likelihood grows without bound.
        var random = new Random(11);
        var x = new double[66, 2];
        for (int i = 0; i < 60; i++)
        {
            x[i, 0] = StandardNormal(random);
            x[i, 1] = StandardNormal(random);
        }

        for (int i = 60; i < 66; i++)
        {
            x[i, 0] = 6;
            x[i, 1] = -4;
        }

        var start = new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceRegularization = 0,
            InitialWeights = [0.9, 0.1],
            InitialMeans = Matrix<double>.Build.DenseOfArray(new double[,] { { 0, 0 }, { 6, -4 } }),
            InitialPrecisions = [Matrix<double>.Build.DenseIdentity(2), Matrix<double>.Build.DenseIdentity(2)],
            Algorithm = FittingAlgorithm.Lbfgs,
            MaxIterations = 300,
        };

        // Without a prior L-BFGS chases the divergence: the far component's variance collapses, and the fit stops with
        // the exception EM throws on a singular covariance rather than return the collapsed model.
        var plain = () => new GaussianMixture(start).Fit(x);
        plain.Should().Throw<CovarianceNotPositiveDefiniteException>().Which.ComponentIndex.Should().Be(1);

        // With a weak prior (α = 1) the optimum is finite: L-BFGS converges, and every covariance keeps at least the
        // floor α·s₀ / (N_k + α) the posterior guarantees.
        var prior = new CovariancePrior(1, 0.5);
        var penalised = new GaussianMixture(start with { CovariancePrior = prior, Gradient = new GradientOptions { GradientTolerance = 1e-9 } }).Fit(x);
        penalised.Report.Converged.Should().BeTrue();
        double.IsFinite(penalised.Report.LowerBound).Should().BeTrue();
        for (int k = 0; k < 2; k++)
        {
            double nk = penalised.Weights[k] * 66;
            double floor = prior.PseudoObservations * prior.Variance / (nk + prior.PseudoObservations);
            double smallest = penalised.Components[k].GetCovariance().Evd().EigenValues.Min(v => v.Real);
            smallest.Should().BeGreaterThan(floor * (1 - 1e-4));
        }

        // And it is the posterior EM finds with the same prior.
        var em = new GaussianMixture(start with { CovariancePrior = prior, Algorithm = FittingAlgorithm.ExpectationMaximization, MaxIterations = 5000, Tolerance = 1e-15 }).Fit(x);
        penalised.MeanLogLikelihood(x).Should().BeApproximately(em.MeanLogLikelihood(x), 1e-7);
    }

    [Fact]
    public void Minibatch_objectives_weighted_by_their_share_add_up_to_the_full_objective()
    {
        // Adam's minibatches carry prior share W_b / W; then Σ_b (W_b / W)·f_b = f exactly, value and gradient.
        var x = DataMatrix.FromArray(TestData.Faithful());
        var weights = Enumerable.Range(0, x.Rows).Select(i => 0.5 + ((i * 7) % 5 / 4.0)).ToArray();
        var family = GaussianFamily.Create(CovarianceType.Full, 2, 0, new CovariancePrior(2, 3));
        var start = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, MaxIterations = 3, Seed = 1 }).Fit(x);
        var settings = new EmSettings(0, 1, 1);
        var full = new MixtureObjective<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, new EmEngine<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, x, weights, 2, settings), 2);
        var u = full.ToUnconstrained([.. start.Weights], [.. start.Components]);
        var fullGradient = new double[u.Length];
        double fullValue = full.Evaluate(u, fullGradient, CancellationToken.None);

        double sum = 0;
        var sumGradient = new double[u.Length];
        var batchGradient = new double[u.Length];
        foreach (var (begin, count) in new[] { (0, 100), (100, 100), (200, x.Rows - 200) })
        {
            var batchWeights = weights[begin..(begin + count)];
            double share = batchWeights.Sum() / weights.Sum();
            var engine = new EmEngine<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, x.Slice(begin, count), batchWeights, 2, settings);
            var batch = new MixtureObjective<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, engine, 2, share);
            sum += share * batch.Evaluate(u, batchGradient, CancellationToken.None);
            for (int i = 0; i < u.Length; i++)
            {
                sumGradient[i] += share * batchGradient[i];
            }
        }

        sum.Should().BeApproximately(fullValue, 1e-12 * Math.Abs(fullValue));
        for (int i = 0; i < u.Length; i++)
        {
            sumGradient[i].Should().BeApproximately(fullGradient[i], 1e-10 * (1 + Math.Abs(fullGradient[i])));
        }
    }

    /// <summary>∂f/∂u of the mixture objective at given weights and components (one engine pass, one thread).</summary>
    internal static double[] ObjectiveGradient<T, TS>(IComponentFamily<T, TS> family, DataMatrix data, double[] weights, T[] components)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        var engine = new EmEngine<T, TS>(family, MaximumLikelihoodWeights.Instance, data, null, weights.Length, new EmSettings(0, 1, 1));
        var objective = new MixtureObjective<T, TS>(family, MaximumLikelihoodWeights.Instance, engine, weights.Length);
        var u = objective.ToUnconstrained(weights, components);
        var gradient = new double[u.Length];
        double.IsFinite(objective.Evaluate(u, gradient, CancellationToken.None)).Should().BeTrue();
        return gradient;
    }

    /// <summary>Largest relative difference between AddLogPrior's gradient and a fourth-order central difference of its value.</summary>
    internal static double MaxLogPriorGradientError<T, TS>(IReparameterization<T, TS> family, T[] components)
        where T : class, IComponent
        where TS : class, ISufficientStatistics<TS>
    {
        int k = components.Length;
        var u = new double[family.UnconstrainedLength(k)];
        family.ToUnconstrained(components, u);
        var atU = new T[k];
        family.TryFromUnconstrained(u, atU).Should().BeTrue();
        var gradient = new double[u.Length];
        family.AddLogPrior(atU, 1, gradient);
        var scratch = new double[u.Length];
        double At(int i, double step)
        {
            var v = (double[])u.Clone();
            v[i] += step;
            var built = new T[k];
            family.TryFromUnconstrained(v, built).Should().BeTrue();
            return family.AddLogPrior(built, 1, scratch);
        }

        double norm = Math.Max(gradient.Max(Math.Abs), 1e-300);
        double worst = 0;
        for (int i = 0; i < u.Length; i++)
        {
            double h = 1e-3 * Math.Max(1, Math.Abs(u[i]));
            double fd = ((8 * (At(i, h) - At(i, -h))) - (At(i, 2 * h) - At(i, -2 * h))) / (12 * h);
            double scale = Math.Max(Math.Max(Math.Abs(gradient[i]), Math.Abs(fd)), 1e-3 * norm);
            worst = Math.Max(worst, Math.Abs(gradient[i] - fd) / scale);
        }

        return worst;
    }

    private static double StandardNormal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
