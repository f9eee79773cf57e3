namespace MixtureModels.Tests.Fitting;

/// <summary>Bad input to k-means: typed exceptions naming the parameter, the value and the fix; degenerate data stays finite.</summary>
public sealed class KMeansValidationTests
{
    private static KMeans Estimator(int k = 3) => new(new KMeansOptions { ClusterCount = k });

    public static TheoryData<string, Func<KMeansOptions>, string> BadOptions() => new()
    {
        { "ClusterCount", () => new KMeansOptions { ClusterCount = 0 }, "*ClusterCount = 0*at least one cluster*" },
        { "MaxIterations", () => new KMeansOptions { ClusterCount = 2, MaxIterations = 0 }, "*MaxIterations = 0*at least one iteration*" },
        { "Tolerance", () => new KMeansOptions { ClusterCount = 2, Tolerance = -1 }, "*Tolerance = -1*non-negative*" },
        { "Tolerance", () => new KMeansOptions { ClusterCount = 2, Tolerance = double.NaN }, "*Tolerance = NaN*" },
        { "InitializationCount", () => new KMeansOptions { ClusterCount = 2, InitializationCount = 0 }, "*InitializationCount = 0*at least one initialisation*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_throws_ArgumentOutOfRangeException_naming_it(string parameter, Func<KMeansOptions> options, string message)
    {
        var opts = options();
        var act = () => new KMeans(opts);
        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage(message).And.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Null_options_and_null_data_throw_ArgumentNullException()
    {
        var options = () => new KMeans(null!);
        options.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("options");

        var data = () => Estimator().Fit((DataMatrix)null!);
        data.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_data_names_row_and_column(double bad, string text)
    {
        var x = TestData.Faithful();
        x[12, 1] = bad;
        var act = () => Estimator().Fit(x);
        act.Should().ThrowExactly<ArgumentException>().WithMessage($"*{text}*row 12*column 1*").And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Fewer_rows_than_clusters_names_both_counts()
    {
        var act = () => Estimator(4).Fit(new double[,] { { 1, 2 }, { 2, 3 }, { 3, 4 } });
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*3 rows*ClusterCount is 4*at least 4 rows or lower ClusterCount*")
            .And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Bad_sample_weights_name_the_problem()
    {
        var x = TestData.Faithful();
        var shortWeights = () => Estimator().Fit(x, new double[3]);
        shortWeights.Should().ThrowExactly<ArgumentException>().WithMessage("*3 values*272 rows*").And.ParamName.Should().Be("sampleWeights");

        var negative = Enumerable.Repeat(1.0, 272).ToArray();
        negative[5] = -2;
        var negativeWeights = () => Estimator().Fit(x, negative);
        negativeWeights.Should().ThrowExactly<ArgumentException>().WithMessage("*sampleWeights[5] = -2*").And.ParamName.Should().Be("sampleWeights");

        var zeros = () => Estimator().Fit(x, new double[272]);
        zeros.Should().ThrowExactly<ArgumentException>().WithMessage("*sum to 0*positive weight*").And.ParamName.Should().Be("sampleWeights");
    }

    [Fact]
    public void Predict_with_another_column_count_names_both_counts()
    {
        var model = Estimator(2).Fit(TestData.Faithful());
        var act = () => model.Predict(TestData.Iris(out _));
        act.Should().ThrowExactly<ArgumentException>().WithMessage("*4 columns*fitted on 2*").And.ParamName.Should().Be("data");

        var nan = TestData.Faithful();
        nan[0, 0] = double.NaN;
        var nanAct = () => model.Predict(nan);
        nanAct.Should().ThrowExactly<ArgumentException>().WithMessage("*row 0*column 0*");
    }

    [Fact]
    public void Fewer_distinct_rows_than_clusters_gives_finite_centres()
    {
        var x = new double[,] { { 1, 1 }, { 1, 1 }, { 1, 1 }, { 5, 5 }, { 5, 5 } };
        var model = Estimator(3).Fit(x);
        model.GetCenters().Enumerate().Should().OnlyContain(v => double.IsFinite(v));
        model.Inertia.Should().Be(0);
        model.Labels[0].Should().NotBe(model.Labels[3]);
    }

    [Fact]
    public void All_rows_identical_gives_zero_inertia()
    {
        var x = new double[,] { { 2, 3 }, { 2, 3 }, { 2, 3 }, { 2, 3 } };
        var model = Estimator(2).Fit(x);
        model.GetCenters().Enumerate().Should().OnlyContain(v => double.IsFinite(v));
        model.Inertia.Should().Be(0);
    }

    [Fact]
    public void Data_whose_squared_distances_overflow_gives_finite_centres_or_a_clear_exception()
    {
        // Squared distances of 1e160-sized values overflow to +∞; k-means++ must not pick an invalid row.
        var x = new double[,] { { 1e160, 0 }, { -1e160, 1 }, { 3e160, 2 }, { 2.5e160, 2 } };
        try
        {
            var model = Estimator(2).Fit(x);
            model.GetCenters().Enumerate().Should().OnlyContain(v => double.IsFinite(v));
            model.Labels.Should().OnlyContain(label => label == 0 || label == 1);
        }
        catch (ArgumentException e) when (e.ParamName == "data")
        {
            e.Message.Should().Contain("scale");
        }
    }

    [Fact]
    public void Data_is_not_mutated()
    {
        var x = TestData.Faithful();
        var copy = (double[,])x.Clone();
        var weights = Enumerable.Range(0, 272).Select(i => (double)(i % 3)).ToArray();
        var weightsCopy = (double[])weights.Clone();
        var model = Estimator(2).Fit(x, weights);
        model.Predict(x);
        x.Should().BeEquivalentTo(copy, o => o.WithStrictOrdering());
        weights.Should().Equal(weightsCopy);
    }
}
