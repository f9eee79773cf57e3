using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using Xunit.Abstractions;

namespace MixtureModels.Tests;

/// <summary>
/// The variational Bayesian Gaussian mixture against scikit-learn's BayesianGaussianMixture (stored fits, written by
/// References/generate_bayesian_references.py from the same starting labels) and against an independent, naive
/// implementation of the same updates (<see cref="NaiveVariationalGaussianMixture"/>); the lower bound, the
/// Dirichlet-process prior switching surplus components off, the queries, and determinism.
/// </summary>
public sealed class BayesianGaussianMixtureTests
{
    private readonly ITestOutputHelper _output;

    public BayesianGaussianMixtureTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static readonly string[] CaseNames =
        [.. from dataset in new[] { "faithful", "iris" }
            from type in new[] { "full", "tied", "diag", "spherical" }
            from prior in new[] { "dp", "dd" }
            select $"{dataset}_{type}_{prior}"];

    public static TheoryData<string> SklearnCases() => new(CaseNames);

    public static TheoryData<CovarianceType, WeightConcentrationPriorType> AllTypes()
    {
        var data = new TheoryData<CovarianceType, WeightConcentrationPriorType>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            foreach (var prior in Enum.GetValues<WeightConcentrationPriorType>())
            {
                data.Add(type, prior);
            }
        }

