using System.Buffers;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Reliability;

/// <summary>Issue 12, items 4, 6, 8, 10 and 12: hostile input at the public boundary.</summary>
public sealed class ReliabilityValidationTests
{
    private static GaussianMixtureModel FitTwoBlobs(MissingValueHandling missing = MissingValueHandling.Reject) =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = 3, MissingValues = missing })
            .Fit(Reference.Blobs(120, 3, 2, 17));

    // ---- Item 4: validation is not memoised on a view of caller memory ----

    [Fact]
    public void A_row_major_view_changed_after_a_query_is_checked_again_on_the_next_query()
    {
        var model = FitTwoBlobs();
        var buffer = Reference.ToRowMajor(Reference.Blobs(50, 3, 2, 5));
        var view = DataMatrix.FromRowMajor(buffer, 3);
        model.Predict(view).Should().HaveCount(50);

        buffer[(7 * 3) + 1] = double.NaN;
        var act = () => model.PredictProbabilities(view);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "data" && e.Message.Contains("row 7, column 1"));
        ((Action)(() => model.LogDensity(view))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("data");

        buffer[(7 * 3) + 1] = 0.5;
        model.PredictProbabilities(view).Cast<double>().Should().OnlyContain(p => double.IsFinite(p));
    }

    [Fact]
    public void A_NaN_written_into_a_row_major_view_after_a_query_is_marginalised_with_missing_value_support()
    {
        var model = FitTwoBlobs(MissingValueHandling.Marginalize);
        var buffer = Reference.ToRowMajor(Reference.Blobs(50, 3, 2, 5));
        var view = DataMatrix.FromRowMajor(buffer, 3);
        model.LogDensity(view).Should().OnlyContain(v => double.IsFinite(v));

        buffer[(4 * 3) + 2] = double.NaN;
        var afterChange = model.LogDensity(view);

        // The marginal density of row 4's first two entries, from a fresh copy of the changed data.
        var expected = model.LogDensity(DataMatrix.FromArray(ToArray(buffer, 3)));
        afterChange.Should().OnlyContain(v => double.IsFinite(v));
        afterChange[4].Should().Be(expected[4]);
        model.Impute(view)[4, 2].Should().Be(model.Impute(DataMatrix.FromArray(ToArray(buffer, 3)))[4, 2]);
    }

    [Fact]
    public void A_row_major_view_changed_between_two_fits_is_checked_again()
    {
        var buffer = Reference.ToRowMajor(Reference.Blobs(60, 2, 2, 9));
        var view = DataMatrix.FromRowMajor(buffer, 2);
        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, Seed = 1 });
        gm.Fit(view);
        buffer[10] = double.PositiveInfinity;
        ((Action)(() => gm.Fit(view))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("data");
        var kmeans = new KMeans(new KMeansOptions { ClusterCount = 2 });
        ((Action)(() => kmeans.Fit(view))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("data");
    }

    [Fact]
    public void Queries_on_a_row_major_view_equal_queries_on_a_copy_and_do_not_change_the_buffer()
    {
        var model = FitTwoBlobs(MissingValueHandling.Marginalize);
        var x = Reference.Blobs(700, 3, 2, 8);
        x[3, 0] = double.NaN;
        x[650, 2] = double.NaN;
        var buffer = Reference.ToRowMajor(x);
        var before = (double[])buffer.Clone();
        var view = DataMatrix.FromRowMajor(buffer, 3);
        model.LogDensity(view).Should().Equal(model.LogDensity(x));
        model.PredictProbabilities(view).Should().BeEquivalentTo(model.PredictProbabilities(x));
        model.Predict(view).Should().Equal(model.Predict(x));
        buffer.Should().Equal(before);
    }

    // ---- Item 6: cancellation during k-means++ seeding and Lloyd iterations ----

    [Fact]
    public void A_pre_cancelled_token_stops_a_fit_before_any_k_means_plus_plus_work()
    {
        using var memory = new CountingMemory(Reference.ToRowMajor(Reference.Blobs(20_000, 4, 8, 2)));
        var data = DataMatrix.FromRowMajor(memory.Memory, 4);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 32, Seed = 1 });

        ((Action)(() => gm.Fit(data, cancellationToken: cts.Token))).Should().Throw<OperationCanceledException>();

        // Validation reads each row about twice; one k-means++ seeding of K = 32 reads every row 1 + 31·(2 + ⌊ln 32⌋) = 156 times.
        memory.Reads.Should().BeLessThan(3 * 20_000, "the token is checked before the seeding reads any row");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_token_cancelled_during_k_means_seeding_stops_within_a_few_thousand_rows(bool viaKMeansEstimator)
    {
        const int n = 20_000;
        using var cts = new CancellationTokenSource();
        using var memory = new CountingMemory(Reference.ToRowMajor(Reference.Blobs(n, 4, 8, 2)));

        // Cancelled from inside the seeding, deterministically: validation reads the memory a few times (once per
        // worker of its one parallel pass), then the seeding reads the data a block of 256 rows at a time, 79 blocks
        // per pass, 32 passes for K = 32 (about 2,700 reads), so the 1,000-th read is in the middle of the seeding.
        int cancelAt = 1_000;
        memory.OnRead = reads =>
        {
            if (reads == cancelAt)
            {
                cts.Cancel();
            }
        };
        var data = DataMatrix.FromRowMajor(memory.Memory, 4);
        Action fit = viaKMeansEstimator
            ? () => new KMeans(new KMeansOptions { ClusterCount = 32, Seed = 1 }).Fit(data, cancellationToken: cts.Token)
            : () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 32, Seed = 1 }).Fit(data, cancellationToken: cts.Token);

        fit.Should().Throw<OperationCanceledException>();
        cts.IsCancellationRequested.Should().BeTrue();
        memory.Reads.Should().BeLessThan(cancelAt + 40, "each worker of the seeding looks at the token every 16 blocks of rows");
    }

    [Fact]
    public void A_token_cancelled_during_Lloyd_iterations_stops_within_a_few_thousand_rows()
    {
        const int n = 20_000;
        using var cts = new CancellationTokenSource();
        using var memory = new CountingMemory(Reference.ToRowMajor(Reference.Blobs(n, 4, 2, 2)));
        var data = DataMatrix.FromRowMajor(memory.Memory, 4);
        int cancelAt = -1;
        var centers = new double[2 * 4];
        data.Row(0).CopyTo(centers);
        data.Row(n - 1).CopyTo(centers.AsSpan(4));
        int start = memory.Reads;
        memory.OnRead = reads =>
        {
            if (reads == start + 120)
            {
                cancelAt = reads;
                cts.Cancel();
            }
        };

        // A pass reads the data a block of 256 rows at a time (79 blocks); the 120th read is in the second iteration.
        ((Action)(() => new KMeansAlgorithm(data, null, 2, -1).Lloyd(centers, 300, 0, cts.Token))).Should().Throw<OperationCanceledException>();
        cancelAt.Should().BePositive();
        memory.Reads.Should().BeLessThan(cancelAt + 40, "each worker looks at the token every 16 blocks of rows");
    }

    // ---- Item 8: span entry points of the mixture and the built-in components ----

    [Fact]
    public void Mixture_LogDensity_of_a_row_of_the_wrong_length_names_row_and_the_expected_length()
    {
        var model = FitTwoBlobs();
        foreach (var length in new[] { 2, 4, 0 })
        {
            var row = new double[length];
            var act = () => model.LogDensity(row);
            act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "row" && e.Message.Contains("exactly 3"));
        }
    }

    [Fact]
    public void Mixture_LogDensity_of_NaN_or_infinity_throws_without_missing_value_support()
    {
        var model = FitTwoBlobs();
        ((Func<double>)(() => model.LogDensity([0.1, double.NaN, 0.2]))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "row" && e.Message.Contains("column 1"));
        ((Func<double>)(() => model.LogDensity([double.PositiveInfinity, 0, 0.2]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        var rows = new double[] { 0, 0, 0, 1, double.NaN, 1 };
        ((Action)(() => model.LogDensity(rows, new double[2]))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "rows" && e.Message.Contains("row 1, column 1"));
    }

    [Fact]
    public void Mixture_LogDensity_marginalises_NaN_with_missing_value_support_as_the_DataMatrix_query_does()
    {
        var model = FitTwoBlobs(MissingValueHandling.Marginalize);
        double[] row = [0.3, double.NaN, -0.2];
        double single = model.LogDensity(row);
        var viaData = model.LogDensity(new double[,] { { 0.3, double.NaN, -0.2 } });
        single.Should().BeApproximately(viaData[0], 1e-12);
        double.IsFinite(single).Should().BeTrue();
        ((Func<double>)(() => model.LogDensity([double.NaN, double.NaN, double.NaN]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Func<double>)(() => model.LogDensity([double.NegativeInfinity, 0, 0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
    }

    [Fact]
    public void Mixture_block_overloads_check_rows_and_destination_lengths()
    {
        var model = FitTwoBlobs(MissingValueHandling.Marginalize);
        ((Action)(() => model.LogDensity(new double[7], new double[2]))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "rows" && e.Message.Contains("multiple of the dimension 3"));
        ((Action)(() => model.LogDensity(new double[6], new double[3]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        ((Action)(() => model.LogDensity(new double[9], new double[2]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => model.MarginalLogDensity(new double[6], new double[1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => model.ConditionalMean(new double[4], new double[3]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => model.ConditionalMean(new double[3], new double[2]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => model.Sample(new Random(1), new double[2]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => model.Sample(null!, new double[3]))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("random");

        var rows = new double[] { 0.1, 0.2, 0.3, -1, 0.5, 2 };
        var destination = new double[2];
        model.LogDensity(rows, destination);
        var viaData = model.LogDensity(new double[,] { { 0.1, 0.2, 0.3 }, { -1, 0.5, 2 } });
        destination[0].Should().BeApproximately(viaData[0], 1e-12);
        destination[1].Should().BeApproximately(viaData[1], 1e-12);
    }

    public static TheoryData<string> ComponentNames() => new() { "full", "diagonal", "spherical", "bernoulli", "categorical", "poisson", "normal", "product" };

    private static (IMissingValueComponent Component, double[] GoodRow) Component(string name) => name switch
    {
        "full" => (FullGaussian.WithMeanCovariance([0, 1], MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(2)), [0.5, 0.5]),
        "diagonal" => (DiagonalGaussian.WithMeanVariances([0, 1], [1, 2]), [0.5, 0.5]),
        "spherical" => (SphericalGaussian.WithMeanVariance([0, 1], 2), [0.5, 0.5]),
        "bernoulli" => (BernoulliComponent.WithProbabilities([0.2, 0.7]), [1, 0]),
        "categorical" => (CategoricalComponent.WithProbabilities([0.2, 0.3, 0.5]), [2]),
        "poisson" => (PoissonComponent.WithRate(2.5), [3]),
        "normal" => (NormalComponent.WithMeanVariance(1, 2), [0.5]),
        _ => (Product(), [0.5, 1]),
    };

    private static ProductComponent Product()
    {
        var fitted = new ProductMixture(new ProductMixtureOptions
        {
            ComponentCount = 1,
            Marginals = [Marginal.Normal(0), Marginal.Bernoulli([1])],
        }).Fit(new double[,] { { 0.1, 1 }, { 0.4, 0 }, { -0.3, 1 }, { 0.9, 0 } });
        return fitted.Components[0];
    }

    [Theory]
    [MemberData(nameof(ComponentNames))]
    public void Built_in_components_check_lengths_NaN_and_infinity_at_their_span_entry_points(string name)
    {
        var (c, good) = Component(name);
        int d = c.Dimension;
        double.IsFinite(c.LogDensity(good)).Should().BeTrue();

        var tooLong = new double[d + 1];
        ((Func<double>)(() => c.LogDensity(tooLong))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "row" && e.Message.Contains($"exactly {d}"));
        var nan = (double[])good.Clone();
        nan[d - 1] = double.NaN;
        ((Func<double>)(() => c.LogDensity(nan))).Should().Throw<ArgumentException>().Where(e => e.ParamName == "row" && e.Message.Contains("MarginalLogDensity"));
        ((Action)(() => c.LogDensity(nan, new double[1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        ((Action)(() => c.LogDensity(good, new double[2]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        ((Action)(() => c.LogDensity([.. good, .. good], new double[1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");

        var marginal = new double[1];
        c.MarginalLogDensity(nan, marginal);
        double.IsFinite(marginal[0]).Should().BeTrue();
        var allMissing = Enumerable.Repeat(double.NaN, d).ToArray();
        if (c is GaussianComponent)
        {
            // Full and tied Gaussians cannot condition on nothing: a typed error, as in the DataMatrix queries.
            ((Action)(() => c.MarginalLogDensity(allMissing, new double[1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
            ((Action)(() => c.ConditionalMean(allMissing, new double[d]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        }
        else
        {
            c.MarginalLogDensity(allMissing, marginal);
            marginal[0].Should().Be(0, "nothing observed: the marginal density of no entries is 1");
        }

        var infinite = (double[])good.Clone();
        infinite[0] = double.PositiveInfinity;
        if (c is CategoricalComponent or PoissonComponent)
        {
            c.MarginalLogDensity(infinite, marginal);
            marginal[0].Should().Be(double.NegativeInfinity, "+∞ is outside the support");
        }
        else
        {
            ((Action)(() => c.MarginalLogDensity(infinite, new double[1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("rows");
        }

        ((Action)(() => c.ConditionalMean(good, new double[d + 1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => c.ConditionalMean(tooLong, new double[d]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => c.Sample(new Random(1), new double[d + 1]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("destination");
        ((Action)(() => c.Sample(null!, new double[d]))).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("random");
    }

    // ---- Item 10: a null component ----

    [Fact]
    public void A_null_component_is_an_ArgumentNullException_naming_components_and_the_index()
    {
        var a = DiagonalGaussian.WithMeanVariances([0], [1]);
        var act = () => new MixtureModel<GaussianComponent>([0.5, 0.5], [a, null!]);
        act.Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "components" && e.Message.Contains("components[1]"));
        var first = () => new MixtureModel<GaussianComponent>([0.5, 0.5], [null!, a]);
        first.Should().Throw<ArgumentNullException>().Where(e => e.ParamName == "components" && e.Message.Contains("components[0]"));
    }

    // ---- Item 12: parameter names of the Marginal factories ----

    [Fact]
    public void Marginal_Gaussian_names_its_own_parameters()
    {
        ((Func<Marginal>)(() => Marginal.Gaussian([0, 1], CovarianceType.Full, -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("covarianceRegularization");
        ((Func<Marginal>)(() => Marginal.Gaussian([0, 1], CovarianceType.Full, double.NaN))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("covarianceRegularization");
        ((Func<Marginal>)(() => Marginal.Gaussian([0, 1], (CovarianceType)42))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("covarianceType");
        ((Func<Marginal>)(() => Marginal.Normal(0, -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("varianceRegularization");
        ((Func<Marginal>)(() => Marginal.Categorical(0, 0))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("levelCount");
        ((Func<Marginal>)(() => Marginal.Categorical(0, 3, -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("dirichletAlpha");
        ((Func<GaussianFamily>)(() => GaussianFamily.Create(CovarianceType.Full, 2, -1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("regularization");
    }

    // ---- Sweep: parameter names of CovariancePrior's constructor and FromData ----

    [Fact]
    public void CovariancePrior_constructor_and_FromData_name_their_own_parameters()
    {
        ((Func<CovariancePrior>)(() => new CovariancePrior(-1, 1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("pseudoObservations");
        ((Func<CovariancePrior>)(() => new CovariancePrior(1, double.NaN))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("variance");
        ((Func<CovariancePrior>)(() => CovariancePrior.FromData(Reference.Blobs(20, 2, 2, 1), 2, double.NaN))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("shrinkage");
        var prior = new CovariancePrior(1, 1);
        ((Func<CovariancePrior>)(() => prior with { Variance = 0 })).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Variance");
        new CovariancePrior(2, 3).Should().Be(new CovariancePrior(1, 1) with { PseudoObservations = 2, Variance = 3 });
    }

    private static double[,] ToArray(double[] rowMajor, int columns)
    {
        var result = new double[rowMajor.Length / columns, columns];
        for (int i = 0; i < rowMajor.Length; i++)
        {
            result[i / columns, i % columns] = rowMajor[i];
        }

        return result;
    }

    /// <summary>Caller memory that counts how often its span is taken (once per DataMatrix.Row call) and can act at a given count.</summary>
    private sealed class CountingMemory(double[] values) : MemoryManager<double>
    {
        private int _reads;

        public int Reads => _reads;

        public Action<int>? OnRead { get; set; }

        public override Span<double> GetSpan()
        {
            int reads = Interlocked.Increment(ref _reads);
            OnRead?.Invoke(reads);
            return values;
        }

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
