using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.RootFinding;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests.Components.StudentT;

public sealed class StudentTMixtureTests
{
    private static readonly double[][] Centres = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];

    /// <summary>Three unit-variance clusters of <paramref name="perCluster"/> rows, plus <paramref name="outliers"/> rows uniform on [−40, 50]² at least 8 from every centre.</summary>
    private static double[,] Clusters(int perCluster, int outliers, int seed)
    {
        var random = new Random(seed);
        var x = new double[(3 * perCluster) + outliers, 2];
        for (int c = 0; c < 3; c++)
        {
            for (int n = 0; n < perCluster; n++)
            {
                x[(c * perCluster) + n, 0] = Centres[c][0] + Normal(random);
                x[(c * perCluster) + n, 1] = Centres[c][1] + Normal(random);
            }
        }

        for (int n = 3 * perCluster; n < x.GetLength(0); n++)
        {
            // Gross outliers: uniform on the box, but at least 8 standard deviations from every cluster centre.
            do
            {
                x[n, 0] = -40 + (90 * random.NextDouble());
                x[n, 1] = -40 + (90 * random.NextDouble());
            }
            while (Centres.Any(c => Math.Pow(x[n, 0] - c[0], 2) + Math.Pow(x[n, 1] - c[1], 2) < 64));
        }

        return x;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static MixtureStart<StudentTComponent> Start(double nu) => new(
        [0.3, 0.3, 0.4],
        [
            StudentTComponent.Create([1.0, 1.0], Matrix<double>.Build.DenseIdentity(2) * 2, nu),
            StudentTComponent.Create([9.0, -1.0], Matrix<double>.Build.DenseIdentity(2) * 3, nu),
            StudentTComponent.Create([-1.0, 9.0], Matrix<double>.Build.DenseIdentity(2), nu),
        ]);

    private sealed record Reference(double[] Weights, double[][] Means, Matrix<double>[] Scales, double[] Nu, List<double> History);

    /// <summary>
    /// Brute-force EM for the t mixture (Peel and McLachlan 2000), written with plain loops, MathNet's inverse and
    /// determinant, and MathNet's Brent root finder for ν.
    /// </summary>
    private static Reference BruteForce(double[,] x, double[] weights, double[][] means, Matrix<double>[] scales, double[] nu, int iterations, DegreesOfFreedomEstimation mode, double reg, CovarianceType scaleType = CovarianceType.Full)
    {
        int n = x.GetLength(0), d = x.GetLength(1), k = weights.Length;
        var history = new List<double>();
        weights = (double[])weights.Clone();
        means = [.. means.Select(m => (double[])m.Clone())];
        scales = [.. scales.Select(s => s.Clone())];
        nu = (double[])nu.Clone();
        for (int it = 0; it < iterations; it++)
        {
            var logp = new double[n, k];
            var delta = new double[n, k];
            for (int c = 0; c < k; c++)
            {
                var inverse = scales[c].Inverse();
                double logDet = Math.Log(scales[c].Determinant());
                for (int i = 0; i < n; i++)
                {
                    double q = 0;
                    for (int a = 0; a < d; a++)
                    {
                        for (int b = 0; b < d; b++)
                        {
                            q += (x[i, a] - means[c][a]) * inverse[a, b] * (x[i, b] - means[c][b]);
                        }
                    }

                    delta[i, c] = q;
                    logp[i, c] = Math.Log(weights[c]) + SpecialFunctions.GammaLn((nu[c] + d) / 2) - SpecialFunctions.GammaLn(nu[c] / 2)
                        - (d / 2.0 * Math.Log(nu[c] * Math.PI)) - (0.5 * logDet) - ((nu[c] + d) / 2 * Math.Log(1 + (q / nu[c])));
                }
            }

            var r = new double[n, k];
            double ll = 0;
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    max = Math.Max(max, logp[i, c]);
                }

                double s = 0;
                for (int c = 0; c < k; c++)
                {
                    s += Math.Exp(logp[i, c] - max);
                }

                double lse = max + Math.Log(s);
                ll += lse;
                for (int c = 0; c < k; c++)
                {
                    r[i, c] = Math.Exp(logp[i, c] - lse);
                }
            }

            history.Add(ll / n);
            var newNu = new double[k];
            var counts = new double[k];
            double pooledData = 0, pooledWeight = 0;
            for (int c = 0; c < k; c++)
            {
                double nk = 0, uk = 0, logTerm = 0;
                var mean = new double[d];
                for (int i = 0; i < n; i++)
                {
                    double u = (nu[c] + d) / (nu[c] + delta[i, c]);
                    nk += r[i, c];
                    uk += r[i, c] * u;
                    logTerm += r[i, c] * (Math.Log(u) - u);
                    for (int a = 0; a < d; a++)
                    {
                        mean[a] += r[i, c] * u * x[i, a];
                    }
                }

                for (int a = 0; a < d; a++)
                {
                    mean[a] /= uk;
                }

                var scale = Matrix<double>.Build.Dense(d, d);
                for (int i = 0; i < n; i++)
                {
                    double u = (nu[c] + d) / (nu[c] + delta[i, c]);
                    for (int a = 0; a < d; a++)
                    {
                        for (int b = 0; b < d; b++)
                        {
                            scale[a, b] += r[i, c] * u * (x[i, a] - mean[a]) * (x[i, b] - mean[b]) / nk;
                        }
                    }
                }

                counts[c] = nk;
                double digammaTerm = SpecialFunctions.DiGamma((nu[c] + d) / 2) - Math.Log((nu[c] + d) / 2);
                newNu[c] = SolveNu((logTerm / nk) + digammaTerm);
                pooledData += logTerm + (nk * digammaTerm);
                pooledWeight += nk;
                weights[c] = nk / n;
                means[c] = mean;
                scales[c] = scale;
            }

            var tied = Matrix<double>.Build.Dense(d, d);
            for (int c = 0; c < k; c++)
            {
                tied += scales[c] * (counts[c] / n);
            }

            for (int c = 0; c < k; c++)
            {
                scales[c] = scaleType switch
                {
                    CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalVector(scales[c].Diagonal()),
                    CovarianceType.Spherical => Matrix<double>.Build.DenseIdentity(d) * (scales[c].Trace() / d),
                    CovarianceType.Tied => tied.Clone(),
                    _ => scales[c],
                };
                scales[c] += Matrix<double>.Build.DenseIdentity(d) * reg;
            }

            for (int c = 0; c < k; c++)
            {
                nu[c] = mode switch
                {
                    DegreesOfFreedomEstimation.PerComponent => newNu[c],
                    DegreesOfFreedomEstimation.Shared => SolveNu(pooledData / pooledWeight),
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

        if (F(0.5) <= 0)
        {
            return 0.5;
        }

        return Brent.FindRoot(F, 0.5, 1000, 1e-13, 1000);
    }

    private static StudentTMixtureModel FitFromStart(double[,] x, double nu, DegreesOfFreedomEstimation mode, int iterations, double reg, double[]? sampleWeights = null, int threads = -1, CovarianceType scaleType = CovarianceType.Full) =>
        new StudentTMixture(new StudentTMixtureOptions
        {
            ComponentCount = 3,
            DegreesOfFreedom = nu,
            DegreesOfFreedomEstimation = mode,
            CovarianceRegularization = reg,
            Tolerance = 0,
            MaxIterations = iterations,
            MaxDegreeOfParallelism = threads,
            CovarianceType = scaleType,
            Start = Start(nu),
        }).Fit(x, sampleWeights);

    private static void ShouldBeClose(double actual, double expected, double relative) =>
        actual.Should().BeApproximately(expected, relative * Math.Max(1, Math.Abs(expected)));

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.Fixed, 4.0, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, 10.0, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.Shared, 3.0, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, 10.0, CovarianceType.Diagonal)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, 10.0, CovarianceType.Spherical)]
    [InlineData(DegreesOfFreedomEstimation.Shared, 5.0, CovarianceType.Tied)]
    public void EM_from_a_fixed_start_equals_a_brute_force_EM(DegreesOfFreedomEstimation mode, double nu, CovarianceType scaleType)
    {
        var x = Clusters(100, 15, 1);
        const int iterations = 25;
        var model = FitFromStart(x, nu, mode, iterations, 1e-6, scaleType: scaleType);
        var start = Start(nu);
        var reference = BruteForce(
            x,
            [.. start.Weights!],
            [.. start.Components!.Select(c => c.Mean.ToArray())],
            [.. start.Components!.Select(c => c.GetScale())],
            [nu, nu, nu],
            iterations,
            mode,
            1e-6,
            scaleType);

        model.Report.LowerBoundHistory.Should().HaveCount(iterations);
        for (int i = 0; i < iterations; i++)
        {
            ShouldBeClose(model.Report.LowerBoundHistory[i], reference.History[i], 1e-9);
        }

        var nus = model.GetDegreesOfFreedom();
        for (int c = 0; c < 3; c++)
        {
            ShouldBeClose(model.Weights[c], reference.Weights[c], 1e-9);
            ShouldBeClose(nus[c], reference.Nu[c], 1e-9);
            for (int a = 0; a < 2; a++)
            {
                ShouldBeClose(model.GetMeans()[c, a], reference.Means[c][a], 1e-9);
                for (int b = 0; b < 2; b++)
                {
                    ShouldBeClose(model.GetScale(c)[a, b], reference.Scales[c][a, b], 1e-9);
                }
            }
        }

        if (mode == DegreesOfFreedomEstimation.Fixed)
        {
            nus.Should().AllBeEquivalentTo(nu);
        }
    }

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.Shared, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.Fixed, CovarianceType.Full)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Diagonal)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Spherical)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Tied)]
    public void The_log_likelihood_never_decreases(DegreesOfFreedomEstimation mode, CovarianceType scaleType)
    {
        var x = Clusters(150, 25, 2);
        var model = FitFromStart(x, 20, mode, 60, 0, scaleType: scaleType);
        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])), $"iteration {i}");
        }
    }

    [Fact]
    public void A_huge_fixed_nu_reproduces_the_Gaussian_mixture_fit_from_the_same_start()
    {
        var x = Clusters(100, 0, 3);
        var start = Start(1e8);
        var t = FitFromStart(x, 1e8, DegreesOfFreedomEstimation.Fixed, 30, 1e-6);
        var g = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            Tolerance = 0,
            MaxIterations = 30,
            InitialWeights = start.Weights,
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays(start.Components!.Select(c => c.Mean.ToArray())),
            InitialPrecisions = [.. start.Components!.Select(c => c.GetScale().Inverse())],
        }).Fit(x);
        for (int c = 0; c < 3; c++)
        {
            t.Weights[c].Should().BeApproximately(g.Weights[c], 1e-6);
            for (int a = 0; a < 2; a++)
            {
                t.GetMeans()[c, a].Should().BeApproximately(g.GetMeans()[c, a], 1e-6);
                for (int b = 0; b < 2; b++)
                {
                    t.GetScale(c)[a, b].Should().BeApproximately(g.GetCovariance(c)[a, b], 1e-6);
                }
            }
        }

        t.LowerBound.Should().BeApproximately(g.LowerBound, 1e-6);
    }

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.Shared, 10.0, 0.1)]
    [InlineData(DegreesOfFreedomEstimation.Fixed, 3.0, 0.1)]

    // Per-component ν: one component takes the outliers into its tails (ν ≈ 0.9) and its location, a Cauchy-like
    // M-estimate, moves 0.105 standard deviations; the other two ignore them.
    [InlineData(DegreesOfFreedomEstimation.PerComponent, 10.0, 0.15)]
    public void With_gross_outliers_the_t_means_stay_near_the_clean_fit_and_the_Gaussian_means_do_not(DegreesOfFreedomEstimation mode, double nu, double bound)
    {
        var clean = Clusters(300, 0, 4);
        var dirty = new double[clean.GetLength(0) + 45, 2];
        var outliers = Clusters(0, 45, 5);
        for (int i = 0; i < dirty.GetLength(0); i++)
        {
            for (int j = 0; j < 2; j++)
            {
                dirty[i, j] = i < clean.GetLength(0) ? clean[i, j] : outliers[i - clean.GetLength(0), j];
            }
        }

        var start = Start(10);
        GaussianMixtureModel FitGaussian(double[,] data) => new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            MaxIterations = 500,
            Tolerance = 1e-10,
            InitialWeights = start.Weights,
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays(start.Components!.Select(c => c.Mean.ToArray())),
            InitialPrecisions = [.. start.Components!.Select(c => c.GetScale().Inverse())],
        }).Fit(data);

        StudentTMixtureModel FitT(double[,] data) =>
            new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 3, MaxIterations = 500, Tolerance = 1e-10, Start = start, DegreesOfFreedom = nu, DegreesOfFreedomEstimation = mode }).Fit(data);

        // Each estimator is compared with its own fit of the clean data: what the outliers move it by.
        var cleanGaussian = FitGaussian(clean);
        var gaussian = FitGaussian(dirty);
        var cleanT = FitT(clean);
        var t = FitT(dirty);

        double worstT = 0, worstGaussian = 0;
        for (int c = 0; c < 3; c++)
        {
            var cov = cleanGaussian.GetCovariance(c);
            double sd = Math.Sqrt(Math.Min(cov[0, 0], cov[1, 1]));
            double ShiftOf(Matrix<double> means, Matrix<double> reference) =>
                Math.Sqrt(Math.Pow(means[c, 0] - reference[c, 0], 2) + Math.Pow(means[c, 1] - reference[c, 1], 2)) / sd;
            worstT = Math.Max(worstT, ShiftOf(t.GetMeans(), cleanT.GetMeans()));
            worstGaussian = Math.Max(worstGaussian, ShiftOf(gaussian.GetMeans(), cleanGaussian.GetMeans()));
        }

        worstT.Should().BeLessThan(bound, $"the t fit has ν = {string.Join(", ", t.GetDegreesOfFreedom())}");
        worstGaussian.Should().BeGreaterThan(10 * bound);

        // The outliers are flagged by small expected weights.
        var u = t.ExpectedRowWeights(dirty);
        double outlierMean = u.Skip(clean.GetLength(0)).Average();
        double inlierMean = u.Take(clean.GetLength(0)).Average();
        outlierMean.Should().BeLessThan(0.25 * inlierMean);
        t.ExpectedWeights(dirty).GetLength(1).Should().Be(3);
    }

    [Fact]
    public void Integer_sample_weights_equal_repeated_rows()
    {
        var x = Clusters(60, 10, 6);
        int n = x.GetLength(0);
        var weights = new double[n];
        var repeated = new List<double[]>();
        for (int i = 0; i < n; i++)
        {
            weights[i] = 1 + (i % 3);
            for (int r = 0; r < weights[i]; r++)
            {
                repeated.Add([x[i, 0], x[i, 1]]);
            }
        }

        var weighted = FitFromStart(x, 5, DegreesOfFreedomEstimation.PerComponent, 20, 1e-6, weights);
        var copies = FitFromStart(DataMatrix.FromJagged([.. repeated]).ToArray(), 5, DegreesOfFreedomEstimation.PerComponent, 20, 1e-6);
        for (int c = 0; c < 3; c++)
        {
            ShouldBeClose(weighted.Weights[c], copies.Weights[c], 1e-9);
            ShouldBeClose(weighted.GetDegreesOfFreedom()[c], copies.GetDegreesOfFreedom()[c], 1e-9);
            for (int a = 0; a < 2; a++)
            {
                ShouldBeClose(weighted.GetMeans()[c, a], copies.GetMeans()[c, a], 1e-9);
                for (int b = 0; b < 2; b++)
                {
                    ShouldBeClose(weighted.GetScale(c)[a, b], copies.GetScale(c)[a, b], 1e-9);
                }
            }
        }
    }

    [Fact]
    public void One_thread_and_all_threads_give_identical_bits()
    {
        var x = Clusters(4000, 600, 7);
        var options = new StudentTMixtureOptions { ComponentCount = 3, Seed = 3, InitializationCount = 2, MaxIterations = 30 };
        var serial = new StudentTMixture(options with { MaxDegreeOfParallelism = 1 }).Fit(x);
        var parallel = new StudentTMixture(options with { MaxDegreeOfParallelism = -1 }).Fit(x);
        parallel.Report.LowerBoundHistory.Should().Equal(serial.Report.LowerBoundHistory);
        parallel.GetDegreesOfFreedom().Should().Equal(serial.GetDegreesOfFreedom());
        for (int c = 0; c < 3; c++)
        {
            parallel.Weights[c].Should().Be(serial.Weights[c]);
            parallel.GetScale(c).ToRowMajorArray().Should().Equal(serial.GetScale(c).ToRowMajorArray());
            parallel.GetMeans().Row(c).ToArray().Should().Equal(serial.GetMeans().Row(c).ToArray());
        }
    }

    [Theory]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Full, (3 * 5) + 3 + 2)]
    [InlineData(DegreesOfFreedomEstimation.Shared, CovarianceType.Full, (3 * 5) + 1 + 2)]
    [InlineData(DegreesOfFreedomEstimation.Fixed, CovarianceType.Full, (3 * 5) + 2)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Diagonal, (3 * 4) + 3 + 2)]
    [InlineData(DegreesOfFreedomEstimation.PerComponent, CovarianceType.Spherical, (3 * 3) + 3 + 2)]
    [InlineData(DegreesOfFreedomEstimation.Shared, CovarianceType.Tied, (3 * 2) + 3 + 1 + 2)]
    public void Parameter_count_includes_the_estimated_degrees_of_freedom(DegreesOfFreedomEstimation mode, CovarianceType scaleType, int expected)
    {
        var x = Clusters(50, 5, 8);
        var model = FitFromStart(x, 5, mode, 5, 1e-6, scaleType: scaleType);
        model.ParameterCount.Should().Be(expected);
        double logLikelihood = model.LogDensity(x).Sum();
        model.BayesianInformationCriterion(x).Should().BeApproximately((-2 * logLikelihood) + (expected * Math.Log(x.GetLength(0))), 1e-8);
    }

    [Theory]
    [InlineData(0.0, DegreesOfFreedomEstimation.Fixed)]
    [InlineData(double.NaN, DegreesOfFreedomEstimation.Fixed)]
    [InlineData(0.2, DegreesOfFreedomEstimation.PerComponent)]
    [InlineData(5000.0, DegreesOfFreedomEstimation.Shared)]
    public void Bad_degrees_of_freedom_are_named(double nu, DegreesOfFreedomEstimation mode)
    {
        var act = () => new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 2, DegreesOfFreedom = nu, DegreesOfFreedomEstimation = mode });
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("DegreesOfFreedom");
    }

    [Fact]
    public void A_warm_start_continues_the_previous_fit_exactly()
    {
        var x = Clusters(80, 8, 10);
        var options = new StudentTMixtureOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 10, Start = Start(10) };
        var straight = new StudentTMixture(options with { MaxIterations = 20 }).Fit(x);
        var warm = new StudentTMixture(options with { WarmStart = true });
        warm.Fit(x);
        var continued = warm.Fit(x);
        continued.GetDegreesOfFreedom().Should().Equal(straight.GetDegreesOfFreedom());
        continued.GetMeans().ToRowMajorArray().Should().Equal(straight.GetMeans().ToRowMajorArray());
        continued.LowerBound.Should().Be(straight.LowerBound);
    }

    [Fact]
    public void Non_finite_data_is_named_by_row_and_column()
    {
        var x = Clusters(10, 0, 11);
        x[4, 1] = double.NaN;
        var act = () => new StudentTMixture(2).Fit(x);
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("row 4").And.Contain("column 1");
    }
}
