using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests;

/// <summary>Online (stepwise) EM: one step equals batch EM, the interpolation against a naive formula, convergence to the batch optimum, validation, failure atomicity.</summary>
public sealed class OnlineMixtureTests
{
    private const int D = 3;
    private const int K = 3;

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void One_partial_fit_of_the_whole_data_from_a_start_is_one_batch_em_iteration_bit_for_bit(CovarianceType type)
    {
        var data = Blobs(1, 3000, D);
        var family = GaussianFamily.Create(type, D, 1e-6);
        var start = StartOf(data, type);
        var batch = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = K, MaxIterations = 1, Tolerance = 0 }) { Start = start }.Fit(data);
        var online = new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(family, new MixtureOptions { ComponentCount = K }) { Start = start }.PartialFit(data);

        online.Weights.Should().Equal(batch.Weights);
        for (int k = 0; k < K; k++)
        {
            online.Components[k].Mean.ToArray().Should().Equal(batch.Components[k].Mean.ToArray());
            online.Components[k].GetCovariance().ToRowMajorArray().Should().Equal(batch.Components[k].GetCovariance().ToRowMajorArray());
        }

        online.IterationCount.Should().Be(1);
        online.LowerBound.Should().Be(batch.Report.LowerBoundHistory[0], "the block's mean log-likelihood is the batch iteration's E-step value");
    }

    [Fact]
    public void The_gaussian_estimator_from_initial_parameters_is_one_batch_iteration_too()
    {
        var data = Blobs(2, 2000, D);
        var startModel = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = K, MaxIterations = 2, Seed = 3 }).Fit(data);
        var options = new GaussianMixtureOptions
        {
            ComponentCount = K,
            MaxIterations = 1,
            Tolerance = 0,
            InitialWeights = [.. startModel.Weights],
            InitialMeans = startModel.GetMeans(),
            InitialPrecisions = [.. Enumerable.Range(0, K).Select(startModel.GetPrecision)],
        };
        var batch = new GaussianMixture(options).Fit(data);
        var online = new OnlineGaussianMixture(options).PartialFit(data);

        online.Weights.Should().Equal(batch.Weights);
        online.GetMeans().ToRowMajorArray().Should().Equal(batch.GetMeans().ToRowMajorArray());
        online.GetCovariance(1).ToRowMajorArray().Should().Equal(batch.GetCovariance(1).ToRowMajorArray());
    }

    [Fact]
    public void Second_block_interpolates_the_statistics_as_the_naive_formula_says()
    {
        // ρ_1 = (1 + 1)^−1 = 1/2; the second block has half the rows, so its statistics are scaled by 2 first.
        var block1 = Blobs(4, 3000, D);
        var block2 = Blobs(5, 1500, D);
        var start = StartOf(block1, CovarianceType.Full);
        var estimator = new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(
            GaussianFamily.Create(CovarianceType.Full, D, 1e-6),
            new MixtureOptions { ComponentCount = K },
            new OnlineMixtureOptions { StepSizeExponent = 1, StepSizeOffset = 1 })
        { Start = start };
        var startModel = new MixtureModel<GaussianComponent>(start.Weights!, start.Components!);
        var r1 = startModel.PredictProbabilities(block1);
        var model1 = estimator.PartialFit(block1);
        var r2 = model1.PredictProbabilities(block2);
        var model2 = estimator.PartialFit(block2);

        var rows1 = Rows(block1);
        var rows2 = Rows(block2);
        var nk = new double[K];
        for (int k = 0; k < K; k++)
        {
            // S_k = ½·s1_k + ½·2·s2_k: weight, sum and scatter about the mean.
            double w = 0;
            var sum = new double[D];
            void Add(double[][] rows, double[,] r, double c)
            {
                for (int n = 0; n < rows.Length; n++)
                {
                    w += c * r[n, k];
                    for (int i = 0; i < D; i++)
                    {
                        sum[i] += c * r[n, k] * rows[n][i];
                    }
                }
            }

            Add(rows1, r1, 0.5);
            Add(rows2, r2, 1.0);
            nk[k] = w;
            var mean = sum.Select(s => s / w).ToArray();
            var scatter = new double[D, D];
            void AddScatter(double[][] rows, double[,] r, double c)
            {
                for (int n = 0; n < rows.Length; n++)
                {
                    for (int i = 0; i < D; i++)
                    {
                        for (int j = 0; j < D; j++)
                        {
                            scatter[i, j] += c * r[n, k] * (rows[n][i] - mean[i]) * (rows[n][j] - mean[j]);
                        }
                    }
                }
            }

            AddScatter(rows1, r1, 0.5);
            AddScatter(rows2, r2, 1.0);
            model2.Components[k].Mean.ToArray().Should().BeEquivalentTo(mean, o => o.Using<double>(x => x.Subject.Should().BeApproximately(x.Expectation, 1e-9)).WhenTypeIs<double>());
            var covariance = model2.Components[k].GetCovariance();
            for (int i = 0; i < D; i++)
            {
                for (int j = 0; j < D; j++)
                {
                    double expected = (scatter[i, j] / w) + (i == j ? 1e-6 : 0);
                    covariance[i, j].Should().BeApproximately(expected, 1e-9, $"covariance[{i}, {j}] of component {k}");
                }
            }
        }

        for (int k = 0; k < K; k++)
        {
            model2.Weights[k].Should().BeApproximately(nk[k] / nk.Sum(), 1e-12);
        }
    }

    [Fact]
    public void Two_passes_reach_the_batch_optimum_within_1e_3_in_mean_log_likelihood()
    {
        const int n = 40000, blockRows = 2000;
        var data = Blobs(6, n, 4);
        var batch = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = K, Tolerance = 1e-8, MaxIterations = 500, Seed = 1 }).Fit(data);
        var blocks = Split(data, blockRows);
        var online = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K, Seed = 1 }).Fit(blocks, epochs: 2);

        double batchMean = batch.MeanLogLikelihood(data);
        double onlineMean = online.MeanLogLikelihood(data);
        onlineMean.Should().BeGreaterThan(batchMean - 1e-3);
        onlineMean.Should().BeLessThan(batchMean + 1e-6, "the batch fit is the maximum");
        online.IterationCount.Should().Be(2 * (n / blockRows));
    }

    [Fact]
    public void Generic_and_gaussian_online_estimators_agree_bit_for_bit_and_report_every_block()
    {
        var data = Blobs(7, 4000, D);
        var blocks = Split(data, 500);
        var reports = new List<FitProgress>();
        var generic = new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Diagonal, D, 1e-6), new MixtureOptions { ComponentCount = K, Seed = 2 })
            .Fit(blocks, epochs: 1, progress: new SyncProgress(reports));
        var gaussian = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K, Seed = 2, CovarianceType = CovarianceType.Diagonal }).Fit(blocks, epochs: 1);

        gaussian.Weights.Should().Equal(generic.Weights);
        gaussian.GetMeans().ToRowMajorArray().Should().Equal(Matrix<double>.Build.Dense(K, D, (k, j) => generic.Components[k].Mean[j]).ToRowMajorArray());
        reports.Select(r => r.Iteration).Should().Equal(Enumerable.Range(1, blocks.Count));
        generic.Report.LowerBoundHistory.Should().Equal(reports.Select(r => r.LowerBound));
        generic.TrainingLabels.Should().BeEmpty();
        double.IsNaN(generic.Report.TrainingLogLikelihood).Should().BeTrue();
    }

    [Fact]
    public void Online_gaussian_model_saves_and_loads_bit_exactly()
    {
        var data = Blobs(8, 2000, D);
        var model = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K }).Fit(Split(data, 500), epochs: 1);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = GaussianMixtureModel.Load(stream);
        loaded.LogDensity(data).Should().Equal(model.LogDensity(data));
        loaded.Report.LowerBoundHistory.Should().Equal(model.Report.LowerBoundHistory);
    }

    [Fact]
    public void A_bernoulli_family_is_fitted_online_too()
    {
        var random = new Random(9);
        var blocks = Enumerable.Range(0, 6).Select(_ =>
        {
            var rows = new double[400, 5];
            for (int n = 0; n < 400; n++)
            {
                int c = n % 2;
                for (int j = 0; j < 5; j++)
                {
                    rows[n, j] = random.NextDouble() < (c == 0 ? 0.9 : 0.1) ? 1 : 0;
                }
            }

            return (DataMatrix)rows;
        }).ToList();
        var model = new OnlineMixtureEstimator<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(5), new MixtureOptions { ComponentCount = 2, Seed = 1 }).Fit(blocks, epochs: 2);
        model.Weights.Should().AllSatisfy(w => w.Should().BeApproximately(0.5, 0.05));
        var first = model.Components.Select(c => c.LogDensity([1, 1, 1, 1, 1])).Max();
        first.Should().BeGreaterThan(5 * Math.Log(0.8), "one component has learned the all-ones pattern");
    }

    [Fact]
    public void A_student_t_family_is_fitted_online_with_its_degrees_of_freedom()
    {
        var data = Blobs(18, 6000, D);
        var family = new StudentTFamily(D, 1e-6, 10, DegreesOfFreedomEstimation.PerComponent);
        var batch = new MixtureEstimator<StudentTComponent, StudentTStatistics>(family, new MixtureOptions { ComponentCount = K, Seed = 1 }).Fit(data);
        var online = new OnlineMixtureEstimator<StudentTComponent, StudentTStatistics>(family, new MixtureOptions { ComponentCount = K, Seed = 1 }).Fit(Split(data, 1000), epochs: 2);
        online.Components.Should().AllSatisfy(c => c.DegreesOfFreedom.Should().BeInRange(StudentTFamily.MinimumDegreesOfFreedom, StudentTFamily.MaximumDegreesOfFreedom));
        online.MeanLogLikelihood(data).Should().BeGreaterThan(batch.MeanLogLikelihood(data) - 5e-3);
    }

    [Fact]
    public void A_cancelled_or_failed_block_leaves_the_estimator_unchanged()
    {
        var b1 = Blobs(10, 1000, D);
        var b2 = Blobs(11, 1000, D);
        var options = new MixtureOptions { ComponentCount = K, Seed = 4 };
        var family = GaussianFamily.Create(CovarianceType.Full, D, 1e-6);
        var reference = new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(family, options);
        reference.PartialFit(b1);
        var expected = reference.PartialFit(b2);

        var estimator = new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(family, options);
        estimator.PartialFit(b1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        FluentActions.Invoking(() => estimator.PartialFit(b2, cancellationToken: cancelled.Token)).Should().Throw<OperationCanceledException>();
        var bad = Blobs(12, 10, D);
        var badRows = bad.ToArray();
        badRows[3, 1] = double.NaN;
        FluentActions.Invoking(() => estimator.PartialFit(badRows)).Should().Throw<ArgumentException>().WithMessage("*NaN at row 3, column 1*");
        estimator.BlockCount.Should().Be(1);
        var actual = estimator.PartialFit(b2);
        actual.Weights.Should().Equal(expected.Weights);
        actual.Components[2].Mean.ToArray().Should().Equal(expected.Components[2].Mean.ToArray());
    }

    [Fact]
    public void Missing_values_are_marginalised_when_asked()
    {
        var rows = Blobs(13, 2000, D).ToArray();
        for (int n = 0; n < 2000; n += 7)
        {
            rows[n, n % D] = double.NaN;
        }

        var model = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K, MissingValues = MissingValueHandling.Marginalize })
            .Fit(Split(rows, 400), epochs: 2);
        model.LogDensity(rows).Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
    }

    [Theory]
    [InlineData(0.5, 2.0, null, "StepSizeExponent")]
    [InlineData(1.01, 2.0, null, "StepSizeExponent")]
    [InlineData(double.NaN, 2.0, null, "StepSizeExponent")]
    [InlineData(0.6, 0.5, null, "StepSizeOffset")]
    [InlineData(0.6, double.PositiveInfinity, null, "StepSizeOffset")]
    [InlineData(0.6, 2.0, 0.0, "NominalBlockWeight")]
    [InlineData(0.6, 2.0, double.NaN, "NominalBlockWeight")]
    public void Bad_online_options_name_the_setting(double alpha, double offset, double? nominal, string parameter)
    {
        var online = new OnlineMixtureOptions { StepSizeExponent = alpha, StepSizeOffset = offset, NominalBlockWeight = nominal };
        FluentActions.Invoking(() => new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = 2 }, online))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
        FluentActions.Invoking(() => new OnlineMixtureEstimator<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(CovarianceType.Full, 2, 1e-6), new MixtureOptions { ComponentCount = 2 }, online))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName(parameter);
    }

    [Fact]
    public void Step_sizes_follow_the_schedule()
    {
        var online = new OnlineMixtureOptions { StepSizeExponent = 0.75, StepSizeOffset = 2 };
        online.StepSize(0).Should().BeApproximately(Math.Pow(2, -0.75), 1e-15);
        online.StepSize(10).Should().BeApproximately(Math.Pow(12, -0.75), 1e-15);
        new OnlineMixtureOptions { StepSizeExponent = 1, StepSizeOffset = 1 }.StepSize(0).Should().Be(1);
    }

    [Fact]
    public void Bad_blocks_and_sources_give_clear_exceptions()
    {
        var online = new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K });
        FluentActions.Invoking(() => online.PartialFit(new double[2, D])).Should().Throw<ArgumentException>().WithMessage("*2 rows but ComponentCount is 3*");
        FluentActions.Invoking(() => online.PartialFit(new double[0, D])).Should().Throw<ArgumentException>().WithMessage("*Pass at least one row*");
        online.PartialFit(Blobs(14, 300, D));
        FluentActions.Invoking(() => online.PartialFit(Blobs(15, 300, D + 1))).Should().Throw<ArgumentException>().WithMessage("*4 columns*dimension 3*");
        FluentActions.Invoking(() => online.PartialFit(Blobs(15, 3, D), sampleWeights: [1, -1, 1])).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        online.PartialFit(Blobs(16, 1, D)).IterationCount.Should().Be(2, "later blocks may be smaller than K");

        FluentActions.Invoking(() => online.Fit([], epochs: 1)).Should().Throw<ArgumentException>().WithMessage("*no blocks*");
        FluentActions.Invoking(() => online.Fit([Blobs(17, 300, D), null!], epochs: 1)).Should().Throw<ArgumentException>().WithMessage("*null*");
        FluentActions.Invoking(() => online.Fit([Blobs(17, 300, D)], epochs: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epochs");
        FluentActions.Invoking(() => new OnlineGaussianMixture(new GaussianMixtureOptions { ComponentCount = K }).FittedModel).Should().Throw<NotFittedException>();
    }

    private static MixtureStart<GaussianComponent> StartOf(DataMatrix data, CovarianceType type)
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = K, CovarianceType = type, MaxIterations = 2, Seed = 3 }).Fit(data);
        return new MixtureStart<GaussianComponent>(model.Weights, model.Components);
    }

    /// <summary>n rows of K overlapping Gaussian blobs in d dimensions (correlated within each blob).</summary>
    private static DataMatrix Blobs(int seed, int n, int d)
    {
        var random = new Random(seed);
        var rows = new double[n, d];
        for (int i = 0; i < n; i++)
        {
            int c = random.Next(K);
            double shared = Normal(random);
            for (int j = 0; j < d; j++)
            {
                rows[i, j] = (c * 3.0 * ((j % 2) == 0 ? 1 : -1)) + ((0.5 + (0.3 * c)) * Normal(random)) + (0.4 * shared);
            }
        }

        return rows;
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static List<DataMatrix> Split(DataMatrix data, int blockRows)
    {
        var all = data.ToArray();
        var blocks = new List<DataMatrix>();
        for (int start = 0; start < data.Rows; start += blockRows)
        {
            int count = Math.Min(blockRows, data.Rows - start);
            var block = new double[count, data.Columns];
            for (int n = 0; n < count; n++)
            {
                for (int j = 0; j < data.Columns; j++)
                {
                    block[n, j] = all[start + n, j];
                }
            }

            blocks.Add(block);
        }

        return blocks;
    }

    private static double[][] Rows(DataMatrix data)
    {
        var all = data.ToArray();
        return [.. Enumerable.Range(0, data.Rows).Select(n => Enumerable.Range(0, data.Columns).Select(j => all[n, j]).ToArray())];
    }

    private sealed class SyncProgress(List<FitProgress> reports) : IProgress<FitProgress>
    {
        public void Report(FitProgress value) => reports.Add(value);
    }
}
