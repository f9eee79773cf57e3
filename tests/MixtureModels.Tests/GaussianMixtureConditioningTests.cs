using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// Marginalize, Condition and Regress on fitted Gaussian mixtures, checked against the closed form written here with
/// MathNet matrices, brute-force numerical integration of the joint density, and Impute.
/// </summary>
public sealed class GaussianMixtureConditioningTests
{
    private const double LogTwoPi = 1.8378770664093454835606594728112;

    public static TheoryData<CovarianceType> AllTypes() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    private static GaussianMixtureModel FitIris(CovarianceType type, MissingValueHandling missing = MissingValueHandling.Reject) =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 7, MissingValues = missing }).Fit(TestData.Iris(out _));

    /// <summary>Iris columns 0 and 2 (sepal and petal length): two correlated columns with clear clusters.</summary>
    private static GaussianMixtureModel FitIris2D(CovarianceType type)
    {
        var iris = TestData.Iris(out _);
        var x = new double[iris.GetLength(0), 2];
        for (int i = 0; i < x.GetLength(0); i++)
        {
            x[i, 0] = iris[i, 0];
            x[i, 1] = iris[i, 2];
        }

        return new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 3 }).Fit(x);
    }

    private static Matrix<double> Sub(Matrix<double> m, int[] rows, int[] cols) => Matrix<double>.Build.Dense(rows.Length, cols.Length, (i, j) => m[rows[i], cols[j]]);

    private static Vector<double> Sub(Vector<double> v, int[] idx) => Vector<double>.Build.Dense(idx.Length, i => v[idx[i]]);

    private static double LogNormal(Vector<double> x, Vector<double> mean, Matrix<double> covariance)
    {
        var diff = x - mean;
        return -0.5 * ((x.Count * LogTwoPi) + Math.Log(covariance.Determinant()) + (diff * covariance.Inverse() * diff));
    }

    /// <summary>The textbook conditional mixture: weights, means and covariances per component, and the overall moments.</summary>
    private static (double[] Weights, Vector<double>[] Means, Matrix<double>[] Covariances, Vector<double> Mean, Matrix<double> Covariance) ClosedForm(
        GaussianMixtureModel model, int[] a, double[] values)
    {
        int d = model.Dimension, k = model.ComponentCount;
        int[] b = Enumerable.Range(0, d).Where(j => !a.Contains(j)).ToArray();
        var xa = Vector<double>.Build.DenseOfArray(values);
        var logW = new double[k];
        var means = new Vector<double>[k];
        var covs = new Matrix<double>[k];
        for (int c = 0; c < k; c++)
        {
            var mu = Vector<double>.Build.DenseOfArray(model.GetMeans().Row(c).ToArray());
            var sigma = model.GetCovariance(c);
            var saaInv = Sub(sigma, a, a).Inverse();
            var sba = Sub(sigma, b, a);
            logW[c] = Math.Log(model.Weights[c]) + LogNormal(xa, Sub(mu, a), Sub(sigma, a, a));
            means[c] = Sub(mu, b) + (sba * saaInv * (xa - Sub(mu, a)));
            covs[c] = Sub(sigma, b, b) - (sba * saaInv * sba.Transpose());
        }

        double max = logW.Max();
        double total = logW.Sum(l => Math.Exp(l - max));
        var w = logW.Select(l => Math.Exp(l - max) / total).ToArray();
        var mean = Vector<double>.Build.Dense(b.Length);
        for (int c = 0; c < k; c++)
        {
            mean += w[c] * means[c];
        }

        var second = Matrix<double>.Build.Dense(b.Length, b.Length);
        for (int c = 0; c < k; c++)
        {
            second += w[c] * (covs[c] + means[c].OuterProduct(means[c]));
        }

        return (w, means, covs, mean, second - mean.OuterProduct(mean));
    }

    private static void ShouldBeClose(Matrix<double> actual, Matrix<double> expected, double tolerance)
    {
        actual.RowCount.Should().Be(expected.RowCount);
        actual.ColumnCount.Should().Be(expected.ColumnCount);
        double scale = Math.Max(1, expected.Enumerate().Max(Math.Abs));
        (actual - expected).Enumerate().Max(Math.Abs).Should().BeLessThan(tolerance * scale);
    }

    private static void ShouldBeClose(IEnumerable<double> actual, IEnumerable<double> expected, double tolerance)
    {
        var x = actual.ToArray();
        var y = expected.ToArray();
        x.Length.Should().Be(y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            x[i].Should().BeApproximately(y[i], tolerance * Math.Max(1, Math.Abs(y[i])), $"entry {i}");
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Condition_equals_the_closed_form(CovarianceType type)
    {
        var model = FitIris(type);
        int[] a = [2, 0];
        double[] values = [4.4, 6.1];
        var conditional = model.Condition(a, values);
        var (w, means, covs, mean, covariance) = ClosedForm(model, a, values);

        conditional.Dimension.Should().Be(2);
        conditional.SourceColumns.Should().Equal(1, 3);
        conditional.CovarianceType.Should().Be(type);
        ShouldBeClose(conditional.Weights, w, 1e-10);
        for (int c = 0; c < model.ComponentCount; c++)
        {
            ShouldBeClose(conditional.Components[c].Mean.ToArray(), means[c], 1e-10);
            ShouldBeClose(conditional.GetCovariance(c), covs[c], 1e-10);
        }

        ShouldBeClose(conditional.GetMixtureMean(), mean, 1e-10);
        ShouldBeClose(conditional.GetMixtureCovariance(), covariance, 1e-10);
        if (type is CovarianceType.Diagonal or CovarianceType.Spherical)
        {
            // The conditional covariance of an axis-aligned component is its sub-block, unchanged; only the weights move.
            for (int c = 0; c < model.ComponentCount; c++)
            {
                conditional.Components[c].GetType().Should().Be(model.Components[c].GetType());
                conditional.GetCovariance(c).Should().Be(Sub(model.GetCovariance(c), [1, 3], [1, 3]));
                conditional.Components[c].Mean.ToArray().Should().Equal(model.Components[c].Mean[1], model.Components[c].Mean[3]);
            }
        }

        if (type == CovarianceType.Tied)
        {
            for (int c = 1; c < model.ComponentCount; c++)
            {
                conditional.GetCovariance(c).Should().Be(conditional.GetCovariance(0));
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Conditional_density_is_joint_over_marginal(CovarianceType type)
    {
        var model = FitIris(type);
        int[] a = [1, 3];
        double[] values = [3.1, 1.4];
        var conditional = model.Condition(a, values);
        var marginal = model.Marginalize(a);
        double logMarginal = marginal.LogDensity(new[,] { { values[0], values[1] } })[0];
        var rows = new double[5, 2];
        var joint = new double[5, 4];
        for (int i = 0; i < 5; i++)
        {
            rows[i, 0] = 4.5 + (0.6 * i);
            rows[i, 1] = 1.0 + (1.2 * i);
            joint[i, 0] = rows[i, 0];
            joint[i, 1] = values[0];
            joint[i, 2] = rows[i, 1];
            joint[i, 3] = values[1];
        }

        var logConditional = conditional.LogDensity(rows);
        var logJoint = model.LogDensity(joint);
        for (int i = 0; i < 5; i++)
        {
            logConditional[i].Should().BeApproximately(logJoint[i] - logMarginal, 1e-9 * Math.Max(1, Math.Abs(logJoint[i])));
        }

        // The derived mixture answers the fitted model's queries.
        var responsibilities = conditional.PredictProbabilities(rows);
        for (int i = 0; i < 5; i++)
        {
            Enumerable.Range(0, conditional.ComponentCount).Sum(k => responsibilities[i, k]).Should().BeApproximately(1, 1e-12);
        }

        conditional.Predict(rows).Should().HaveCount(5);
        var sample = conditional.Sample(10, new Random(1));
        sample.Rows.GetLength(1).Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Marginalize_takes_the_sub_blocks_and_keeps_the_shape(CovarianceType type)
    {
        var model = FitIris(type);
        int[] keep = [3, 1];
        var marginal = model.Marginalize(keep);
        marginal.Dimension.Should().Be(2);
        marginal.SourceColumns.Should().Equal(3, 1);
        marginal.CovarianceType.Should().Be(type);
        marginal.Weights.Should().Equal(model.Weights);
        for (int c = 0; c < model.ComponentCount; c++)
        {
            marginal.Components[c].GetType().Should().Be(model.Components[c].GetType());
            marginal.Components[c].Mean.ToArray().Should().Equal(model.Components[c].Mean[3], model.Components[c].Mean[1]);
            marginal.GetCovariance(c).Should().Be(Sub(model.GetCovariance(c), keep, keep));
        }

        // Closed form of the marginal density at a few points.
        var points = new double[,] { { 0.2, 3.0 }, { 1.3, 2.8 }, { 2.1, 3.3 } };
        var logDensity = marginal.LogDensity(points);
        for (int i = 0; i < 3; i++)
        {
            var x = Vector<double>.Build.Dense([points[i, 0], points[i, 1]]);
            double expected = Enumerable.Range(0, model.ComponentCount).Sum(c =>
                model.Weights[c] * Math.Exp(LogNormal(x, Vector<double>.Build.Dense([model.Components[c].Mean[3], model.Components[c].Mean[1]]), Sub(model.GetCovariance(c), keep, keep))));
            logDensity[i].Should().BeApproximately(Math.Log(expected), 1e-9);
        }

        // Parameter count: the family's, for K components of dimension 2.
        int k = model.ComponentCount;
        int expectedParameters = (k - 1) + type switch
        {
            CovarianceType.Full => k * (2 + 3),
            CovarianceType.Tied => (k * 2) + 3,
            CovarianceType.Diagonal => k * 4,
            _ => k * 3,
        };
        marginal.ParameterCount.Should().Be(expectedParameters);
    }

    /// <summary>Trapezoid rule for ∫ f over [lo, hi] with n intervals.</summary>
    private static double Integrate(Func<double, double> f, double lo, double hi, int n)
    {
        double h = (hi - lo) / n;
        double sum = 0.5 * (f(lo) + f(hi));
        for (int i = 1; i < n; i++)
        {
            sum += f(lo + (i * h));
        }

        return sum * h;
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Marginal_equals_the_joint_integrated_over_the_dropped_column(CovarianceType type)
    {
        var model = FitIris2D(type);
        var marginal = model.Marginalize([0]);
        foreach (double x0 in new[] { 4.6, 5.4, 6.3, 7.2 })
        {
            const int n = 4000;
            var grid = new double[n + 1, 2];
            double lo = -15, hi = 25;
            for (int i = 0; i <= n; i++)
            {
                grid[i, 0] = x0;
                grid[i, 1] = lo + ((hi - lo) * i / n);
            }

            var joint = model.LogDensity(grid);
            double integral = Integrate(x1 => Math.Exp(joint[(int)Math.Round((x1 - lo) / (hi - lo) * n)]), lo, hi, n);
            double expected = Math.Exp(marginal.LogDensity(new[,] { { x0 } })[0]);
            integral.Should().BeApproximately(expected, 1e-6 * expected, $"x0 = {x0}");
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Conditional_density_integrates_to_one_and_equals_joint_over_marginal_on_a_grid(CovarianceType type)
    {
        var model = FitIris2D(type);
        foreach (double x0 in new[] { 4.8, 5.9, 7.0 })
        {
            var conditional = model.Condition([0], [x0]);
            const int n = 4000;
            double lo = -15, hi = 25;
            var grid = new double[n + 1, 1];
            var jointGrid = new double[n + 1, 2];
            for (int i = 0; i <= n; i++)
            {
                grid[i, 0] = lo + ((hi - lo) * i / n);
                jointGrid[i, 0] = x0;
                jointGrid[i, 1] = grid[i, 0];
            }

            var logConditional = conditional.LogDensity(grid);
            var logJoint = model.LogDensity(jointGrid);
            double h = (hi - lo) / n;
            double total = 0, jointTotal = 0;
            for (int i = 0; i <= n; i++)
            {
                double end = i == 0 || i == n ? 0.5 : 1;
                total += end * Math.Exp(logConditional[i]) * h;
                jointTotal += end * Math.Exp(logJoint[i]) * h;
            }

            total.Should().BeApproximately(1, 1e-6);

            // Brute-force p(x1 | x0) = p(x0, x1) / ∫ p(x0, t) dt, independent of the marginal's closed form.
            for (int i = 0; i <= n; i += 97)
            {
                double brute = Math.Exp(logJoint[i]) / jointTotal;
                Math.Exp(logConditional[i]).Should().BeApproximately(brute, (1e-6 * brute) + 1e-300);
            }
        }
    }

    [Fact]
    public void Conditional_over_two_columns_integrates_to_one_in_three_dimensions()
    {
        var model = FitIris(CovarianceType.Full).Marginalize([0, 1, 2]);
        var conditional = model.Condition([1], [3.0]);
        const int n = 600;
        double lo0 = 2, hi0 = 10, lo2 = -3, hi2 = 10;
        double h0 = (hi0 - lo0) / n, h2 = (hi2 - lo2) / n;
        var grid = new double[(n + 1) * (n + 1), 2];
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= n; j++)
            {
                grid[(i * (n + 1)) + j, 0] = lo0 + (i * h0);
                grid[(i * (n + 1)) + j, 1] = lo2 + (j * h2);
            }
        }

        var logDensity = conditional.LogDensity(grid);
        double total = 0;
        for (int i = 0; i <= n; i++)
        {
            for (int j = 0; j <= n; j++)
            {
                double wi = i == 0 || i == n ? 0.5 : 1, wj = j == 0 || j == n ? 0.5 : 1;
                total += wi * wj * Math.Exp(logDensity[(i * (n + 1)) + j]);
            }
        }

        (total * h0 * h2).Should().BeApproximately(1, 1e-4);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Conditional_mean_given_all_but_one_column_equals_Impute(CovarianceType type)
    {
        var model = FitIris(type, MissingValueHandling.Marginalize);
        var iris = TestData.Iris(out _);
        foreach (int row in new[] { 0, 57, 101, 149 })
        {
            for (int missing = 0; missing < 4; missing++)
            {
                var observed = Enumerable.Range(0, 4).Where(j => j != missing).ToArray();
                var withHole = new double[1, 4];
                for (int j = 0; j < 4; j++)
                {
                    withHole[0, j] = j == missing ? double.NaN : iris[row, j];
                }

                double imputed = model.Impute(withHole)[0, missing];
                double mean = model.Condition(observed, observed.Select(j => iris[row, j]).ToArray()).GetMixtureMean()[0];
                mean.Should().BeApproximately(imputed, 1e-10 * Math.Max(1, Math.Abs(imputed)), $"row {row}, column {missing}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Regress_rows_equal_Condition_per_row(CovarianceType type)
    {
        var model = FitIris(type);
        var iris = TestData.Iris(out _);
        int[] a = [3, 1];
        int n = iris.GetLength(0);
        var inputs = new double[n, 2];
        for (int i = 0; i < n; i++)
        {
            inputs[i, 0] = iris[i, 3] + 0.05;
            inputs[i, 1] = iris[i, 1];
        }

        var regression = model.Regress(a, inputs, includeCovariances: true);
        regression.RowCount.Should().Be(n);
        regression.OutputColumns.Should().Equal(0, 2);
        regression.HasCovariances.Should().BeTrue();
        var means = regression.GetMeans();
        for (int i = 0; i < n; i++)
        {
            var conditional = model.Condition(a, [inputs[i, 0], inputs[i, 1]]);
            ShouldBeClose(means.Row(i), conditional.GetMixtureMean(), 1e-12);
            ShouldBeClose(regression.GetCovariance(i), conditional.GetMixtureCovariance(), 1e-12);
        }

        var meansOnly = model.Regress(a, inputs);
        meansOnly.HasCovariances.Should().BeFalse();
        meansOnly.GetMeans().Should().Be(means);
        var covariance = () => meansOnly.GetCovariance(0);
        covariance.Should().Throw<InvalidOperationException>().WithMessage("*includeCovariances: true*");
    }

    [Fact]
    public void Conditioning_a_marginal_equals_conditioning_the_model_then_marginalising()
    {
        var model = FitIris(CovarianceType.Full);
        var left = model.Marginalize([0, 1, 2]).Condition([1], [3.2]);
        var right = model.Condition([1], [3.2]).Marginalize([0, 1]);
        left.SourceColumns.Should().Equal(0, 2);
        right.SourceColumns.Should().Equal(0, 2);
        ShouldBeClose(left.Weights, right.Weights, 1e-10);
        ShouldBeClose(left.GetMixtureMean(), right.GetMixtureMean(), 1e-10);
        ShouldBeClose(left.GetMixtureCovariance(), right.GetMixtureCovariance(), 1e-10);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Concurrent_conditioning_of_one_model_gives_the_sequential_bits(CovarianceType type)
    {
        var model = FitIris(type);
        var expected = Enumerable.Range(0, 64).Select(i => model.Condition([0, 2], [4.5 + (0.05 * i), 1.0 + (0.08 * i)]).GetMixtureMean().ToArray()).ToArray();
        var actual = new double[64][];
        Parallel.For(0, 64, i => actual[i] = model.Condition([0, 2], [4.5 + (0.05 * i), 1.0 + (0.08 * i)]).GetMixtureMean().ToArray());
        for (int i = 0; i < 64; i++)
        {
            actual[i].Should().Equal(expected[i]);
        }
    }

    [Fact]
    public void Bad_columns_and_values_throw_typed_exceptions_that_name_the_fix()
    {
        var model = FitIris(CovarianceType.Full);
        model.Invoking(m => m.Marginalize(null!)).Should().Throw<ArgumentNullException>().WithParameterName("columns");
        model.Invoking(m => m.Marginalize([])).Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*empty*at least one*");
        model.Invoking(m => m.Marginalize([0, 1, 2, 3])).Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*all 4 columns*Leave at least one*");
        model.Invoking(m => m.Marginalize([0, 4])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns").WithMessage("*= 4*[0, 4)*");
        model.Invoking(m => m.Marginalize([-1])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns");
        model.Invoking(m => m.Condition([2, 1, 2], [1, 2, 3])).Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*columns[2] = 2 repeats columns[0]*once*");
        model.Invoking(m => m.Condition([0, 1], [1.0])).Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*1 entries*lists 2*");
        model.Invoking(m => m.Condition([0, 1], [1.0, double.NaN])).Should().Throw<ArgumentException>().WithParameterName("values").WithMessage("*values[1] = NaN*Marginalize*");
        model.Invoking(m => m.Regress([0, 1], new double[,] { { 1, 2, 3 } })).Should().Throw<ArgumentException>().WithParameterName("inputs").WithMessage("*3 columns*lists 2*");
        model.Invoking(m => m.Regress([0, 1], new double[,] { { 1, double.PositiveInfinity } })).Should().Throw<ArgumentException>().WithMessage("*Infinity*");
        model.Invoking(m => m.Regress([0, 1], null!)).Should().Throw<ArgumentNullException>().WithParameterName("inputs");
        model.Invoking(m => m.Condition([0], [5.0]).GetCovariance(3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("component");
    }
}
