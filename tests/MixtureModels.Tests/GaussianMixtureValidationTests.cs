using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// Bad input to the Gaussian mixture must fail with a typed exception whose message names the parameter, the bad
/// value and the fix; the tests check the type, <see cref="ArgumentException.ParamName"/> and the message.
/// </summary>
public sealed class GaussianMixtureValidationTests
{
    private static readonly Matrix<double> Identity4 = Matrix<double>.Build.DenseIdentity(4);

    private static double[,] Iris() => TestData.Iris(out _);

    private static GaussianMixture Estimator(int k = 3, CovarianceType type = CovarianceType.Full) =>
        new(new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, MaxIterations = 5 });

    private static GaussianMixtureModel FittedIris() => Estimator().Fit(Iris());

    // ---- data ------------------------------------------------------------------------------------------------

    [Fact]
    public void Null_data_matrix_throws_ArgumentNullException_naming_data()
    {
        var act = () => Estimator().Fit((DataMatrix)null!);
        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Null_rectangular_array_throws_ArgumentNullException_naming_data()
    {
        var act = () => Estimator().Fit((double[,])null!);
        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Null_jagged_array_and_null_row_throw_ArgumentNullException()
    {
        var nullArray = () => Estimator().Fit((double[][])null!);
        nullArray.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");

        var nullRow = () => Estimator(1).Fit(new[] { new[] { 1.0, 2.0 }, null!, new[] { 3.0, 4.0 } });
        nullRow.Should().ThrowExactly<ArgumentNullException>()
            .WithMessage("*row 1*null*")
            .And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Null_matrix_throws_ArgumentNullException()
    {
        var act = () => Estimator().Fit((Matrix<double>)null!);
        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");
    }

    [Theory]
    [InlineData(0, 4, "*0 × 4*at least one row*")]
    [InlineData(5, 0, "*5 × 0*one column*")]
    [InlineData(0, 0, "*0 × 0*")]
    public void Empty_rectangular_array_throws_ArgumentException_with_shape(int rows, int columns, string message)
    {
        var act = () => Estimator(1).Fit(new double[rows, columns]);
        act.Should().ThrowExactly<ArgumentException>().WithMessage(message).And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Empty_jagged_array_throws_ArgumentException()
    {
        var noRows = () => Estimator(1).Fit(Array.Empty<double[]>());
        noRows.Should().ThrowExactly<ArgumentException>().WithMessage("*0 rows*at least one row*").And.ParamName.Should().Be("data");

        var noColumns = () => Estimator(1).Fit(new[] { Array.Empty<double>(), Array.Empty<double>() });
        noColumns.Should().ThrowExactly<ArgumentException>().WithMessage("*2 × 0*").And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Ragged_jagged_array_names_the_row_and_both_lengths()
    {
        var data = new[] { new[] { 1.0, 2.0, 3.0 }, new[] { 4.0, 5.0, 6.0 }, new[] { 7.0, 8.0 }, new[] { 1.0, 1.0, 1.0 } };
        var act = () => Estimator(1).Fit(data);
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*ragged*row 2 has 2 values*row 0 has 3*same number of columns*")
            .And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Row_major_length_not_a_multiple_of_columns_throws()
    {
        // Three rows of three values plus one column too many in the last row: 10 values for 3 columns.
        var values = new double[10];
        var act = () => DataMatrix.FromRowMajor(values, 3);
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*length 10*not a positive multiple of columns = 3*")
            .And.ParamName.Should().Be("values");
    }

    [Fact]
    public void Row_major_empty_or_zero_columns_throws()
    {
        var empty = () => DataMatrix.FromRowMajor(Array.Empty<double>(), 2);
        empty.Should().ThrowExactly<ArgumentException>().WithMessage("*length 0*").And.ParamName.Should().Be("values");

        var zeroColumns = () => DataMatrix.FromRowMajor(new double[4], 0);
        zeroColumns.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage("*columns = 0*at least 1*")
            .And.ParamName.Should().Be("columns");
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Non_finite_value_in_training_data_names_row_and_column(double bad, string text)
    {
        var x = Iris();
        x[3, 1] = bad;
        var act = () => Estimator().Fit(x);
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"*{text}*row 3*column 1*Remove or impute*")
            .And.ParamName.Should().Be("data");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_value_in_query_data_names_row_and_column(double bad)
    {
        var model = FittedIris();
        var x = Iris();
        x[140, 2] = bad;
        foreach (var act in QueryActions(model, x))
        {
            act.Should().ThrowExactly<ArgumentException>()
                .WithMessage("*row 140*column 2*")
                .And.ParamName.Should().Be("data");
        }
    }

    [Fact]
    public void Non_finite_value_in_row_major_data_names_row_and_column()
    {
        var values = new double[12];
        values[7] = double.NaN; // row 2, column 1 of a 4 × 3 matrix
        var act = () => Estimator(1).Fit(DataMatrix.FromRowMajor(values, 3));
        act.Should().ThrowExactly<ArgumentException>().WithMessage("*NaN*row 2*column 1*");
    }

    [Fact]
    public void Fewer_rows_than_components_names_both_counts_and_the_fix()
    {
        var x = new double[,] { { 1, 2 }, { 3, 4 } };
        var act = () => Estimator(3).Fit(x);
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*2 rows*ComponentCount is 3*at least 3 rows or lower ComponentCount*")
            .And.ParamName.Should().Be("data");
    }

    // ---- options -----------------------------------------------------------------------------------------------

    public static TheoryData<string, Func<GaussianMixtureOptions>, string> BadOptions() => new()
    {
        { "ComponentCount", () => new GaussianMixtureOptions { ComponentCount = 0 }, "*ComponentCount = 0*at least one component*" },
        { "ComponentCount", () => new GaussianMixtureOptions { ComponentCount = -2 }, "*ComponentCount = -2*at least one component*" },
        { "Tolerance", () => new GaussianMixtureOptions { ComponentCount = 2, Tolerance = -1e-3 }, "*Tolerance = -0.001*non-negative*" },
        { "Tolerance", () => new GaussianMixtureOptions { ComponentCount = 2, Tolerance = double.NaN }, "*Tolerance = NaN*" },
        { "Tolerance", () => new GaussianMixtureOptions { ComponentCount = 2, Tolerance = double.PositiveInfinity }, "*Tolerance = Infinity*finite*" },
        { "CovarianceRegularization", () => new GaussianMixtureOptions { ComponentCount = 2, CovarianceRegularization = -1e-6 }, "*CovarianceRegularization = -1E-06*non-negative*" },
        { "CovarianceRegularization", () => new GaussianMixtureOptions { ComponentCount = 2, CovarianceRegularization = double.NaN }, "*CovarianceRegularization = NaN*" },
        { "InitializationCount", () => new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 0 }, "*InitializationCount = 0*at least one initialisation*" },
        { "MaxIterations", () => new GaussianMixtureOptions { ComponentCount = 2, MaxIterations = 0 }, "*MaxIterations = 0*at least one EM iteration*" },
        { "MaxIterations", () => new GaussianMixtureOptions { ComponentCount = 2, MaxIterations = -5 }, "*MaxIterations = -5*" },
        { "CovarianceType", () => new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = (CovarianceType)42 }, "*CovarianceType = 42*Full, Tied, Diagonal, Spherical*" },
        { "Initialization", () => new GaussianMixtureOptions { ComponentCount = 2, Initialization = (InitializationMethod)(-1) }, "*Initialization = -1*KMeans*" },
        { "MaxDegreeOfParallelism", () => new GaussianMixtureOptions { ComponentCount = 2, MaxDegreeOfParallelism = 0 }, "*MaxDegreeOfParallelism = 0*-1*" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_throws_ArgumentOutOfRangeException_naming_it(string parameter, Func<GaussianMixtureOptions> options, string message)
    {
        var opts = options();
        var act = () => new GaussianMixture(opts);
        act.Should().ThrowExactly<ArgumentOutOfRangeException>()
            .WithMessage(message)
            .And.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Convenience_constructor_validates_too()
    {
        var act = () => new GaussianMixture(0);
        act.Should().ThrowExactly<ArgumentOutOfRangeException>().And.ParamName.Should().Be("ComponentCount");

        var undefined = () => new GaussianMixture(2, (CovarianceType)7);
        undefined.Should().ThrowExactly<ArgumentOutOfRangeException>().And.ParamName.Should().Be("CovarianceType");
    }

    [Fact]
    public void Null_options_throw_ArgumentNullException()
    {
        var act = () => new GaussianMixture(null!);
        act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("options");
    }

    // ---- starting point ----------------------------------------------------------------------------------------

    private static GaussianMixture WithStart(
        CovarianceType type = CovarianceType.Full,
        IReadOnlyList<double>? weights = null,
        Matrix<double>? means = null,
        IReadOnlyList<Matrix<double>>? precisions = null) =>
        new(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            MaxIterations = 3,
            InitialWeights = weights,
            InitialMeans = means,
            InitialPrecisions = precisions,
        });

    [Fact]
    public void Initial_weights_of_wrong_length_name_both_counts()
    {
        var act = () => WithStart(weights: [0.5, 0.5]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialWeights has 2 values*3 components*one weight per component*")
            .And.ParamName.Should().Be("InitialWeights");
    }

    [Fact]
    public void Negative_initial_weight_names_its_index_and_value()
    {
        var act = () => WithStart(weights: [0.75, -0.25, 0.5]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialWeights[1] = -0.25*non-negative*")
            .And.ParamName.Should().Be("InitialWeights");
    }

    [Fact]
    public void NaN_initial_weight_names_its_index()
    {
        var act = () => WithStart(weights: [0.5, double.NaN, 0.5]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialWeights[1] = NaN*finite*")
            .And.ParamName.Should().Be("InitialWeights");
    }

    [Fact]
    public void Initial_weights_not_summing_to_one_give_the_sum_and_the_fix()
    {
        var act = () => WithStart(weights: [0.5, 0.25, 0.125]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialWeights sums to 0.875*not 1*Divide the weights by their sum*")
            .And.ParamName.Should().Be("InitialWeights");
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(3, 3)]
    [InlineData(4, 5)]
    public void Initial_means_of_wrong_shape_give_both_shapes(int rows, int columns)
    {
        var act = () => WithStart(means: Matrix<double>.Build.Dense(rows, columns, 1.0)).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage($"*InitialMeans is {rows} × {columns}*3 × 4*")
            .And.ParamName.Should().Be("InitialMeans");
    }

    [Fact]
    public void Non_finite_initial_mean_names_component_and_column()
    {
        var means = Matrix<double>.Build.Dense(3, 4, 5.0);
        means[1, 2] = double.NaN;
        var act = () => WithStart(means: means).Fit(Iris());

        // The message must locate the bad entry in the K × D matrix: component 1, column 2.
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialMeans[1, 2]*NaN*")
            .And.ParamName.Should().Be("InitialMeans");
    }

    [Fact]
    public void Wrong_number_of_initial_precisions_names_both_counts()
    {
        var full = () => WithStart(precisions: [Identity4, Identity4]).Fit(Iris());
        full.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions has 2 matrices*Full covariance needs 3*one precision matrix per component*")
            .And.ParamName.Should().Be("InitialPrecisions");

        var tied = () => WithStart(CovarianceType.Tied, precisions: [Identity4, Identity4, Identity4]).Fit(Iris());
        tied.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions has 3 matrices*Tied covariance needs 1*one shared precision matrix*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Null_initial_precision_names_its_index()
    {
        var act = () => WithStart(precisions: [Identity4, null!, Identity4]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentNullException>()
            .WithMessage("*InitialPrecisions[1] is null*4 × 4*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Initial_precision_of_wrong_size_names_the_matrix_and_both_sizes()
    {
        var act = () => WithStart(precisions: [Identity4, Matrix<double>.Build.DenseIdentity(3), Identity4]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[1]*3 × 3*4 columns*4 × 4*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Asymmetric_initial_precision_names_the_matrix_and_the_entries()
    {
        var asymmetric = Identity4.Clone();
        asymmetric[2, 0] = 0.5;
        var act = () => WithStart(precisions: [Identity4, asymmetric, Identity4]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[1]*not symmetric*[2, 0] = 0.5*[0, 2] = 0*symmetric positive-definite*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Indefinite_initial_precision_names_the_matrix_and_the_fix()
    {
        var indefinite = Identity4.Clone();
        indefinite[3, 3] = -1;
        var act = () => WithStart(precisions: [Identity4, Identity4, indefinite]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[2]*not positive definite*symmetric positive-definite*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Indefinite_tied_precision_throws()
    {
        var singular = Matrix<double>.Build.Dense(4, 4, 1.0); // rank 1
        var act = () => WithStart(CovarianceType.Tied, precisions: [singular]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions*not positive definite*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Non_finite_initial_precision_entry_is_named()
    {
        var bad = Identity4.Clone();
        bad[1, 1] = double.PositiveInfinity;
        var act = () => WithStart(precisions: [Identity4, Identity4, bad]).Fit(Iris());

        // The message must say which of the K matrices (2) and which entry ([1, 1]) is bad.
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[2]*[1, 1] = Infinity*not finite*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Non_diagonal_precision_for_diagonal_covariance_names_the_entry_and_the_fix()
    {
        var offDiagonal = Identity4.Clone();
        offDiagonal[0, 1] = offDiagonal[1, 0] = 0.25;
        var act = () => WithStart(CovarianceType.Diagonal, precisions: [Identity4, offDiagonal, Identity4]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[1][0, 1] = 0.25*Diagonal covariance needs diagonal*CovarianceType.Full*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Unequal_diagonal_precision_for_spherical_covariance_names_the_entries()
    {
        var diagonal = Matrix<double>.Build.DenseOfDiagonalArray([1.0, 1.0, 2.0, 1.0]);
        var act = () => WithStart(CovarianceType.Spherical, precisions: [Identity4, Identity4, diagonal]).Fit(Iris());
        act.Should().ThrowExactly<ArgumentException>()
            .WithMessage("*InitialPrecisions[2]*1 and 2*multiple of the identity*CovarianceType.Diagonal*")
            .And.ParamName.Should().Be("InitialPrecisions");
    }

    [Fact]
    public void Initial_means_with_too_many_columns_for_the_data_are_rejected_at_fit()
    {
        var means = Matrix<double>.Build.Dense(2, 3, 1.0);
        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitialMeans = means });
        var act = () => gm.Fit(TestData.Faithful());
        act.Should().ThrowExactly<ArgumentException>().WithMessage("*2 × 3*2 × 2*").And.ParamName.Should().Be("InitialMeans");
    }

    // ---- fitted state and queries ------------------------------------------------------------------------------

    [Fact]
    public void Fitted_model_before_fit_throws_NotFittedException_with_the_fix()
    {
        var gm = Estimator();
        var act = () => gm.FittedModel;
        act.Should().ThrowExactly<NotFittedException>()
            .WithMessage("*GaussianMixture has not been fitted*Call Fit(data) first*");
    }

    [Fact]
    public void Failed_fit_leaves_the_estimator_unfitted()
    {
        var gm = Estimator();
        var x = Iris();
        x[0, 0] = double.NaN;
        var fit = () => gm.Fit(x);
        fit.Should().Throw<ArgumentException>();
        var act = () => gm.FittedModel;
        act.Should().ThrowExactly<NotFittedException>();
    }

    private static IEnumerable<Action> QueryActions(GaussianMixtureModel model, DataMatrix x) =>
    [
        () => model.Predict(x),
        () => model.PredictProbabilities(x),
        () => model.LogDensity(x),
        () => model.MeanLogLikelihood(x),
        () => model.BayesianInformationCriterion(x),
        () => model.AkaikeInformationCriterion(x),
    ];

    [Fact]
    public void Queries_with_another_column_count_name_both_counts()
    {
        var model = FittedIris();
        foreach (var act in QueryActions(model, TestData.Faithful()))
        {
            act.Should().ThrowExactly<ArgumentException>()
                .WithMessage("*data has 2 columns*fitted on 4*same 4 columns*")
                .And.ParamName.Should().Be("data");
        }
    }

    [Fact]
    public void Queries_with_null_data_throw_ArgumentNullException()
    {
        var model = FittedIris();
        foreach (var act in QueryActions(model, null!))
        {
            act.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("data");
        }
    }

    [Fact]
    public void Warm_start_with_another_column_count_names_both_counts()
    {
        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, WarmStart = true, MaxIterations = 3 });
        gm.Fit(Iris());
        var act = () => gm.Fit(TestData.Faithful());
        act.Should().ThrowExactly<ArgumentException>().WithMessage("*2 columns*fitted on 4*").And.ParamName.Should().Be("data");
    }

    [Fact]
    public void Component_index_out_of_range_names_the_valid_range()
    {
        var model = FittedIris();
        var act = () => model.GetCovariance(3);
        act.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*component = 3*[0, 3)*").And.ParamName.Should().Be("component");
        var negative = () => model.GetPrecision(-1);
        negative.Should().ThrowExactly<ArgumentOutOfRangeException>().And.ParamName.Should().Be("component");
    }

    [Fact]
    public void Sample_count_below_one_and_null_random_throw()
    {
        var model = FittedIris();
        var zero = () => model.Sample(0, new Random(1));
        zero.Should().ThrowExactly<ArgumentOutOfRangeException>().WithMessage("*count = 0*at least one*").And.ParamName.Should().Be("count");
        var nullRandom = () => model.Sample(3, null!);
        nullRandom.Should().ThrowExactly<ArgumentNullException>().And.ParamName.Should().Be("random");
    }

    // ---- sample weights ----------------------------------------------------------------------------------------

    public static TheoryData<double[], string> BadSampleWeights()
    {
        var negative = Enumerable.Repeat(1.0, 150).ToArray();
        negative[7] = -1;
        var nan = Enumerable.Repeat(1.0, 150).ToArray();
        nan[9] = double.NaN;
        var infinite = Enumerable.Repeat(1.0, 150).ToArray();
        infinite[4] = double.PositiveInfinity;
        return new()
        {
            { new double[149], "*sampleWeights has 149 values*150 rows*one weight per row*" },
            { new double[151], "*sampleWeights has 151 values*150 rows*" },
            { negative, "*sampleWeights[7] = -1*finite and non-negative*" },
            { nan, "*sampleWeights[9] = NaN*finite and non-negative*" },
            { infinite, "*sampleWeights[4] = Infinity*finite*" },
            { new double[150], "*sampleWeights sum to 0*at least one row a positive weight*" },
        };
    }

    [Theory]
    [MemberData(nameof(BadSampleWeights))]
    public void Bad_sample_weights_in_fit_name_the_problem(double[] weights, string message)
    {
        var act = () => Estimator().Fit(Iris(), weights);
        act.Should().ThrowExactly<ArgumentException>().WithMessage(message).And.ParamName.Should().Be("sampleWeights");
    }

    [Theory]
    [MemberData(nameof(BadSampleWeights))]
    public void Bad_sample_weights_in_scoring_name_the_problem(double[] weights, string message)
    {
        var model = FittedIris();
        var mean = () => model.MeanLogLikelihood(Iris(), weights);
        mean.Should().ThrowExactly<ArgumentException>().WithMessage(message).And.ParamName.Should().Be("sampleWeights");
        var bic = () => model.BayesianInformationCriterion(Iris(), weights);
        bic.Should().ThrowExactly<ArgumentException>().WithMessage(message).And.ParamName.Should().Be("sampleWeights");
    }

    [Fact]
    public void Sample_weights_with_overflowing_sum_are_rejected()
    {
        var weights = Enumerable.Repeat(double.MaxValue, 150).ToArray();
        var act = () => Estimator().Fit(Iris(), weights);
        act.Should().ThrowExactly<ArgumentException>().WithMessage("*sum*finite*").And.ParamName.Should().Be("sampleWeights");
    }
}