        return data;
    }

    [Fact]
    public void Every_scikit_learn_reference_is_covered()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data", "sklearn_bayesian"), "*.json")
            .Select(f => Path.GetFileNameWithoutExtension(f)!);
        files.Should().BeEquivalentTo(CaseNames);
    }

    [Theory]
    [MemberData(nameof(SklearnCases))]
    public void Matches_scikit_learn_from_the_same_labels(string name)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "sklearn_bayesian", name + ".json")));
        var root = json.RootElement;
        var x = root.GetProperty("dataset").GetString() == "iris" ? TestData.Iris(out _) : TestData.Faithful();
        int n = x.GetLength(0), d = x.GetLength(1), k = root.GetProperty("n_components").GetInt32();
        var options = new BayesianGaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = root.GetProperty("covariance_type").GetString() switch
            {
                "full" => CovarianceType.Full,
                "tied" => CovarianceType.Tied,
                "diag" => CovarianceType.Diagonal,
                _ => CovarianceType.Spherical,
            },
            WeightConcentrationPriorType = root.GetProperty("weight_concentration_prior_type").GetString() == "dirichlet_process"
                ? WeightConcentrationPriorType.DirichletProcess
                : WeightConcentrationPriorType.DirichletDistribution,
            InitialLabels = Ints(root.GetProperty("labels")),
        };

        var model = new BayesianGaussianMixture(options).Fit(x);
        var e = root.GetProperty("expected");
        var worst = new WorstDisagreement();
        model.IterationCount.Should().Be(e.GetProperty("n_iter_").GetInt32());
        model.Converged.Should().Be(e.GetProperty("converged_").GetBoolean());
        var bounds = Doubles(e.GetProperty("lower_bounds"));
        model.Report.LowerBoundHistory.Should().HaveCount(bounds.Length);
        for (int t = 0; t < bounds.Length; t++)
        {
            worst.Check(model.Report.LowerBoundHistory[t], bounds[t], $"lower bound {t}");
        }

        worst.Check(model.LowerBound, e.GetProperty("lower_bound_").GetDouble(), "lower_bound_");
        var weights = Doubles(e.GetProperty("weights_"));
        var means = e.GetProperty("means_");
        var covariances = e.GetProperty("covariances_");
        var meanPrecision = Doubles(e.GetProperty("mean_precision_"));
        var degreesOfFreedom = Doubles(e.GetProperty("degrees_of_freedom_"));
        var concentration = e.GetProperty("weight_concentration_");
        bool process = options.WeightConcentrationPriorType == WeightConcentrationPriorType.DirichletProcess;
        var first = Doubles(process ? concentration[0] : concentration);
        for (int c = 0; c < k; c++)
        {
            worst.Check(model.Weights[c], weights[c], $"weights_[{c}]");
            worst.Check(model.MeanPrecision[c], meanPrecision[c], $"mean_precision_[{c}]");
            worst.Check(model.DegreesOfFreedom[c], degreesOfFreedom[c], $"degrees_of_freedom_[{c}]");
            worst.Check(model.WeightConcentration[c], first[c], $"weight_concentration_[0][{c}]");
            if (process)
            {
                worst.Check(model.WeightConcentrationTail![c], concentration[1][c].GetDouble(), $"weight_concentration_[1][{c}]");
            }

            var covariance = model.GetCovariance(c);
            for (int i = 0; i < d; i++)
            {
                worst.Check(model.GetMeans()[c, i], means[c][i].GetDouble(), $"means_[{c}][{i}]");
                for (int j = 0; j < d; j++)
                {
                    double expected = covariances[c][i][j].GetDouble();
                    double scale = Math.Sqrt(covariances[c][i][i].GetDouble() * covariances[c][j][j].GetDouble());
                    worst.Check(covariance[i, j], expected, $"covariances_[{c}][{i}, {j}]", scale);
                }
            }
        }

        var scores = Doubles(e.GetProperty("score_samples"));
        var ours = model.LogDensity(x);
        for (int i = 0; i < n; i++)
        {
            worst.Check(ours[i], scores[i], $"score_samples[{i}]");
        }

        model.Predict(x).Should().Equal(Ints(e.GetProperty("labels")));
        _output.WriteLine($"{name}: worst {worst.Name}");
        worst.Relative.Should().BeLessThan(1e-8, worst.Name);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Matches_a_naive_implementation_of_the_updates(CovarianceType type, WeightConcentrationPriorType prior)
    {
        var x = ThreeClusters(40, seed: 5);
        int k = 4;
        var labels = Enumerable.Range(0, x.GetLength(0)).Select(i => (i * 7) % k).ToArray();
        const int Iterations = 25;
        var model = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = type,
            WeightConcentrationPriorType = prior,
            InitialLabels = labels,
            Tolerance = 0,
            MaxIterations = Iterations,
        }).Fit(x);
        var naive = new NaiveVariationalGaussianMixture(x, k, type, prior);
        naive.Run(labels, Iterations);

        var worst = new WorstDisagreement();
        model.GetMeanPrior().Should().Equal(naive.M0.ToArray(), (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)));
        var expectedWeights = naive.ExpectedWeights;
        for (int c = 0; c < k; c++)
        {
            worst.Check(model.Weights[c], expectedWeights[c], $"weight {c}");
            worst.Check(model.WeightConcentration[c], naive.A[c], $"concentration {c}");
            if (prior == WeightConcentrationPriorType.DirichletProcess)
            {
                worst.Check(model.WeightConcentrationTail![c], naive.B[c], $"concentration tail {c}");
            }

            worst.Check(model.MeanPrecision[c], naive.Beta[c], $"β {c}");
            worst.Check(model.DegreesOfFreedom[c], naive.Nu[c], $"ν {c}");
            var covariance = model.GetCovariance(c);
            for (int i = 0; i < 2; i++)
            {
                worst.Check(model.Components[c].Mean[i], naive.Means[c][i], $"mean {c} {i}");
                for (int j = 0; j < 2; j++)
                {
                    double scale = Math.Sqrt(naive.Covariances[c][i, i] * naive.Covariances[c][j, j]);
                    worst.Check(covariance[i, j], naive.Covariances[c][i, j], $"covariance {c} [{i}, {j}]", scale);
                }
            }
        }

        for (int t = 0; t < Iterations; t++)
        {
            worst.Check(model.Report.LowerBoundHistory[t], naive.LowerBounds[t], $"lower bound {t}");
        }

        // The queries: responsibilities and score_samples from the naive E-step of the fitted posterior.
        var responsibilities = model.PredictProbabilities(x);
        var logDensity = model.LogDensity(x);
        for (int n = 0; n < x.GetLength(0); n += 7)
        {
            var logRho = naive.LogRho([x[n, 0], x[n, 1]]);
            double max = logRho.Max();
            double logZ = max + Math.Log(logRho.Sum(v => Math.Exp(v - max)));
            worst.Check(logDensity[n], logZ, $"log density {n}");
            for (int c = 0; c < k; c++)
            {
                worst.Check(responsibilities[n, c], Math.Exp(logRho[c] - logZ), $"responsibility {n} {c}", 1);
            }
        }

        _output.WriteLine(worst.Name);
        worst.Relative.Should().BeLessThan(1e-9, worst.Name);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Lower_bound_never_decreases(CovarianceType type, WeightConcentrationPriorType prior)
    {
        var x = ThreeClusters(60, seed: 11);
        var model = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 6,
            CovarianceType = type,
            WeightConcentrationPriorType = prior,
            Initialization = InitializationMethod.RandomResponsibilities,
            Tolerance = 0,
            MaxIterations = 60,
            CovarianceRegularization = 0,
        }).Fit(x);
        var history = model.Report.LowerBoundHistory;
        history.Should().HaveCount(60);
        for (int t = 1; t < history.Count; t++)
        {
            history[t].Should().BeGreaterThanOrEqualTo(history[t - 1] - (1e-12 * Math.Abs(history[t - 1])), $"iteration {t} of {type}, {prior}");
        }

        history[^1].Should().BeGreaterThan(history[0] + 1, "the fit from random responsibilities improves the bound");
    }

    [Fact]
    public void A_Dirichlet_process_prior_switches_surplus_components_off()
    {
        var x = ThreeClusters(500, seed: 3, spread: 8);
        var model = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 10,
            WeightConcentrationPriorType = WeightConcentrationPriorType.DirichletProcess,
            MaxIterations = 300,
        }).Fit(x);
        var sorted = model.Weights.OrderDescending().ToArray();
        _output.WriteLine(string.Join(", ", sorted.Select(w => w.ToString("E2", System.Globalization.CultureInfo.InvariantCulture))));
        sorted.Take(3).Should().OnlyContain(w => w > 0.3);
        sorted.Skip(3).Should().OnlyContain(w => w < 1e-3);
        model.Predict(x).Distinct().Should().HaveCount(3);
    }

    [Fact]
    public void Queries_agree_with_the_fit_and_with_each_other()
    {
        var x = ThreeClusters(50, seed: 2);
        var model = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 5, CovarianceType = CovarianceType.Diagonal, Seed = 4 }).Fit(x);
        var labels = model.Predict(x);
        labels.Should().Equal(model.TrainingLabels);
        var responsibilities = model.PredictProbabilities(x);
        var logDensity = model.LogDensity(x);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            Enumerable.Range(0, 5).Sum(c => responsibilities[n, c]).Should().BeApproximately(1, 1e-12);
            Enumerable.Range(0, 5).MaxBy(c => responsibilities[n, c]).Should().Be(labels[n]);
        }

        model.MeanLogLikelihood(x).Should().BeApproximately(logDensity.Average(), 1e-10 * Math.Abs(logDensity.Average()));
        model.Report.TrainingLogLikelihood.Should().BeApproximately(logDensity.Average(), 1e-10 * Math.Abs(logDensity.Average()));
        model.Weights.Sum().Should().BeApproximately(1, 1e-12);
        var precision = model.GetPrecision(0);
        var product = precision * model.GetCovariance(0);
        (product - Matrix<double>.Build.DenseIdentity(2)).InfinityNorm().Should().BeLessThan(1e-10);
        var draws = model.Sample(200, new Random(1));
        draws.Rows.GetLength(0).Should().Be(200);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count_and_weights_times_a_constant_change_nothing()
    {
        var x = ThreeClusters(700, seed: 9);
        var weights = Enumerable.Range(0, x.GetLength(0)).Select(i => 1.0 + (i % 3)).ToArray();
        BayesianGaussianMixtureModel Fit(int threads, double factor) => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 4,
            MaxDegreeOfParallelism = threads,
            MaxIterations = 30,
        }).Fit(x, [.. weights.Select(w => w * factor)]);

        var one = Fit(1, 1);
        var all = Fit(-1, 1);
        var scaled = Fit(-1, 8);
        all.Report.LowerBoundHistory.Should().Equal(one.Report.LowerBoundHistory);
        all.GetMeans().ToArray().Should().BeEquivalentTo(one.GetMeans().ToArray(), o => o.WithStrictOrdering());
        scaled.Weights.Should().Equal(all.Weights);
        scaled.Report.LowerBoundHistory.Should().Equal(all.Report.LowerBoundHistory);
    }

    [Fact]
    public void Warm_start_continues_the_fit_exactly()
    {
        var x = ThreeClusters(60, seed: 8);
        var labels = Enumerable.Range(0, x.GetLength(0)).Select(i => i % 3).ToArray();
        var straight = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 3, InitialLabels = labels, Tolerance = 0, MaxIterations = 12 }).Fit(x);
        var warm = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 3, InitialLabels = labels, Tolerance = 0, MaxIterations = 6, WarmStart = true });
        warm.Fit(x);
        var continued = warm.Fit(x);
        continued.Report.LowerBoundHistory.Should().Equal(straight.Report.LowerBoundHistory.Skip(6));
        continued.Weights.Should().Equal(straight.Weights);
    }

    [Fact]
    public void Labels_and_the_equivalent_responsibilities_give_the_same_fit()
    {
        var x = ThreeClusters(30, seed: 4);
        var labels = Enumerable.Range(0, x.GetLength(0)).Select(i => (i * 5) % 3).ToArray();
        var responsibilities = new double[labels.Length, 3];
        for (int n = 0; n < labels.Length; n++)
        {
            responsibilities[n, labels[n]] = 1;
        }

        var fromLabels = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 3, InitialLabels = labels }).Fit(x);
        var fromResponsibilities = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 3, InitialResponsibilities = responsibilities }).Fit(x);
        fromResponsibilities.Report.LowerBoundHistory.Should().Equal(fromLabels.Report.LowerBoundHistory);
        fromResponsibilities.Weights.Should().Equal(fromLabels.Weights);
    }

    /// <summary>Three 2-D Gaussian clusters of <paramref name="perCluster"/> rows each, <paramref name="spread"/> apart.</summary>
    internal static double[,] ThreeClusters(int perCluster, int seed, double spread = 5)
    {
        var random = new Random(seed);
        double[][] centres = [[0, 0], [spread, spread / 4], [spread / 3, spread]];
        var x = new double[3 * perCluster, 2];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < perCluster; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    x[(c * perCluster) + i, j] = centres[c][j] + ((0.6 + (0.4 * c)) * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
            }
        }

        return x;
    }

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static int[] Ints(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetInt32())];
}
