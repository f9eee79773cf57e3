using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// Degenerate data must give a valid model (finite parameters, weights summing to 1, finite densities and
/// responsibilities) or, without regularisation, a <see cref="CovarianceNotPositiveDefiniteException"/> that says
/// what to do. Shifting and scaling the data must change the fit only as the mathematics says.
/// </summary>
public sealed class GaussianMixtureDegenerateDataTests
{
    public static TheoryData<CovarianceType> Types() =>
        new(CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical);

    private static GaussianMixtureModel Fit(double[,] x, int k, CovarianceType type, double regularization = 1e-6, double[]? sampleWeights = null) =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, CovarianceRegularization = regularization }).Fit(x, sampleWeights);

    /// <summary>Every parameter finite, weights a distribution, densities and responsibilities finite on the data.</summary>
    private static void AssertValid(GaussianMixtureModel model, double[,] x)
    {
        int k = model.ComponentCount, d = model.Dimension;
        d.Should().Be(x.GetLength(1));
        model.Weights.Should().HaveCount(k).And.OnlyContain(w => double.IsFinite(w) && w >= 0);
        model.Weights.Sum().Should().BeApproximately(1.0, 1e-12);
        for (int c = 0; c < k; c++)
        {
            model.Components[c].Mean.ToArray().Should().OnlyContain(v => double.IsFinite(v), "mean {0} must be finite", c);
            var covariance = model.GetCovariance(c);
            covariance.Enumerate().Should().OnlyContain(v => double.IsFinite(v), "covariance {0} must be finite", c);
            model.GetPrecision(c).Enumerate().Should().OnlyContain(v => double.IsFinite(v), "precision {0} must be finite", c);
            for (int i = 0; i < d; i++)
            {
                covariance[i, i].Should().BePositive();
            }
        }

        double.IsFinite(model.LowerBound).Should().BeTrue();
        double.IsFinite(model.Report.TrainingLogLikelihood).Should().BeTrue();
        double.IsFinite(model.MeanLogLikelihood(x)).Should().BeTrue();
        model.LogDensity(x).Should().OnlyContain(v => double.IsFinite(v));
        var probabilities = model.PredictProbabilities(x);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            double sum = 0;
            for (int c = 0; c < k; c++)
            {
                double.IsFinite(probabilities[n, c]).Should().BeTrue();
                sum += probabilities[n, c];
            }

            sum.Should().BeApproximately(1.0, 1e-12);
        }

        model.Predict(x).Should().OnlyContain(label => label >= 0 && label < k).And.Equal(model.TrainingLabels);
    }

    private static double[,] Repeat(double[] row, int count)
    {
        var x = new double[count, row.Length];
        for (int n = 0; n < count; n++)
        {
            for (int j = 0; j < row.Length; j++)
            {
                x[n, j] = row[j];
            }
        }

        return x;
    }

    /// <summary>10 rows, only two distinct: 7 × (1, 2) and 3 × (4, −1).</summary>
    private static double[,] TwoDistinctRows()
    {
        var x = new double[10, 2];
        for (int n = 0; n < 10; n++)
        {
            (x[n, 0], x[n, 1]) = n % 3 == 0 ? (4.0, -1.0) : (1.0, 2.0);
        }

        return x;
    }

    private static double[,] Map(double[,] x, Func<double, double> f)
    {
        var result = (double[,])x.Clone();
        for (int n = 0; n < x.GetLength(0); n++)
        {
            for (int j = 0; j < x.GetLength(1); j++)
            {
                result[n, j] = f(x[n, j]);
            }
        }

        return result;
    }

    // ---- degenerate data with the default regularisation: a valid model -----------------------------------------

    [Theory]
    [MemberData(nameof(Types))]
    public void All_rows_identical_gives_a_valid_model(CovarianceType type)
    {
        var x = Repeat([1.5, -2.0, 3.0], 20);
        foreach (int k in new[] { 1, 2, 3 })
        {
            var model = Fit(x, k, type);
            AssertValid(model, x);
            for (int c = 0; c < k; c++)
            {
                model.Components[c].Mean.ToArray().Should().Equal(1.5, -2.0, 3.0);
            }

            // The covariance is the regularisation alone.
            model.GetCovariance(0).Diagonal().Should().OnlyContain(v => Math.Abs(v - 1e-6) < 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_constant_column_gives_a_valid_model(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            x[n, 1] = 3.0;
        }

        var model = Fit(x, 3, type);
        AssertValid(model, x);
        for (int c = 0; c < 3; c++)
        {
            model.Components[c].Mean[1].Should().BeApproximately(3.0, 1e-12);
        }

        if (type is CovarianceType.Full or CovarianceType.Diagonal)
        {
            for (int c = 0; c < 3; c++)
            {
                model.GetCovariance(c)[1, 1].Should().BeApproximately(1e-6, 1e-12, "the constant column has only the regularisation as variance");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Duplicated_points_give_the_same_fit_as_the_original_points(CovarianceType type)
    {
        var x = TestData.Faithful();
        int n = x.GetLength(0), d = x.GetLength(1);
        var tripled = new double[3 * n, d];
        for (int r = 0; r < 3 * n; r++)
        {
            for (int j = 0; j < d; j++)
            {
                tripled[r, j] = x[r % n, j];
            }
        }

        var options = new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceType = type,
            Tolerance = 0,
            MaxIterations = 30,
            InitialWeights = [0.5, 0.5],
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays([x[0, 0], x[0, 1]], [x[1, 0], x[1, 1]]),
        };
        var original = new GaussianMixture(options).Fit(x);
        var duplicated = new GaussianMixture(options).Fit(tripled);
        AssertValid(duplicated, tripled);
        duplicated.LowerBound.Should().BeApproximately(original.LowerBound, 1e-10);
        for (int c = 0; c < 2; c++)
        {
            duplicated.Weights[c].Should().BeApproximately(original.Weights[c], 1e-10);
            for (int j = 0; j < d; j++)
            {
                duplicated.Components[c].Mean[j].Should().BeApproximately(original.Components[c].Mean[j], 1e-9);
            }
        }

        duplicated.Predict(x).Should().Equal(original.Predict(x));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void More_columns_than_rows_gives_a_valid_model(CovarianceType type)
    {
        var random = new Random(17);
        var x = new double[6, 10];
        for (int n = 0; n < 6; n++)
        {
            for (int j = 0; j < 10; j++)
            {
                x[n, j] = (n < 3 ? 0.0 : 5.0) + random.NextDouble();
            }
        }

        var model = Fit(x, 2, type);
        AssertValid(model, x);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Fewer_distinct_rows_than_components_gives_a_valid_model(CovarianceType type)
    {
        var x = TwoDistinctRows();
        var model = Fit(x, 3, type);
        AssertValid(model, x);
        var labels = model.Predict(x);
        for (int n = 1; n < 10; n++)
        {
            bool same = x[n, 0] == x[0, 0];
            (labels[n] == labels[0]).Should().Be(same, "identical rows share a label and the two distinct rows are separated");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_component_that_loses_all_its_points_stays_finite(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var means = Matrix<double>.Build.DenseOfRowArrays(
            [x[0, 0], x[0, 1], x[0, 2], x[0, 3]],
            [1e3, -1e3, 1e3, 1e3],
            [x[100, 0], x[100, 1], x[100, 2], x[100, 3]]);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, InitialMeans = means, MaxIterations = 50 }).Fit(x);

        AssertValid(model, x);
        model.Weights[1].Should().BeLessThan(1e-10, "no row is anywhere near the far-away starting mean");
        model.Predict(x).Should().NotContain(1);
        var probabilities = model.PredictProbabilities(x);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            probabilities[n, 1].Should().BeLessThan(1e-10);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_component_emptied_by_explicit_start_stays_finite(CovarianceType type)
    {
        // All three starting parameters given: the far component never receives any responsibility.
        var x = TestData.Faithful();
        var precision = Matrix<double>.Build.DenseIdentity(2);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceType = type,
            InitialWeights = [0.5, 0.5],
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays([3.0, 70.0], [-1e4, -1e4]),
            InitialPrecisions = type == CovarianceType.Tied ? [precision] : [precision, precision],
        }).Fit(x);
        AssertValid(model, x);
        model.Weights[1].Should().BeLessThan(1e-10);
    }

    // ---- shift and scale -------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Types))]
    public void Offset_by_a_million_gives_the_same_labels_and_likelihood(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var shifted = Map(x, v => v + 1e6);
        var reference = Fit(x, 3, type);
        var model = Fit(shifted, 3, type);
        AssertValid(model, shifted);

        model.Predict(shifted).Should().Equal(reference.Predict(x));
        double expected = reference.MeanLogLikelihood(x);
        model.MeanLogLikelihood(shifted).Should().BeApproximately(expected, 1e-6 * Math.Abs(expected));
        model.LowerBound.Should().BeApproximately(reference.LowerBound, 1e-6 * Math.Abs(reference.LowerBound));
        for (int c = 0; c < 3; c++)
        {
            model.Weights[c].Should().BeApproximately(reference.Weights[c], 1e-6);
            for (int j = 0; j < 4; j++)
            {
                (model.Components[c].Mean[j] - 1e6).Should().BeApproximately(reference.Components[c].Mean[j], 1e-6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Offset_data_with_tiny_spread_keeps_its_covariance(CovarianceType type)
    {
        // Values 1e6 + O(1e-3): the naive E[x²] − μ² would lose every digit of the variance.
        var random = new Random(5);
        var x = new double[200, 2];
        for (int n = 0; n < 200; n++)
        {
            x[n, 0] = 1e6 + (1e-3 * (random.NextDouble() - 0.5)) + (n < 100 ? 0 : 1e-2);
            x[n, 1] = 1e6 + (1e-3 * (random.NextDouble() - 0.5));
        }

        var model = Fit(x, 2, type, regularization: 1e-12);
        AssertValid(model, x);
        for (int c = 0; c < 2; c++)
        {
            var variance = model.GetCovariance(c)[1, 1];
            variance.Should().BeInRange(1e-8, 2e-7, "the spread of column 1 is uniform on a width of 1e-3, variance ≈ 8.3e-8");
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full, 1e-6)]
    [InlineData(CovarianceType.Tied, 1e-6)]
    [InlineData(CovarianceType.Diagonal, 1e-6)]
    [InlineData(CovarianceType.Spherical, 1e-6)]
    [InlineData(CovarianceType.Full, 1e6)]
    [InlineData(CovarianceType.Tied, 1e6)]
    [InlineData(CovarianceType.Diagonal, 1e6)]
    [InlineData(CovarianceType.Spherical, 1e6)]
    public void Scaling_by_c_with_regularisation_scaled_by_c_squared_shifts_the_log_likelihood_by_minus_D_ln_c(CovarianceType type, double c)
    {
        var x = TestData.Iris(out _);
        int d = x.GetLength(1);
        var scaled = Map(x, v => v * c);
        var reference = Fit(x, 3, type, regularization: 1e-6);
        var model = Fit(scaled, 3, type, regularization: 1e-6 * c * c);
        AssertValid(model, scaled);

        model.Predict(scaled).Should().Equal(reference.Predict(x));
        double expected = reference.MeanLogLikelihood(x) - (d * Math.Log(c));
        model.MeanLogLikelihood(scaled).Should().BeApproximately(expected, 1e-6 * Math.Max(1, Math.Abs(expected)));
        double expectedBound = reference.LowerBound - (d * Math.Log(c));
        model.LowerBound.Should().BeApproximately(expectedBound, 1e-6 * Math.Max(1, Math.Abs(expectedBound)));
        for (int k = 0; k < 3; k++)
        {
            model.Weights[k].Should().BeApproximately(reference.Weights[k], 1e-8);
            var covariance = model.GetCovariance(k) / (c * c);
            var referenceCovariance = reference.GetCovariance(k);
            for (int i = 0; i < d; i++)
            {
                model.Components[k].Mean[i].Should().BeApproximately(reference.Components[k].Mean[i] * c, 1e-8 * c * 10);
                for (int j = 0; j < d; j++)
                {
                    covariance[i, j].Should().BeApproximately(referenceCovariance[i, j], 1e-8);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Far_away_query_rows_give_finite_probabilities_summing_to_one(CovarianceType type)
    {
        // Finite rows so far from every component that the joint log-densities are huge (≈ −1e301, where log K is
        // below their rounding) or underflow to −∞ (≈ −1e420). Responsibilities must still be a distribution.
        var model = Fit(TestData.Iris(out _), 3, type);
        var far = new double[,] { { 1e150, 1e150, 1e150, 1e150 }, { 1e200, 1e200, 1e200, 1e200 }, { -1e300, 0, 0, 0 }, { 1e10, 1e10, 1e10, 1e10 } };
        model.LogDensity(far).Should().OnlyContain(v => !double.IsNaN(v) && v < 0);
        model.Predict(far).Should().OnlyContain(label => label >= 0 && label < 3);
        var probabilities = model.PredictProbabilities(far);
        for (int n = 0; n < far.GetLength(0); n++)
        {
            double sum = 0;
            for (int c = 0; c < 3; c++)
            {
                double.IsFinite(probabilities[n, c]).Should().BeTrue("row {0} is finite, so its responsibilities must be too", n);
                sum += probabilities[n, c];
            }

            sum.Should().BeApproximately(1.0, 1e-12, "the responsibilities of row {0} must sum to 1", n);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Data_whose_squares_overflow_gives_a_clear_exception(CovarianceType type)
    {
        // Iris × 1e160: every squared distance and variance overflows double. No finite model exists, so the fit must
        // fail with a typed exception that tells the user to scale the data, not with an internal index error.
        var x = Map(TestData.Iris(out _), v => v * 1e160);
        var act = () => Fit(x, 3, type);
        var thrown = act.Should().Throw<Exception>().Which;
        thrown.Should().Match<Exception>(e => e is CovarianceNotPositiveDefiniteException || (e is ArgumentException && ((ArgumentException)e).ParamName == "data"));
        thrown.Message.Should().Contain("scale");
    }

    // ---- collapse without regularisation: the typed exception ----------------------------------------------

    [Theory]
    [MemberData(nameof(Types))]
    public void Identical_rows_with_a_covariance_prior_get_the_prior_floor_instead_of_a_collapse(CovarianceType type)
    {
        // The scatter of identical rows is 0, so the posterior covariance is exactly α·s₀·I / (N + α) (no reg_covar).
        var x = Repeat([1.5, -2.0, 3.0], 20);
        var prior = new CovariancePrior(2, 0.3);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 1, CovarianceType = type, CovarianceRegularization = 0, CovariancePrior = prior }).Fit(x);

        AssertValid(model, x);
        var covariance = model.Components[0].GetCovariance();
        double floor = 2 * 0.3 / (20 + 2);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                covariance[i, j].Should().BeApproximately(i == j ? floor : 0, 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Identical_rows_without_regularisation_throw_CovarianceNotPositiveDefinite(CovarianceType type)
    {
        var x = Repeat([1.5, -2.0, 3.0], 20);
        var act = () => Fit(x, 1, type, regularization: 0);
        var thrown = act.Should().ThrowExactly<CovarianceNotPositiveDefiniteException>()
            .WithMessage("*not positive definite*CovarianceRegularization*= 0*Increase CovarianceRegularization*CovariancePrior*fewer components*scale the data*")
            .Which;
        thrown.Regularization.Should().Be(0);
        thrown.ComponentIndex.Should().Be(type == CovarianceType.Tied ? -1 : 0);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void More_components_than_distinct_rows_without_regularisation_throw(CovarianceType type)
    {
        var x = TwoDistinctRows();
        var act = () => Fit(x, 3, type, regularization: 0);
        act.Should().ThrowExactly<CovarianceNotPositiveDefiniteException>()
            .WithMessage("*Increase CovarianceRegularization*fewer components*scale the data*");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Components_collapsing_onto_single_points_without_regularisation_throw(CovarianceType type)
    {
        // Two distinct rows and two components: each component sits on one point with zero spread.
        var x = TwoDistinctRows();
        var act = () => Fit(x, 2, type, regularization: 0);
        act.Should().ThrowExactly<CovarianceNotPositiveDefiniteException>()
            .WithMessage("*Increase CovarianceRegularization*");
    }

    [Fact]
    public void A_constant_column_without_regularisation_throws_for_full_and_diagonal()
    {
        var x = TestData.Faithful();
        for (int n = 0; n < x.GetLength(0); n++)
        {
            x[n, 0] = 2.0;
        }

        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal })
        {
            var act = () => Fit(x, 2, type, regularization: 0);
            act.Should().ThrowExactly<CovarianceNotPositiveDefiniteException>("a zero-variance column is singular for {0}", type);
        }

        // A spherical variance averages the columns, so the constant column alone does not collapse it.
        AssertValid(Fit(x, 2, CovarianceType.Spherical, regularization: 0), x);
    }

    [Fact]
    public void A_failed_fit_does_not_replace_the_previous_model()
    {
        var gm = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 1, CovarianceRegularization = 0 });
        var good = gm.Fit(TestData.Faithful());
        var act = () => gm.Fit(Repeat([1.0, 2.0], 5));
        act.Should().Throw<CovarianceNotPositiveDefiniteException>();
        gm.FittedModel.Should().BeSameAs(good);
    }

    // ---- inputs are never mutated ------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Types))]
    public void Inputs_are_never_mutated(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var xCopy = (double[,])x.Clone();
        var sampleWeights = Enumerable.Range(0, x.GetLength(0)).Select(i => 1.0 + (i % 4)).ToArray();
        var weightsCopy = (double[])sampleWeights.Clone();
        double[] initialWeights = [0.2, 0.3, 0.5];
        var means = Matrix<double>.Build.DenseOfRowArrays([5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]);
        var meansCopy = means.Clone();
        var precision = Matrix<double>.Build.DenseOfDiagonalArray([4.0, 4.0, 4.0, 4.0]);
        var precisions = type == CovarianceType.Tied ? new List<Matrix<double>> { precision } : [precision, precision.Clone(), precision.Clone()];
        var precisionsCopy = precisions.Select(p => p.Clone()).ToList();
        var options = new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            InitialWeights = initialWeights,
            InitialMeans = means,
            InitialPrecisions = precisions,
            MaxIterations = 20,
        };

        var model = new GaussianMixture(options).Fit(x, sampleWeights);
        model.Predict(x);
        model.PredictProbabilities(x);
        model.LogDensity(x);
        model.MeanLogLikelihood(x, sampleWeights);
        model.BayesianInformationCriterion(x, sampleWeights);

        x.Should().BeEquivalentTo(xCopy, o => o.WithStrictOrdering());
        sampleWeights.Should().Equal(weightsCopy);
        initialWeights.Should().Equal(0.2, 0.3, 0.5);
        means.Should().Be(meansCopy);
        for (int i = 0; i < precisions.Count; i++)
        {
            precisions[i].Should().Be(precisionsCopy[i]);
        }
    }

    [Fact]
    public void Row_major_memory_is_never_written()
    {
        var iris = TestData.Iris(out _);
        var values = new double[iris.Length];
        Buffer.BlockCopy(iris, 0, values, 0, values.Length * sizeof(double));
        var copy = (double[])values.Clone();
        var data = DataMatrix.FromRowMajor(values, 4);
        foreach (CovarianceType type in Enum.GetValues<CovarianceType>())
        {
            var model = new GaussianMixture(3, type).Fit(data);
            model.Predict(data);
            model.PredictProbabilities(data);
        }

        values.Should().Equal(copy);
    }
}
