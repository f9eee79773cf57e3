namespace MixtureModels.Tests.Data;

public sealed class DeferredFiniteCheckTests
{
    private const int Rows = 20_000;
    private const int Columns = 3;

    private static readonly Lazy<GaussianMixtureModel> Model = new(() =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, Seed = 1, MaxIterations = 5 }).Fit(DataMatrix.FromRowMajor(Values(), Columns)));

    public static TheoryData<string, double> QueriesAndBadValues()
    {
        var data = new TheoryData<string, double>();
        foreach (string query in new[] { "LogDensity", "PredictProbabilities", "Predict" })
        {
            foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                data.Add(query, bad);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QueriesAndBadValues))]
    public void A_query_names_the_first_bad_entry_in_row_order_as_the_full_check_does(string query, double bad)
    {
        // Bad entries in the first row, the middle, the last row, and in several chunks of the pass at once.
        int length = Rows * Columns;
        var layouts = new[]
        {
            new[] { 0 },
            new[] { (Rows / 2 * Columns) + 1 },
            new[] { length - 1 },
            new[] { length - 1, (12_000 * Columns) + 2, (3_000 * Columns) + 1, (19_000 * Columns) },
            new[] { (17_500 * Columns) + 2, (9_000 * Columns) + 1 },
        };

        foreach (var positions in layouts)
        {
            var values = Values();
            foreach (int p in positions)
            {
                values[p] = bad;
            }

            values[length - 2] = double.NaN;
            var reference = DataMatrix.FromRowMajor(values, Columns).Invoking(d => d.EnsureFinite("data")).Should().Throw<ArgumentException>().Which;
            Action act = query switch
            {
                "LogDensity" => () => Model.Value.LogDensity(DataMatrix.FromRowMajor(values, Columns)),
                "PredictProbabilities" => () => Model.Value.PredictProbabilities(DataMatrix.FromRowMajor(values, Columns)),
                _ => () => Model.Value.Predict(DataMatrix.FromRowMajor(values, Columns)),
            };
            var thrown = act.Should().Throw<ArgumentException>().Which;
            thrown.Message.Should().Be(reference.Message);
            thrown.ParamName.Should().Be("data");
        }
    }

    [Theory]
    [InlineData("diag")]
    [InlineData("spherical")]
    [InlineData("tied")]
    [InlineData("student-t")]
    public void Every_kernel_family_names_the_first_bad_entry(string family)
    {
        var clean = DataMatrix.FromRowMajor(Values(), Columns);
        GaussianMixtureModel? gaussian = family switch
        {
            "diag" => Fit(CovarianceType.Diagonal),
            "spherical" => Fit(CovarianceType.Spherical),
            "tied" => Fit(CovarianceType.Tied),
            _ => null,
        };
        var studentT = gaussian is null ? new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 3, Seed = 1, MaxIterations = 3 }).Fit(clean) : null;
        var values = Values();
        values[(15_000 * Columns) + 1] = double.NegativeInfinity;
        values[(4_321 * Columns) + 2] = double.NaN;
        var data = DataMatrix.FromRowMajor(values, Columns);
        var queries = new Action[]
        {
            () => _ = gaussian?.LogDensity(data) ?? studentT!.LogDensity(data),
            () => _ = gaussian?.PredictProbabilities(data) ?? studentT!.PredictProbabilities(data),
            () => _ = gaussian?.Predict(data) ?? studentT!.Predict(data),
        };
        foreach (var query in queries)
        {
            query.Should().Throw<ArgumentException>().WithMessage("data contains NaN at row 4321, column 2. Remove or impute*");
        }

        (gaussian?.LogDensity(clean) ?? studentT!.LogDensity(clean)).Should().OnlyContain(v => double.IsFinite(v));

        GaussianMixtureModel Fit(CovarianceType type) =>
            new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 1, MaxIterations = 3 }).Fit(clean);
    }

    [Fact]
    public void A_library_copy_is_remembered_as_finite_only_after_a_clean_query()
    {
        var clean = DataMatrix.FromJagged(Jagged(Values()));
        clean.IsKnownFinite.Should().BeFalse();
        var first = Model.Value.LogDensity(clean);
        clean.IsKnownFinite.Should().BeTrue();
        Model.Value.LogDensity(clean).Should().Equal(first);

        var values = Values();
        values[(7_777 * Columns) + 2] = double.PositiveInfinity;
        var dirty = DataMatrix.FromJagged(Jagged(values));
        Model.Value.Invoking(m => m.Predict(dirty)).Should().Throw<ArgumentException>().WithMessage("data contains Infinity at row 7777, column 2.*");
        dirty.IsKnownFinite.Should().BeFalse();
        Model.Value.Invoking(m => m.PredictProbabilities(dirty)).Should().Throw<ArgumentException>().WithMessage("data contains Infinity at row 7777, column 2.*");
    }

    [Fact]
    public void Query_results_do_not_depend_on_where_finiteness_was_checked()
    {
        var values = Values();
        var view = DataMatrix.FromRowMajor(values, Columns);
        var checkedCopy = DataMatrix.FromJagged(Jagged(values));
        checkedCopy.EnsureFinite("data");
        var model = Model.Value;
        Bits(model.LogDensity(view)).Should().Equal(Bits(model.LogDensity(checkedCopy)));
        model.Predict(view).Should().Equal(model.Predict(checkedCopy));
        var p = model.PredictProbabilities(view);
        var q = model.PredictProbabilities(checkedCopy);
        Bits(p.Cast<double>().ToArray()).Should().Equal(Bits(q.Cast<double>().ToArray()));

        // Row by row, through the single-row query (its own check and path).
        for (int n = 0; n < Rows; n += 997)
        {
            model.Predict(values.AsSpan(n * Columns, Columns)).Should().Be(model.Predict(view)[n]);
        }
    }

    private static double[] Values()
    {
        var random = new Random(11);
        var values = new double[Rows * Columns];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((i / Columns) % 3 * 4.0) + random.NextDouble();
        }

        return values;
    }

    private static double[][] Jagged(double[] values) =>
        Enumerable.Range(0, Rows).Select(n => values.AsSpan(n * Columns, Columns).ToArray()).ToArray();

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
