using MixtureModels.Components.Gaussian;
using static MixtureModels.Tests.Data.SourceFitAssert;

namespace MixtureModels.Tests.Data;

/// <summary>
/// Out-of-core fits from a <see cref="RowSource"/> against the in-memory fit of the same rows: with at most
/// SourceSampleRows rows the two start from the same point and must agree bit for bit, whatever the blocks.
/// </summary>
public sealed class RowSourceFitTests
{
    // 20 011 rows of 3 columns from three overlapping clusters (EM takes tens of iterations): 79 plan blocks of 256
    // rows (the last partial) in 40 chunks.
    private static readonly DataMatrix Blobs = Overlapping(20_011, seed: 7);

    private static GaussianMixtureOptions Options(CovarianceType type = CovarianceType.Full) =>
        new() { ComponentCount = 3, CovarianceType = type, Seed = 3, Tolerance = 1e-6, MaxIterations = 40 };

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(256)]
    [InlineData(1000)]
    [InlineData(5000)]
    [InlineData(20_011)]
    public void A_Gaussian_fit_from_blocks_of_any_size_is_bit_identical_to_the_in_memory_fit(int blockRows)
    {
        var expected = new GaussianMixture(Options()).Fit(Blobs);
        var actual = new GaussianMixture(Options()).Fit(RowSource.FromMatrix(Blobs, blockRows));

        expected.IterationCount.Should().BeGreaterThan(2, "the comparison covers several EM passes");
        BitIdentical(actual, expected, Blobs);
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Spherical)]
    public void Blocks_cut_differently_on_every_pass_give_the_in_memory_fit_with_restarts(CovarianceType type)
    {
        var options = Options(type) with { InitializationCount = 3 };
        var expected = new GaussianMixture(options).Fit(Blobs);
        var actual = new GaussianMixture(options).Fit(UnevenBlocks(Blobs, seed: 11, maxBlock: 3000));

        BitIdentical(actual, expected, Blobs);
        actual.Report.InitializationLowerBounds.Should().HaveCount(3);
    }

    [Fact]
    public async Task An_asynchronous_source_fitted_asynchronously_gives_the_in_memory_fit()
    {
        var expected = new GaussianMixture(Options()).Fit(Blobs);
        var source = RowSource.FromAsyncBlocks(ct => YieldingBlocks(Blobs, 777, ct));
        var actual = await new GaussianMixture(Options()).FitAsync(source, null, CancellationToken.None);

        BitIdentical(actual, expected, Blobs);
    }

    [Fact]
    public void The_result_does_not_depend_on_the_thread_count()
    {
        var one = new GaussianMixture(Options() with { MaxDegreeOfParallelism = 1 }).Fit(RowSource.FromMatrix(Blobs, 999));
        var all = new GaussianMixture(Options()).Fit(RowSource.FromMatrix(Blobs, 64));

        BitIdentical(one, all, Blobs);
    }

    [Fact]
    public void Missing_entries_are_marginalised_as_in_memory()
    {
        var values = Blobs.Values.ToArray();
        var random = new Random(5);
        for (int i = 0; i < values.Length; i += 3)
        {
            if (random.NextDouble() < 0.1)
            {
                values[i + random.Next(3)] = double.NaN;
            }
        }

        var data = DataMatrix.FromRowMajor(values, 3);
        var options = Options(CovarianceType.Diagonal) with { MissingValues = MissingValueHandling.Marginalize };
        var expected = new GaussianMixture(options).Fit(data);
        var actual = new GaussianMixture(options).Fit(RowSource.FromMatrix(data, 333));

        BitIdentical(actual, expected, data);
    }

    [Fact]
    public void Bernoulli_Student_t_product_and_generic_fits_are_bit_identical_to_their_in_memory_fits()
    {
        var binary = Binary(6000, 8, seed: 2);
        var bernoulliOptions = new BernoulliMixtureOptions { ComponentCount = 3, Seed = 1, Tolerance = 1e-8, MaxIterations = 30 };
        BitIdentical(new BernoulliMixture(bernoulliOptions).Fit(RowSource.FromMatrix(binary, 501)), new BernoulliMixture(bernoulliOptions).Fit(binary), binary);

        var studentOptions = new StudentTMixtureOptions { ComponentCount = 3, Seed = 2, MaxIterations = 15 };
        BitIdentical(new StudentTMixture(studentOptions).Fit(RowSource.FromMatrix(Blobs, 4096)), new StudentTMixture(studentOptions).Fit(Blobs), Blobs);

        var productOptions = new ProductMixtureOptions { ComponentCount = 3, Seed = 4, MaxIterations = 20, Marginals = [Marginal.Gaussian([0, 1]), Marginal.Normal(2)] };
        BitIdentical(new ProductMixture(productOptions).Fit(RowSource.FromMatrix(Blobs, 100)), new ProductMixture(productOptions).Fit(Blobs), Blobs);

        var family = GaussianFamily.Create(CovarianceType.Full, 3, 1e-6);
        var mixtureOptions = new MixtureOptions { ComponentCount = 3, Seed = 8, MaxIterations = 20 };
        BitIdentical(
            new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, mixtureOptions).Fit(RowSource.FromMatrix(Blobs, 2048)),
            new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, mixtureOptions).Fit(Blobs),
            Blobs);
    }

    [Fact]
    public void A_variational_Bayesian_fit_from_a_source_is_bit_identical_to_the_in_memory_fit_priors_included()
    {
        var options = new BayesianGaussianMixtureOptions { ComponentCount = 4, Seed = 5, MaxIterations = 25 };
        var expected = new BayesianGaussianMixture(options).Fit(Blobs);
        var actual = new BayesianGaussianMixture(options).Fit(UnevenBlocks(Blobs, seed: 2, maxBlock: 2500));

        expected.IterationCount.Should().BeGreaterThan(2);
        actual.Weights.Should().Equal(expected.Weights);
        actual.LogDensity(Blobs).Should().Equal(expected.LogDensity(Blobs));
        actual.TrainingLabels.Should().Equal(expected.TrainingLabels);
        actual.Report.LowerBoundHistory.Should().Equal(expected.Report.LowerBoundHistory);
        actual.Report.TrainingLogLikelihood.Should().Be(expected.Report.TrainingLogLikelihood);
        actual.Report.ComponentRowCounts.Should().Equal(expected.Report.ComponentRowCounts);
        actual.GetMeanPrior().Should().Equal(expected.GetMeanPrior(), "the default priors are the data's moments, here of the whole sample");
        actual.GetCovariancePrior().ToRowMajorArray().Should().Equal(expected.GetCovariancePrior().ToRowMajorArray());
        actual.DegreesOfFreedom.Should().Equal(expected.DegreesOfFreedom);
        actual.MeanPrecision.Should().Equal(expected.MeanPrecision);
        Saved(actual).Should().Equal(Saved(expected), "the saved file holds every parameter and the report");
    }

    private static byte[] Saved(BayesianGaussianMixtureModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Progress_is_reported_once_per_iteration_with_the_in_memory_values()
    {
        var expected = new List<FitProgress>();
        var actual = new List<FitProgress>();
        var model = new GaussianMixture(Options() with { InitializationCount = 2 }).Fit(Blobs, progress: new SynchronousProgress<FitProgress>(expected.Add));
        new GaussianMixture(Options() with { InitializationCount = 2 }).Fit(RowSource.FromMatrix(Blobs, 1234), new SynchronousProgress<FitProgress>(actual.Add), CancellationToken.None);

        actual.Should().Equal(expected);
        actual.Count(p => p.Initialization == model.Report.BestInitialization).Should().Be(model.IterationCount);
    }

    [Fact]
    public void Cancelling_during_the_fit_stops_it_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        int passes = 0;
        var source = RowSource.FromBlocks(() =>
        {
            passes++;
            return Enumerable.Range(0, 20).Select(i => ((DataMatrix)Blobs).Slice(i * 1000, Math.Min(1000, Blobs.Rows - (i * 1000))));
        });
        var progress = new SynchronousProgress<FitProgress>(p =>
        {
            if (p.Iteration == 2)
            {
                cancel.Cancel();
            }
        });

        var act = () => new GaussianMixture(Options()).Fit(source, progress, cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        passes.Should().BeLessThanOrEqualTo(4, "the scan and two iterations ran; at most the pass already started follows");
    }

    [Fact]
    public async Task Cancelling_an_asynchronous_fit_faults_its_task_with_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        var source = RowSource.FromAsyncBlocks(ct => YieldingBlocks(Blobs, 500, ct));
        var progress = new SynchronousProgress<FitProgress>(_ => cancel.Cancel());

        var act = () => new GaussianMixture(Options()).FitAsync(source, progress, cancel.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void A_source_that_yields_fewer_or_more_rows_on_a_later_pass_is_an_error()
    {
        int pass = 0;
        var shrinking = RowSource.FromBlocks(() => pass++ == 0 ? [Blobs] : [Blobs.Slice(0, Blobs.Rows - 1)]);
        var fewer = () => new GaussianMixture(Options()).Fit(shrinking);
        fewer.Should().Throw<InvalidOperationException>().WithMessage("*20010 rows*first pass yielded 20011*");

        int growingPass = 0;
        var growing = RowSource.FromBlocks(() => growingPass++ == 0 ? [Blobs.Slice(0, 10_000)] : [Blobs]);
        var more = () => new GaussianMixture(Options()).Fit(growing);
        more.Should().Throw<InvalidOperationException>().WithMessage("*more than the 10000 rows*");
    }

    [Fact]
    public void A_block_with_other_columns_is_an_error()
    {
        var other = DataMatrix.FromRowMajor(new double[8], 2);
        var source = RowSource.FromBlocks(() => [Blobs.Slice(0, 100), other]);

        var act = () => new GaussianMixture(Options()).Fit(source);

        act.Should().Throw<InvalidOperationException>().WithMessage("*block of 2 columns after 100 rows of 3 columns*");
    }

    [Fact]
    public void A_non_finite_value_is_named_by_its_source_row_and_column()
    {
        var values = Blobs.Values.ToArray();
        values[(12_345 * 3) + 2] = double.PositiveInfinity;
        var source = RowSource.FromMatrix(DataMatrix.FromRowMajor(values, 3), 1000);

        var act = () => new GaussianMixture(Options()).Fit(source);

        act.Should().Throw<ArgumentException>().WithMessage("*row 12345, column 2*").Which.ParamName.Should().Be("source");
    }

    [Fact]
    public void Gradient_algorithms_are_not_supported_from_a_source()
    {
        var act = () => new GaussianMixture(Options() with { Algorithm = FittingAlgorithm.Lbfgs }).Fit(RowSource.FromMatrix(Blobs, 1000));

        act.Should().Throw<NotSupportedException>().WithMessage("*Lbfgs*ExpectationMaximization*");
    }

    [Fact]
    public void A_warm_start_from_a_source_continues_as_in_memory()
    {
        var options = Options() with { WarmStart = true, MaxIterations = 3, Tolerance = 0 };
        var memory = new GaussianMixture(options);
        memory.Fit(Blobs);
        var expected = memory.Fit(Blobs);
        var source = new GaussianMixture(options);
        source.Fit(RowSource.FromMatrix(Blobs, 4000));
        var actual = source.Fit(RowSource.FromMatrix(Blobs, 300));

        BitIdentical(actual, expected, Blobs);
    }

    [Fact]
    public void With_more_rows_than_the_sample_the_start_comes_from_a_reservoir_sample_independent_of_the_blocks()
    {
        var options = Options() with { SourceSampleRows = 2000, MaxIterations = 1000 };
        var a = new GaussianMixture(options).Fit(RowSource.FromMatrix(Blobs, 7));
        var b = new GaussianMixture(options).Fit(UnevenBlocks(Blobs, seed: 3, maxBlock: 5000));
        var otherSeed = new GaussianMixture(options with { Seed = 4 }).Fit(RowSource.FromMatrix(Blobs, 1000));

        BitIdentical(a, b, Blobs);
        a.Converged.Should().BeTrue();
        a.Weights.Sum().Should().BeApproximately(1, 1e-12);
        a.TrainingLabels.Should().Equal(a.Predict(Blobs), "the final E-step labels the rows as the model predicts");
        a.Report.LowerBoundHistory.Zip(a.Report.LowerBoundHistory.Skip(1), (x, y) => y - x).Should().OnlyContain(change => change > -1e-12, "EM never lowers the mean log-likelihood");
        a.Report.TrainingLogLikelihood.Should().BeApproximately(a.MeanLogLikelihood(Blobs), 1e-12);
        otherSeed.Report.LowerBoundHistory[0].Should().NotBe(a.Report.LowerBoundHistory[0], "another seed draws another sample");

        // The sampled start reaches the optimum of the in-memory fit's start (within the tolerance's reach).
        var memory = new GaussianMixture(options).Fit(Blobs);
        a.LowerBound.Should().BeApproximately(memory.LowerBound, 1e-3);
    }

    [Fact]
    public void Given_labels_need_the_whole_source_in_the_sample()
    {
        var labels = Enumerable.Range(0, Blobs.Rows).Select(i => i % 3).ToArray();
        var options = Options() with { InitialLabels = labels, MaxIterations = 5 };
        BitIdentical(new GaussianMixture(options).Fit(RowSource.FromMatrix(Blobs, 5000)), new GaussianMixture(options).Fit(Blobs), Blobs);

        var act = () => new GaussianMixture(options with { SourceSampleRows = 1000 }).Fit(RowSource.FromMatrix(Blobs, 5000));
        act.Should().Throw<NotSupportedException>().WithMessage("*SourceSampleRows*");
    }

    [Fact]
    public void Too_few_rows_and_a_bad_sample_size_are_rejected()
    {
        var few = () => new GaussianMixture(Options()).Fit(RowSource.FromMatrix(Blobs.Slice(0, 2), 1));
        few.Should().Throw<ArgumentException>().WithMessage("*2 rows*ComponentCount is 3*");

        var sample = () => new GaussianMixture(Options() with { SourceSampleRows = 0 });
        sample.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*SourceSampleRows*");
    }

    private static async IAsyncEnumerable<DataMatrix> YieldingBlocks(DataMatrix data, int blockRows, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int start = 0; start < data.Rows; start += blockRows)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return data.Slice(start, Math.Min(blockRows, data.Rows - start));
        }
    }

    private static DataMatrix Overlapping(int rows, int seed)
    {
        var random = new Random(seed);
        double[][] centres = [[0, 0, 0], [1.5, 1, 0], [0, 1.5, 1.2]];
        var values = new double[rows * 3];
        for (int i = 0; i < rows; i++)
        {
            var centre = centres[i % 3];
            double scale = 0.6 + (0.2 * (i % 3));
            for (int j = 0; j < 3; j++)
            {
                values[(i * 3) + j] = centre[j] + (scale * Reference.StandardNormal(random));
            }
        }

        return DataMatrix.FromRowMajor(values, 3);
    }

    private static DataMatrix Binary(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            int cluster = i % 3;
            for (int j = 0; j < columns; j++)
            {
                double p = ((cluster + j) % 3) switch { 0 => 0.85, 1 => 0.5, _ => 0.1 };
                values[(i * columns) + j] = random.NextDouble() < p ? 1 : 0;
            }
        }

        return DataMatrix.FromRowMajor(values, columns);
    }
}
