using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.RootFinding;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests.Components.StudentT;

public sealed class StudentTMissingValueTests
{
    private static readonly double[] Mean = [1.0, -2.0, 0.5];

    private static Matrix<double> Scale() => Matrix<double>.Build.DenseOfArray(new[,]
    {
        { 2.0, 0.6, -0.4 },
        { 0.6, 1.5, 0.2 },
        { -0.4, 0.2, 0.8 },
    });

    /// <summary>The full t density written out with MathNet's inverse and determinant.</summary>
    private static double Density(double[] x, double[] mean, Matrix<double> scale, double nu)
    {
        int d = mean.Length;
        var diff = Vector<double>.Build.Dense(d, i => x[i] - mean[i]);
        double delta = diff * scale.Inverse() * diff;
        return Math.Exp(SpecialFunctions.GammaLn((nu + d) / 2) - SpecialFunctions.GammaLn(nu / 2) - (d / 2.0 * Math.Log(nu * Math.PI))
            - (0.5 * Math.Log(scale.Determinant())) - ((nu + d) / 2 * Math.Log(1 + (delta / nu))));
    }

    /// <summary>∫ f(x_m) dx_m over the real line by x_m = centre + w·tan θ and Simpson's rule on θ ∈ (−π/2, π/2).</summary>
    private static double Integrate(Func<double, double> f, double centre, double width)
    {
        const int intervals = 40000;
        double a = (-Math.PI / 2) + 1e-9, b = (Math.PI / 2) - 1e-9, h = (b - a) / intervals, sum = 0;
        for (int i = 0; i <= intervals; i++)
        {
            double theta = a + (i * h);
            double jacobian = width / (Math.Cos(theta) * Math.Cos(theta));
            double value = f(centre + (width * Math.Tan(theta))) * jacobian;
            sum += (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2) * value;
        }

        return sum * h / 3;
    }

    [Theory]
    [InlineData(0, 3.0)]
    [InlineData(1, 3.0)]
    [InlineData(2, 12.0)]
    public void Marginal_density_equals_the_joint_integrated_over_the_missing_entry(int missing, double nu)
    {
        var t = StudentTComponent.Create(Mean, Scale(), nu);
        double[] row = [0.4, -1.1, 1.3];
        row[missing] = double.NaN;
        var logp = new double[1];
        t.MarginalLogDensity(row, logp);
        double integral = Integrate(
            v =>
            {
                var x = (double[])row.Clone();
                x[missing] = v;
                return Density(x, Mean, Scale(), nu);
            },
            Mean[missing],
            2);
        logp[0].Should().BeApproximately(Math.Log(integral), 1e-7);
    }

