using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

public sealed class GaussianMixtureTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    public static TheoryData<CovarianceType, string, int> TypesDataAndCounts()
    {
        var data = new TheoryData<CovarianceType, string, int>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            foreach (string set in new[] { "iris", "faithful" })
            {
                foreach (int k in new[] { 2, 3 })
                {
                    data.Add(type, set, k);
                }
            }
        }

        return data;
    }

    private static double[,] Load(string set) => set == "iris" ? TestData.Iris(out _) : TestData.Faithful();

    [Theory]
    [MemberData(nameof(TypesDataAndCounts))]
    public void Lower_bound_never_decreases_without_regularisation(CovarianceType type, string set, int k)
    {
        var x = Load(set);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = type,
            CovarianceRegularization = 0,
            Tolerance = 0,
            MaxIterations = 60,
        }).Fit(x);

        var history = model.Report.LowerBoundHistory;
        history.Should().HaveCount(60);
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-10 * Math.Max(1, Math.Abs(history[i - 1]))), $"iteration {i + 1} must not lower the bound");
        }

        // The returned model comes after the last M-step, so it is at least as good as the last reported bound.
        model.Report.TrainingLogLikelihood.Should().BeGreaterThanOrEqualTo(model.LowerBound - (1e-10 * Math.Abs(model.LowerBound)));
        model.LowerBound.Should().Be(history[^1]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void One_iteration_from_a_given_start_equals_the_naive_e_and_m_steps(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1);
        const double reg = 1e-4;
        var (startWeights, startMeans, startPrecisions) = IrisStart(type);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            CovarianceRegularization = reg,
            Tolerance = 0,
            MaxIterations = 1,
            InitialWeights = startWeights,
            InitialMeans = startMeans,
            InitialPrecisions = startPrecisions,
        }).Fit(x);

        // Naive E-step under the start.
        var covariances = Enumerable.Range(0, 3).Select(k => startPrecisions[type == CovarianceType.Tied ? 0 : k].Inverse()).ToArray();
        var means = Enumerable.Range(0, 3).Select(k => startMeans.Row(k).ToArray()).ToArray();
        var r = new double[n][];
        double logLikelihood = 0;
        for (int i = 0; i < n; i++)
        {
            var row = Reference.Row(x, i);
            r[i] = Reference.Responsibilities(row, startWeights, covariances, means);
            logLikelihood += Math.Log(Enumerable.Range(0, 3).Sum(k => startWeights[k] * Math.Exp(Reference.GaussianLogDensity(row, means[k], covariances[k]))));
        }

        model.Report.LowerBoundHistory.Should().HaveCount(1);
        model.Report.LowerBoundHistory[0].ShouldBeClose(logLikelihood / n, 1e-10, "the first bound is the mean log-likelihood of the start");

        // Naive M-step.
        var nk = new double[3];
        var scatter = new Matrix<double>[3];
        for (int k = 0; k < 3; k++)
        {
            nk[k] = r.Sum(ri => ri[k]);
            var mu = Vector<double>.Build.Dense(d);
            for (int i = 0; i < n; i++)
            {
                mu += r[i][k] * Vector<double>.Build.DenseOfArray(Reference.Row(x, i));
            }

            mu /= nk[k];
            scatter[k] = Matrix<double>.Build.Dense(d, d);
            for (int i = 0; i < n; i++)
            {
                var diff = Vector<double>.Build.DenseOfArray(Reference.Row(x, i)) - mu;
                scatter[k] += r[i][k] * diff.OuterProduct(diff);
            }

            model.Weights[k].Should().BeApproximately(nk[k] / n, 1e-10, $"weight {k}");
            for (int j = 0; j < d; j++)
            {
                model.Components[k].Mean[j].ShouldBeClose(mu[j], 1e-10, $"mean {k},{j}");
            }
        }

        var identity = Matrix<double>.Build.DenseIdentity(d);
        for (int k = 0; k < 3; k++)
        {
            Matrix<double> expected = type switch
            {
                CovarianceType.Full => (scatter[k] / nk[k]) + (reg * identity),
                CovarianceType.Tied => ((scatter[0] + scatter[1] + scatter[2]) / n) + (reg * identity),
                CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalVector(scatter[k].Diagonal() / nk[k]) + (reg * identity),
                _ => (((scatter[k].Diagonal() / nk[k]).Average() + reg) * identity),
            };
            model.GetCovariance(k).ShouldBeClose(expected, 1e-10, $"covariance {k}");
        }
    }

    [Theory]
    [InlineData(CovarianceType.Spherical, 13)]
    [InlineData(CovarianceType.Diagonal, 21)]
    [InlineData(CovarianceType.Tied, 26)]
    [InlineData(CovarianceType.Full, 41)]
    public void Parameter_count_for_two_components_in_five_dimensions(CovarianceType type, int expected)
    {
        var x = Reference.Gaussian(80, 5, 21);
        var model = new GaussianMixture(2, type).Fit(x);
        model.ParameterCount.Should().Be(expected);
    }

    [Fact]
    public void Restarts_keep_the_initialisation_with_the_largest_lower_bound()
    {
        var x = TestData.Iris(out _);
        var options = new GaussianMixtureOptions
        {
            ComponentCount = 3,
            Initialization = InitializationMethod.RandomResponsibilities,
            InitializationCount = 5,
            Seed = 4,
            MaxIterations = 30,
        };
        var model = new GaussianMixture(options).Fit(x);
        var bounds = model.Report.InitializationLowerBounds;

        bounds.Should().HaveCount(5);
        bounds.Distinct().Should().HaveCountGreaterThan(1, "otherwise the test cannot tell the restarts apart");
        model.Report.LowerBound.Should().Be(bounds.Max());
        bounds[model.Report.BestInitialization].Should().Be(bounds.Max());
        model.Report.LowerBoundHistory[^1].Should().Be(model.Report.LowerBound);

        // The first restart is the single-initialisation fit with the same seed.
        var single = new GaussianMixture(options with { InitializationCount = 1 }).Fit(x);
        single.LowerBound.Should().Be(bounds[0]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Warm_start_one_iteration_twice_equals_two_iterations(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Tolerance = 0, MaxIterations = 1, Seed = 3 };
        var warm = new GaussianMixture(options with { WarmStart = true });
        warm.Fit(x);
        var continued = warm.Fit(x);
        var straight = new GaussianMixture(options with { MaxIterations = 2 }).Fit(x);

        AssertIdentical(continued, straight, compareReport: false);
        continued.LowerBound.Should().Be(straight.Report.LowerBoundHistory[1]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Training_labels_equal_predict_on_the_training_data(CovarianceType type)
    {
        var iris = TestData.Iris(out _);
        var model = new GaussianMixture(3, type).Fit(iris);
        model.TrainingLabels.Should().Equal(model.Predict(iris));

        var blobs = Reference.Blobs(3000, 3, 4, 31);
        var big = new GaussianMixture(4, type).Fit(blobs);
        big.TrainingLabels.Should().Equal(big.Predict(blobs));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    public void Training_labels_equal_predict_when_rows_are_wide(CovarianceType type)
    {
        // D = 150 makes the engine's blocks (32768 / D rows) differ from the model's query blocks.
        var x = Reference.Blobs(900, 150, 2, 41);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type, MaxIterations = 3, CovarianceRegularization = 1e-3 }).Fit(x);
        model.TrainingLabels.Should().Equal(model.Predict(x));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void The_same_seed_gives_an_identical_model(CovarianceType type)
    {
        var x = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 12, InitializationCount = 2, Initialization = InitializationMethod.KMeansPlusPlus };
        AssertIdentical(new GaussianMixture(options).Fit(x), new GaussianMixture(options).Fit(x), compareReport: true);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Results_are_bit_identical_for_any_degree_of_parallelism(CovarianceType type)
    {
        var x = Reference.Blobs(20000, 3, 3, 51);
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, MaxIterations = 8, Tolerance = 0, Seed = 2 };
        var serial = new GaussianMixture(options with { MaxDegreeOfParallelism = 1 }).Fit(x);
        var two = new GaussianMixture(options with { MaxDegreeOfParallelism = 2 }).Fit(x);
        var all = new GaussianMixture(options with { MaxDegreeOfParallelism = -1 }).Fit(x);

        AssertIdentical(serial, two, compareReport: true);
        AssertIdentical(serial, all, compareReport: true);
    }

    [Fact]
    public void Inputs_are_not_modified_by_fit_or_queries()
    {
        var array = TestData.Iris(out _);
        var jagged = Reference.ToJagged(array);
        var matrix = Matrix<double>.Build.DenseOfArray(array);
        var rowMajor = Reference.ToRowMajor(array);
        var weights = Enumerable.Range(0, 150).Select(i => 0.5 + (i % 3)).ToArray();
        var (startWeights, startMeans, startPrecisions) = IrisStart(CovarianceType.Full);
        var copies = (array.Clone(), jagged.Select(r => (double[])r.Clone()).ToArray(), matrix.Clone(), (double[])rowMajor.Clone(), (double[])weights.Clone(), startWeights.ToArray(), startMeans.Clone(), startPrecisions.Select(p => p.Clone()).ToArray());

        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, InitialWeights = startWeights, InitialMeans = startMeans, InitialPrecisions = startPrecisions });
        foreach (var data in new DataMatrix[] { array, jagged, matrix, DataMatrix.FromRowMajor(rowMajor, 4) })
        {
            var model = gm.Fit(data, weights);
            model.LogDensity(data);
            model.PredictProbabilities(data);
            model.Predict(data);
            model.MeanLogLikelihood(data, weights);
            model.BayesianInformationCriterion(data, weights);
            model.AkaikeInformationCriterion(data, weights);
            new GaussianMixture(3, CovarianceType.Diagonal).Fit(data, weights);
            new KMeans(new KMeansOptions { ClusterCount = 3 }).Fit(data, weights);
        }

        array.Should().BeEquivalentTo((double[,])copies.Item1, o => o.WithStrictOrdering());
        for (int i = 0; i < jagged.Length; i++)
        {
            jagged[i].Should().Equal(copies.Item2[i]);
        }

        matrix.Equals(copies.Item3).Should().BeTrue();
        rowMajor.Should().Equal(copies.Item4);
        weights.Should().Equal(copies.Item5);
        startWeights.Should().Equal(copies.Item6);
        startMeans.Equals(copies.Item7).Should().BeTrue();
        for (int k = 0; k < 3; k++)
        {
            startPrecisions[k].Equals(copies.Item8[k]).Should().BeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Integer_sample_weights_equal_repeating_rows(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1);
        var weights = Enumerable.Range(0, n).Select(i => (double)((i * 7) % 4)).ToArray(); // 0, 1, 2 or 3 copies
        var repeated = new List<double[]>();
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < weights[i]; c++)
            {
                repeated.Add(Reference.Row(x, i));
            }
        }

        var (startWeights, startMeans, startPrecisions) = IrisStart(type);
        var options = new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            Tolerance = 0,
            MaxIterations = 15,
            InitialWeights = startWeights,
            InitialMeans = startMeans,
            InitialPrecisions = startPrecisions,
        };
        var weighted = new GaussianMixture(options).Fit(x, weights);
        var copied = new GaussianMixture(options).Fit(repeated.ToArray());

        for (int k = 0; k < 3; k++)
        {
            weighted.Weights[k].ShouldBeClose(copied.Weights[k], 1e-10, $"weight {k}");
            for (int j = 0; j < d; j++)
            {
                weighted.Components[k].Mean[j].ShouldBeClose(copied.Components[k].Mean[j], 1e-10, $"mean {k},{j}");
            }

            weighted.GetCovariance(k).ShouldBeClose(copied.GetCovariance(k), 1e-10, $"covariance {k}");
        }

        for (int i = 0; i < weighted.Report.LowerBoundHistory.Count; i++)
        {
            weighted.Report.LowerBoundHistory[i].ShouldBeClose(copied.Report.LowerBoundHistory[i], 1e-10);
        }

        weighted.BayesianInformationCriterion(x, weights).ShouldBeClose(copied.BayesianInformationCriterion(repeated.ToArray()), 1e-9);
    }

    [Fact]
    public void A_cancelled_token_throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var act = () => new GaussianMixture(3).Fit(TestData.Iris(out _), cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Cancelling_during_the_fit_stops_it()
    {
        using var cts = new CancellationTokenSource();
        var progress = new Recorder(p =>
        {
            if (p.Iteration == 2)
            {
                cts.Cancel();
            }
        });
        var act = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 100 })
            .Fit(TestData.Iris(out _), progress: progress, cancellationToken: cts.Token);

        act.Should().Throw<OperationCanceledException>();
        progress.Reports.Should().HaveCount(2);
    }

    [Fact]
    public void Progress_is_reported_once_per_iteration_with_the_lower_bounds()
    {
        var progress = new Recorder();
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            InitializationCount = 3,
            Initialization = InitializationMethod.RandomFromData,
            Seed = 9,
        }).Fit(TestData.Iris(out _), progress: progress);

        progress.Reports.Select(p => p.Initialization).Distinct().Should().Equal(0, 1, 2);
        for (int init = 0; init < 3; init++)
        {
            var reports = progress.Reports.Where(p => p.Initialization == init).ToList();
            reports.Select(p => p.Iteration).Should().Equal(Enumerable.Range(1, reports.Count));
            reports[^1].LowerBound.Should().Be(model.Report.InitializationLowerBounds[init]);
            double.IsPositiveInfinity(reports[0].Change).Should().BeTrue();
            for (int i = 1; i < reports.Count; i++)
            {
                reports[i].Change.Should().Be(reports[i].LowerBound - reports[i - 1].LowerBound);
            }
        }

        var best = progress.Reports.Where(p => p.Initialization == model.Report.BestInitialization).Select(p => p.LowerBound);
        best.Should().Equal(model.Report.LowerBoundHistory);
        model.IterationCount.Should().Be(model.Report.LowerBoundHistory.Count);
    }

    [Fact]
    public void Training_log_likelihood_is_the_naive_mean_log_likelihood_of_the_returned_model()
    {
        var x = TestData.Faithful();
        var model = new GaussianMixture(2).Fit(x);
        int n = x.GetLength(0);
        double total = Enumerable.Range(0, n).Sum(i => Reference.MixtureLogDensity(Reference.Row(x, i), model.Weights, model.Components));
        model.Report.TrainingLogLikelihood.ShouldBeClose(total / n, 1e-10);
    }

    /// <summary>A start for iris with K = 3: one row of each species as the means, and precisions of the right shape.</summary>
    internal static (double[] Weights, Matrix<double> Means, Matrix<double>[] Precisions) IrisStart(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var means = Matrix<double>.Build.Dense(3, 4, (k, j) => x[(50 * k) + 7, j]);
        var weights = new[] { 0.2, 0.5, 0.3 };
        var full = Matrix<double>.Build.DenseOfArray(new double[,]
        {
            { 4.0, 1.0, 0.5, 0.0 },
            { 1.0, 5.0, 0.0, 0.3 },
            { 0.5, 0.0, 6.0, 1.0 },
            { 0.0, 0.3, 1.0, 8.0 },
        });
        Matrix<double>[] precisions = type switch
        {
            CovarianceType.Full => [full, 2 * full, 0.5 * full],
            CovarianceType.Tied => [full],
            CovarianceType.Diagonal => [Diag(1, 2, 3, 4), Diag(4, 3, 2, 1), Diag(2, 2, 5, 5)],
            _ => [Diag(1, 1, 1, 1), Diag(3, 3, 3, 3), Diag(0.5, 0.5, 0.5, 0.5)],
        };
        return (weights, means, precisions);

        static Matrix<double> Diag(params double[] values) => Matrix<double>.Build.DenseOfDiagonalArray(values);
    }

    internal static void AssertIdentical(GaussianMixtureModel a, GaussianMixtureModel b, bool compareReport)
    {
        a.Weights.Should().Equal(b.Weights);
        for (int k = 0; k < a.ComponentCount; k++)
        {
            a.Components[k].Mean.ToArray().Should().Equal(b.Components[k].Mean.ToArray(), $"mean {k}");
            a.GetCovariance(k).ToRowMajorArray().Should().Equal(b.GetCovariance(k).ToRowMajorArray(), $"covariance {k}");
            a.GetPrecisionCholesky(k).ToRowMajorArray().Should().Equal(b.GetPrecisionCholesky(k).ToRowMajorArray(), $"precision Cholesky {k}");
        }

        a.TrainingLabels.Should().Equal(b.TrainingLabels);
        a.Report.TrainingLogLikelihood.Should().Be(b.Report.TrainingLogLikelihood);
        if (compareReport)
        {
            a.Report.LowerBoundHistory.Should().Equal(b.Report.LowerBoundHistory);
            a.Report.InitializationLowerBounds.Should().Equal(b.Report.InitializationLowerBounds);
            a.Report.BestInitialization.Should().Be(b.Report.BestInitialization);
        }
    }

    /// <summary>A synchronous progress sink (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Recorder(Action<FitProgress>? onReport = null) : IProgress<FitProgress>
    {
        public List<FitProgress> Reports { get; } = [];

        public void Report(FitProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
