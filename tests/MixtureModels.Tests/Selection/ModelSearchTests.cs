using MathNet.Numerics.Distributions;
using MixtureModels.Selection;

namespace MixtureModels.Tests.Selection;

/// <summary>The model search: the right K on separated data, failures and degenerate fits as rows, determinism, progress, cancellation.</summary>
public sealed class ModelSearchTests
{
    private static readonly CovarianceType[] AllTypes = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical];

    /// <summary>Three well-separated round clusters in 2-D, 120 rows each.</summary>
    private static double[,] ThreeClusters()
    {
        var random = new Random(11);
        double[][] centres = [[0, 0], [10, 0], [5, 9]];
        var data = new double[360, 2];
        for (int i = 0; i < 360; i++)
        {
            var c = centres[i % 3];
            data[i, 0] = Normal.Sample(random, c[0], 1);
            data[i, 1] = Normal.Sample(random, c[1], 1);
        }

        return data;
    }

    [Theory]
    [InlineData(InformationCriterion.Bayesian)]
    [InlineData(InformationCriterion.IntegratedCompletedLikelihood)]
    public void The_search_picks_the_true_component_count_on_well_separated_data(InformationCriterion criterion)
    {
        var search = ModelSearch.Gaussian(ThreeClusters(), [1, 2, 3, 4, 5], AllTypes, options: new ModelSearchOptions { Criterion = criterion });

        search.Rows.Should().HaveCount(20);
        search.Criterion.Should().Be(criterion);
        search.Best!.ComponentCount.Should().Be(3);
        search.Best.Status.Should().Be(CandidateStatus.Sound);
        search.BestModel.ComponentCount.Should().Be(3);
        foreach (var row in search.Rows.Where(r => r.Status != CandidateStatus.Failed && r.Status == CandidateStatus.Sound))
        {
            row.CriterionValue.Should().BeGreaterThanOrEqualTo(search.Best.CriterionValue);
        }
    }

    [Fact]
    public void Rows_are_in_candidate_order_and_carry_the_fit()
    {
        var data = TestData.Faithful();
        var search = ModelSearch.Gaussian(data, [1, 2], [CovarianceType.Full, CovarianceType.Spherical]);
        search.Rows.Select(r => (r.ComponentCount, r.CovarianceType)).Should().Equal(
            (1, CovarianceType.Full), (1, CovarianceType.Spherical), (2, CovarianceType.Full), (2, CovarianceType.Spherical));
        for (int i = 0; i < search.Rows.Count; i++)
        {
            var row = search.Rows[i];
            row.Index.Should().Be(i);
            row.Model.Should().NotBeNull();
            row.CriterionValue.Should().Be(row.Model!.BayesianInformationCriterion());
            row.LogLikelihood.Should().BeApproximately(row.Model.LogDensity(data).Sum(), 1e-9 * Math.Abs(row.LogLikelihood));
            row.ParameterCount.Should().Be(row.Model.ParameterCount);
            row.IterationCount.Should().Be(row.Model.IterationCount);
            row.Converged.Should().Be(row.Model.Converged);
            row.ConvergenceReason.Should().Be(row.Model.Report.Reason);
        }
    }

    [Fact]
    public void A_failing_candidate_is_a_row_with_its_reason()
    {
        // Two distinct points, each repeated: with no regularisation every component's covariance is singular.
        var data = new double[40, 2];
        for (int i = 0; i < 40; i++)
        {
            data[i, 0] = i % 2 == 0 ? 0 : 5;
            data[i, 1] = i % 2 == 0 ? 1 : -1;
        }

        var template = new GaussianMixtureOptions { ComponentCount = 1, CovarianceRegularization = 0 };
        var candidates = new List<ModelCandidate<GaussianMixtureModel>>
        {
            ModelCandidate.Gaussian(template with { ComponentCount = 2, CovarianceType = CovarianceType.Full }),
            ModelCandidate.Gaussian(new GaussianMixtureOptions { ComponentCount = 1, CovarianceType = CovarianceType.Full }),
            ModelCandidate.Gaussian(new GaussianMixtureOptions { ComponentCount = 50 }),
        };
        var search = ModelSearch.Run(data, candidates);

        search.Rows[0].Status.Should().Be(CandidateStatus.Failed);
        search.Rows[0].Failure.Should().BeOfType<CovarianceNotPositiveDefiniteException>();
        search.Rows[0].FailureReason.Should().StartWith(nameof(CovarianceNotPositiveDefiniteException));
        search.Rows[0].Model.Should().BeNull();
        search.Rows[0].CriterionValue.Should().Be(double.NaN);
        search.Rows[0].ParameterCount.Should().BeNull();
        search.Rows[2].Status.Should().Be(CandidateStatus.Failed);
        search.Rows[2].Failure.Should().BeAssignableTo<ArgumentException>();
        search.Rows[2].FailureReason.Should().Contain("ComponentCount");
        search.BestIndex.Should().Be(1);
    }

    [Fact]
    public void When_every_candidate_fails_there_is_no_best_model()
    {
        var data = new double[3, 1] { { 1 }, { 2 }, { 3 } };
        var search = ModelSearch.Gaussian(data, [5, 6], [CovarianceType.Full]);
        search.Best.Should().BeNull();
        search.BestIndex.Should().Be(-1);
        var act = () => search.BestModel;
        act.Should().Throw<InvalidOperationException>().WithMessage("*Every candidate*failed*");
    }

    [Fact]
    public void A_degenerate_candidate_is_not_chosen_over_a_sound_one()
    {
        // A cloud plus six copies of one far row: K = 2 collapses a component onto the copies (a likelihood spike, so a
        // far better BIC), K = 1 is sound.
        var random = new Random(1);
        var data = new double[206, 2];
        for (int i = 0; i < 200; i++)
        {
            data[i, 0] = Normal.Sample(random, 0, 1);
            data[i, 1] = Normal.Sample(random, 0, 1);
        }

        for (int i = 200; i < 206; i++)
        {
            data[i, 0] = 20;
            data[i, 1] = 20;
        }

        var search = ModelSearch.Gaussian(data, [1, 2], [CovarianceType.Diagonal]);
        search.Rows[1].Status.Should().Be(CandidateStatus.Degenerate);
        search.Rows[1].DegenerateComponentCount.Should().Be(1);
        search.Rows[1].CriterionValue.Should().BeLessThan(search.Rows[0].CriterionValue);
        search.Best!.ComponentCount.Should().Be(1);
        search.BestIsDegenerate.Should().BeFalse();

        var onlyDegenerate = ModelSearch.Gaussian(data, [2], [CovarianceType.Diagonal]);
        onlyDegenerate.BestIsDegenerate.Should().BeTrue();
        onlyDegenerate.BestIndex.Should().Be(0);
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var data = TestData.Faithful();
        var template = new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = 3, Seed = 7 };
        var one = ModelSearch.Gaussian(data, [1, 2, 3, 4], AllTypes, template, options: new ModelSearchOptions { MaxDegreeOfParallelism = 1 });
        var all = ModelSearch.Gaussian(data, [1, 2, 3, 4], AllTypes, template, options: new ModelSearchOptions { MaxDegreeOfParallelism = -1 });
        var four = ModelSearch.Gaussian(data, [1, 2, 3, 4], AllTypes, template, options: new ModelSearchOptions { MaxDegreeOfParallelism = 4 });

        foreach (var other in new[] { all, four })
        {
            other.BestIndex.Should().Be(one.BestIndex);
            for (int i = 0; i < one.Rows.Count; i++)
            {
                other.Rows[i].CriterionValue.Should().Be(one.Rows[i].CriterionValue);
                other.Rows[i].Model!.Weights.Should().Equal(one.Rows[i].Model!.Weights);
                other.Rows[i].Model!.GetMeans().ToRowMajorArray().Should().Equal(one.Rows[i].Model!.GetMeans().ToRowMajorArray());
            }
        }
    }

    [Fact]
    public void On_larger_data_the_fits_run_one_after_another_in_parallel_over_rows_with_the_same_results()
    {
        // 2 000 rows are 8 blocks: with 2 threads the search fits candidates in turn, each fit parallel over its chunks.
        var random = new Random(4);
        var data = new double[2000, 2];
        for (int i = 0; i < 2000; i++)
        {
            data[i, 0] = Normal.Sample(random, i % 2 == 0 ? 0 : 6, 1);
            data[i, 1] = Normal.Sample(random, 0, 1);
        }

        var serial = ModelSearch.Gaussian(data, [1, 2, 3], [CovarianceType.Full, CovarianceType.Diagonal], options: new ModelSearchOptions { MaxDegreeOfParallelism = 1 });
        var parallel = ModelSearch.Gaussian(data, [1, 2, 3], [CovarianceType.Full, CovarianceType.Diagonal], options: new ModelSearchOptions { MaxDegreeOfParallelism = 2 });
        parallel.Rows.Select(r => r.CriterionValue).Should().Equal(serial.Rows.Select(r => r.CriterionValue));
        parallel.Best!.ComponentCount.Should().Be(2);
    }

    [Fact]
    public void A_search_row_equals_the_same_fit_done_alone()
    {
        var data = TestData.Faithful();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = CovarianceType.Tied, InitializationCount = 4, Seed = 3 };
        var alone = new GaussianMixture(options).Fit(data);
        var search = ModelSearch.Run(data, [ModelCandidate.Gaussian(options)]);
        search.Rows[0].Model!.LowerBound.Should().Be(alone.LowerBound);
        search.Rows[0].CriterionValue.Should().Be(alone.BayesianInformationCriterion());
    }

    [Fact]
    public void Progress_reports_every_candidate_once_and_cancellation_stops_the_search()
    {
        var data = TestData.Faithful();
        var progress = new CollectingProgress();
        var search = ModelSearch.Gaussian(data, [1, 2, 3], AllTypes, progress: progress);
        progress.Items.Should().HaveCount(12);
        progress.Items.Select(p => p.CandidateIndex).Should().BeEquivalentTo(Enumerable.Range(0, 12));
        progress.Items.Select(p => p.CompletedCount).Should().Equal(Enumerable.Range(1, 12));
        progress.Items.Should().OnlyContain(p => p.TotalCount == 12);
        foreach (var item in progress.Items)
        {
            item.CriterionValue.Should().Be(search.Rows[item.CandidateIndex].CriterionValue);
        }

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var act = () => ModelSearch.Gaussian(data, [1, 2, 3], AllTypes, cancellationToken: cancelled.Token);
        act.Should().Throw<OperationCanceledException>();

        using var midway = new CancellationTokenSource();
        var cancelOnFirst = new CancelOnFirst(midway);
        var actMidway = () => ModelSearch.Gaussian(data, Enumerable.Range(1, 9), AllTypes, options: new ModelSearchOptions { MaxDegreeOfParallelism = 1 }, progress: cancelOnFirst, cancellationToken: midway.Token);
        actMidway.Should().Throw<OperationCanceledException>();
        cancelOnFirst.Calls.Should().BeLessThan(36);
    }

    [Fact]
    public void Any_family_can_be_searched_through_the_generic_estimator()
    {
        // Binary rows from two prototypes: the Bernoulli search over K = 1..3 prefers 2.
        var random = new Random(2);
        double[][] prototypes = [[0.9, 0.9, 0.1, 0.1, 0.9, 0.1], [0.1, 0.1, 0.9, 0.9, 0.1, 0.9]];
        var data = new double[400, 6];
        for (int i = 0; i < 400; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                data[i, j] = random.NextDouble() < prototypes[i % 2][j] ? 1 : 0;
            }
        }

        var presets = Enumerable.Range(1, 3).Select(k => ModelCandidate.Bernoulli(new BernoulliMixtureOptions { ComponentCount = k, InitializationCount = 3 })).ToList();
        var search = ModelSearch.Run(data, presets);
        search.Best!.ComponentCount.Should().Be(2);
        search.Rows[0].Name.Should().Be("Bernoulli, K = 1");

        var generic = Enumerable.Range(1, 3).Select(k => ModelCandidate.Create(new MixtureModels.Components.Bernoulli.BernoulliFamily(6), new MixtureOptions { ComponentCount = k, InitializationCount = 3 })).ToList();
        var genericSearch = ModelSearch.Run(data, generic);
        genericSearch.Best!.ComponentCount.Should().Be(2);
        genericSearch.Rows.Select(r => r.CriterionValue).Should().Equal(search.Rows.Select(r => r.CriterionValue));
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var data = TestData.Faithful();
        ((Action)(() => ModelSearch.Run(data, Array.Empty<ModelCandidate<GaussianMixtureModel>>()))).Should().Throw<ArgumentException>().WithParameterName("candidates");
        ((Action)(() => ModelSearch.Run<GaussianMixtureModel>(data, [null!]))).Should().Throw<ArgumentException>().WithParameterName("candidates").WithMessage("*candidates[0] is null*");
        ((Action)(() => ModelSearch.Gaussian(data, [], AllTypes))).Should().Throw<ArgumentException>().WithParameterName("componentCounts");
        ((Action)(() => ModelSearch.Gaussian(data, [0, 1], AllTypes))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("componentCounts");
        ((Action)(() => ModelSearch.Gaussian(data, [1], [(CovarianceType)9]))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("covarianceTypes");
        ((Action)(() => ModelSearch.Gaussian(data, [1], AllTypes, options: new ModelSearchOptions { MaxDegreeOfParallelism = 0 }))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MaxDegreeOfParallelism");
        ((Action)(() => ModelSearch.Gaussian(data, [1], AllTypes, sampleWeights: [1.0]))).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
        var template = new GaussianMixtureOptions { ComponentCount = 2, InitialWeights = [0.5, 0.5] };
        ((Action)(() => ModelSearch.Gaussian(data, [1], AllTypes, template))).Should().Throw<ArgumentException>().WithParameterName("template");
        var nan = new double[,] { { 1, 2 }, { double.NaN, 3 }, { 4, 5 } };
        ((Action)(() => ModelSearch.Gaussian(nan, [1], AllTypes))).Should().Throw<ArgumentException>().WithParameterName("data");
    }

    private sealed class CollectingProgress : IProgress<ModelSearchProgress>
    {
        public List<ModelSearchProgress> Items { get; } = [];

        public void Report(ModelSearchProgress value) => Items.Add(value);
    }

    private sealed class CancelOnFirst(CancellationTokenSource source) : IProgress<ModelSearchProgress>
    {
        public int Calls { get; private set; }

        public void Report(ModelSearchProgress value)
        {
            Calls++;
            source.Cancel();
        }
    }
}