    [Fact]
    public void Marginal_of_two_missing_entries_is_the_one_dimensional_t()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 4.5);
        double[] row = [double.NaN, -0.7, double.NaN];
        var logp = new double[1];
        t.MarginalLogDensity(row, logp);
        double expected = MathNet.Numerics.Distributions.StudentT.PDFLn(Mean[1], Math.Sqrt(Scale()[1, 1]), 4.5, -0.7);
        logp[0].Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Complete_rows_give_the_log_density_bits()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 6);
        double[] rows = [0.1, 0.2, 0.3, 4.0, -3.0, 1.0];
        var marginal = new double[2];
        var plain = new double[2];
        t.MarginalLogDensity(rows, marginal);
        t.LogDensity(rows, plain);
        marginal.Should().Equal(plain);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Conditional_mean_equals_the_numerical_conditional_expectation(int missing)
    {
        const double nu = 5;
        var t = StudentTComponent.Create(Mean, Scale(), nu);
        double[] row = [2.4, -0.1, -0.6];
        row[missing] = double.NaN;
        var completed = new double[3];
        t.ConditionalMean(row, completed);
        double Joint(double v)
        {
            var x = (double[])row.Clone();
            x[missing] = v;
            return Density(x, Mean, Scale(), nu);
        }

        double mass = Integrate(Joint, Mean[missing], 2);
        double first = Integrate(v => v * Joint(v), Mean[missing], 2);
        completed[missing].Should().BeApproximately(first / mass, 1e-6);
        for (int j = 0; j < 3; j++)
        {
            if (j != missing)
            {
                completed[j].Should().Be(row[j]);
            }
        }
    }

    [Fact]
    public void Bad_rows_are_named()
    {
        var t = StudentTComponent.Create(Mean, Scale(), 5);
        var allMissing = () => t.MarginalLogDensity(new[] { double.NaN, double.NaN, double.NaN }, new double[1]);
        allMissing.Should().Throw<ArgumentException>().WithParameterName("rows").Which.Message.Should().Contain("every entry missing");
        var infinite = () => t.ConditionalMean(new[] { double.PositiveInfinity, double.NaN, 1 }, new double[3]);
        infinite.Should().Throw<ArgumentException>().WithParameterName("row");
    }

    // ---------------------------------------------------------------- EM with missing values

    private static double[,] Data(int seed, double missingRate)
    {
        var random = new Random(seed);
        double[][] centres = [[0, 0, 0], [6, 2, -3]];
        var x = new double[160, 3];
        for (int n = 0; n < 160; n++)
        {
            var c = centres[n % 2];
            double g = n % 17 == 0 ? 0.05 : 1; // a few rows with a heavy tail
            double z0 = Normal(random), z1 = Normal(random), z2 = Normal(random);
            x[n, 0] = c[0] + (z0 / Math.Sqrt(g));
            x[n, 1] = c[1] + ((0.5 * z0) + z1) / Math.Sqrt(g);
            x[n, 2] = c[2] + ((-0.3 * z1) + (0.7 * z2)) / Math.Sqrt(g);
            int missingInRow = 0;
            for (int j = 0; j < 3; j++)
            {
                if (random.NextDouble() < missingRate && missingInRow < 2)
                {
                    x[n, j] = double.NaN;
                    missingInRow++;
                }
            }
        }

        return x;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static MixtureStart<StudentTComponent> Start(double nu) => new(
        [0.45, 0.55],
        [
            StudentTComponent.Create([0.5, 0.5, 0.5], Matrix<double>.Build.DenseIdentity(3) * 2, nu),
            StudentTComponent.Create([5.0, 1.0, -2.0], Matrix<double>.Build.DenseIdentity(3) * 3, nu),
        ]);

    private sealed record Reference(double[] Weights, double[][] Means, Matrix<double>[] Scales, double[] Nu, List<double> History);

    /// <summary>
    /// McLachlan and Peel's ECM for a t mixture with missing entries, written naively per row with MathNet sub-matrices,
    /// inverses and determinants: observed-data E-step, conditional expectations of the missing entries, and ν by Brent.
    /// </summary>
    private static Reference NaiveEm(double[,] x, MixtureStart<StudentTComponent> start, int iterations, DegreesOfFreedomEstimation mode, CovarianceType type, double reg)
    {
        int n = x.GetLength(0), d = x.GetLength(1), k = start.Weights!.Count;
        var weights = start.Weights.ToArray();
        var means = start.Components!.Select(c => c.Mean.ToArray()).ToArray();
        var scales = start.Components!.Select(c => c.GetScale()).ToArray();
        var nu = start.Components!.Select(c => c.DegreesOfFreedom).ToArray();
        var history = new List<double>();
        for (int it = 0; it < iterations; it++)
        {
            var logp = new double[n, k];
            var u = new double[n, k];
            var dig = new double[n, k];
            var xhat = new double[n, k][];
            var cond = new Matrix<double>[n, k];
            for (int c = 0; c < k; c++)
            {
                for (int i = 0; i < n; i++)
                {
                    var o = Enumerable.Range(0, d).Where(j => !double.IsNaN(x[i, j])).ToArray();
                    var m = Enumerable.Range(0, d).Where(j => double.IsNaN(x[i, j])).ToArray();
                    var soo = Matrix<double>.Build.Dense(o.Length, o.Length, (a, b) => scales[c][o[a], o[b]]);
                    var inv = soo.Inverse();
                    var diff = Vector<double>.Build.Dense(o.Length, a => x[i, o[a]] - means[c][o[a]]);
                    double delta = diff * inv * diff;
                    int q = o.Length;
                    logp[i, c] = Math.Log(weights[c]) + SpecialFunctions.GammaLn((nu[c] + q) / 2) - SpecialFunctions.GammaLn(nu[c] / 2)
                        - (q / 2.0 * Math.Log(nu[c] * Math.PI)) - (0.5 * Math.Log(soo.Determinant())) - ((nu[c] + q) / 2 * Math.Log(1 + (delta / nu[c])));
                    u[i, c] = (nu[c] + q) / (nu[c] + delta);
                    dig[i, c] = SpecialFunctions.DiGamma((nu[c] + q) / 2) - Math.Log((nu[c] + q) / 2);
                    var full = new double[d];
                    for (int j = 0; j < d; j++)
                    {
                        full[j] = x[i, j];
                    }

                    var cm = Matrix<double>.Build.Dense(d, d);
                    if (m.Length > 0)
                    {
                        var smo = Matrix<double>.Build.Dense(m.Length, o.Length, (a, b) => scales[c][m[a], o[b]]);
                        var smm = Matrix<double>.Build.Dense(m.Length, m.Length, (a, b) => scales[c][m[a], m[b]]);
                        var fill = smo * inv * diff;
                        var conditional = smm - (smo * inv * smo.Transpose());
                        for (int a = 0; a < m.Length; a++)
                        {
                            full[m[a]] = means[c][m[a]] + fill[a];
                            for (int b = 0; b < m.Length; b++)
                            {
                                cm[m[a], m[b]] = conditional[a, b];
                            }
                        }
                    }

                    xhat[i, c] = full;
                    cond[i, c] = cm;
                }
            }

            var r = new double[n, k];
            double ll = 0;
            for (int i = 0; i < n; i++)
            {
                double max = Enumerable.Range(0, k).Max(c => logp[i, c]);
                double lse = max + Math.Log(Enumerable.Range(0, k).Sum(c => Math.Exp(logp[i, c] - max)));
                ll += lse;
                for (int c = 0; c < k; c++)
                {
                    r[i, c] = Math.Exp(logp[i, c] - lse);
                }
            }

            history.Add(ll / n);
            var counts = new double[k];
            var nuData = new double[k];
            var newScales = new Matrix<double>[k];
            for (int c = 0; c < k; c++)
            {
                double nk = 0, uk = 0, term = 0;
                var mean = new double[d];
                for (int i = 0; i < n; i++)
                {
                    nk += r[i, c];
                    uk += r[i, c] * u[i, c];
                    term += r[i, c] * (Math.Log(u[i, c]) - u[i, c] + dig[i, c]);
                    for (int a = 0; a < d; a++)
                    {
                        mean[a] += r[i, c] * u[i, c] * xhat[i, c][a];
                    }
                }

                for (int a = 0; a < d; a++)
                {
                    mean[a] /= uk;
                }

                var scatter = Matrix<double>.Build.Dense(d, d);
                for (int i = 0; i < n; i++)
                {
                    var e = Vector<double>.Build.Dense(d, a => xhat[i, c][a] - mean[a]);
                    scatter += (e.OuterProduct(e) * (r[i, c] * u[i, c])) + (cond[i, c] * r[i, c]);
                }

                counts[c] = nk;
                nuData[c] = term;
                newScales[c] = scatter;
                means[c] = mean;
                weights[c] = nk / n;
            }

            var pooled = Matrix<double>.Build.Dense(d, d);
            for (int c = 0; c < k; c++)
            {
                pooled += newScales[c];
            }

            for (int c = 0; c < k; c++)
            {
                var s = type == CovarianceType.Tied ? pooled / n : newScales[c] / counts[c];
                if (type == CovarianceType.Diagonal)
                {
                    s = Matrix<double>.Build.DenseOfDiagonalVector(s.Diagonal());
                }

                scales[c] = s + (Matrix<double>.Build.DenseIdentity(d) * reg);
            }

            double shared = SolveNu(nuData.Sum() / counts.Sum());
            for (int c = 0; c < k; c++)
            {
                nu[c] = mode switch
                {
                    DegreesOfFreedomEstimation.PerComponent => SolveNu(nuData[c] / counts[c]),
                    DegreesOfFreedomEstimation.Shared => shared,
                    _ => nu[c],
                };
            }
        }

        return new Reference(weights, means, scales, nu, history);
    }

    private static double SolveNu(double constant)
    {
        double F(double v) => -SpecialFunctions.DiGamma(v / 2) + Math.Log(v / 2) + 1 + constant;
        if (F(1000) >= 0)
        {
            return 1000;
        }

        return F(0.5) <= 0 ? 0.5 : Brent.FindRoot(F, 0.5, 1000, 1e-13, 1000);
    }

    private static StudentTMixtureModel Fit(double[,] x, double nu, DegreesOfFreedomEstimation mode, CovarianceType type, int iterations, double reg) =>
        new StudentTMixture(new StudentTMixtureOptions
        {
            ComponentCount = 2,
            DegreesOfFreedom = nu,
            DegreesOfFreedomEstimation = mode,
            CovarianceType = type,
            CovarianceRegularization = reg,
            Tolerance = 0,
            MaxIterations = iterations,
            MissingValues = MissingValueHandling.Marginalize,
            Start = Start(nu),
        }).Fit(x);

    private static void ShouldBeClose(double actual, double expected, double relative) =>
        actual.Should().BeApproximately(expected, relative * Math.Max(1, Math.Abs(expected)));

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Full, 8.0)]
    [InlineData(DegreesOfFreedomEstimation.Shared, CovarianceType.Full, 4.0)]
    [InlineData(DegreesOfFreedomEstimation.Fixed, CovarianceType.Full, 3.0)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Diagonal, 8.0)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Tied, 8.0)]
    public void EM_with_missing_entries_equals_a_naive_ECM(DegreesOfFreedomEstimation mode, CovarianceType type, double nu)
    {
        var x = Data(1, 0.2);
        const int iterations = 15;
        var model = Fit(x, nu, mode, type, iterations, 1e-6);
        var reference = NaiveEm(x, Start(nu), iterations, mode, type, 1e-6);
        model.Report.LowerBoundHistory.Should().HaveCount(iterations);
        for (int i = 0; i < iterations; i++)
        {
            ShouldBeClose(model.Report.LowerBoundHistory[i], reference.History[i], 1e-9);
        }

        var nus = model.GetDegreesOfFreedom();
        for (int c = 0; c < 2; c++)
        {
            ShouldBeClose(model.Weights[c], reference.Weights[c], 1e-9);
            ShouldBeClose(nus[c], reference.Nu[c], 1e-9);
            for (int a = 0; a < 3; a++)
            {
                ShouldBeClose(model.GetMeans()[c, a], reference.Means[c][a], 1e-9);
                for (int b = 0; b < 3; b++)
                {
                    ShouldBeClose(model.GetScale(c)[a, b], reference.Scales[c][a, b], 1e-9);
                }
            }
        }
    }

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.PerComponent)]
    [InlineData(DegreesOfFreedomEstimation.Shared)]
    public void The_observed_data_log_likelihood_never_decreases(DegreesOfFreedomEstimation mode)
    {
        var x = Data(2, 0.3);
        var model = Fit(x, 20, mode, CovarianceType.Full, 60, 0);
        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])), $"iteration {i}");
        }

        // The reported bound is the observed-data log-likelihood of the model one M-step before the end.
        model.Report.TrainingLogLikelihood.Should().BeGreaterThanOrEqualTo(history[^1] - 1e-12);
    }

    [Fact]
    public void Complete_data_fits_the_same_bits_with_and_without_missing_value_support()
    {
        var x = Data(3, 0);
        var options = new StudentTMixtureOptions { ComponentCount = 2, Tolerance = 0, MaxIterations = 8, Start = Start(6) };
        var plain = new StudentTMixture(options).Fit(x);
        var marginalize = new StudentTMixture(options with { MissingValues = MissingValueHandling.Marginalize }).Fit(x);
        marginalize.LowerBound.Should().Be(plain.LowerBound);
        marginalize.GetMeans().ToRowMajorArray().Should().Equal(plain.GetMeans().ToRowMajorArray());
        marginalize.GetDegreesOfFreedom().Should().Equal(plain.GetDegreesOfFreedom());
    }

    [Fact]
    public void Impute_and_expected_weights_use_the_observed_entries()
    {
        var x = Data(4, 0.25);
        var model = Fit(x, 6, DegreesOfFreedomEstimation.PerComponent, CovarianceType.Full, 20, 1e-6);
        var imputed = model.Impute(x);
        var expectedWeights = model.ExpectedWeights(x);
        var rowWeights = model.ExpectedRowWeights(x);
        int checkedRows = 0;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            var o = Enumerable.Range(0, 3).Where(j => !double.IsNaN(x[i, j])).ToArray();
            var m = Enumerable.Range(0, 3).Where(j => double.IsNaN(x[i, j])).ToArray();

            // Naive: p(k | x_O) from the written-out marginal t, and each component's conditional location.
            var logp = new double[2];
            var fills = new double[2][];
            var u = new double[2];
            for (int c = 0; c < 2; c++)
            {
                var comp = model.Components[c];
                var scale = comp.GetScale();
                var soo = Matrix<double>.Build.Dense(o.Length, o.Length, (a, b) => scale[o[a], o[b]]);
                var diff = Vector<double>.Build.Dense(o.Length, a => x[i, o[a]] - comp.Mean[o[a]]);
                double delta = diff * soo.Inverse() * diff;
                double nu = comp.DegreesOfFreedom;
                logp[c] = Math.Log(model.Weights[c]) + SpecialFunctions.GammaLn((nu + o.Length) / 2) - SpecialFunctions.GammaLn(nu / 2)
                    - (o.Length / 2.0 * Math.Log(nu * Math.PI)) - (0.5 * Math.Log(soo.Determinant())) - ((nu + o.Length) / 2 * Math.Log(1 + (delta / nu)));
                u[c] = (nu + o.Length) / (nu + delta);
                var smo = Matrix<double>.Build.Dense(m.Length, o.Length, (a, b) => scale[m[a], o[b]]);
                var fill = m.Length == 0 ? Vector<double>.Build.Dense(0) : smo * soo.Inverse() * diff;
                fills[c] = [.. Enumerable.Range(0, m.Length).Select(a => comp.Mean[m[a]] + fill[a])];
                expectedWeights[i, c].Should().BeApproximately(u[c], 1e-10 * u[c]);
            }

            double max = logp.Max();
            var post = logp.Select(l => Math.Exp(l - max)).ToArray();
            double total = post.Sum();
            rowWeights[i].Should().BeApproximately(((post[0] * u[0]) + (post[1] * u[1])) / total, 1e-10);
            for (int a = 0; a < m.Length; a++)
            {
                double expected = ((post[0] * fills[0][a]) + (post[1] * fills[1][a])) / total;
                imputed[i, m[a]].Should().BeApproximately(expected, 1e-10 * Math.Max(1, Math.Abs(expected)));
                checkedRows++;
            }

            foreach (int j in o)
            {
                imputed[i, j].Should().Be(x[i, j]);
            }
        }

        checkedRows.Should().BeGreaterThan(20);
    }
}
