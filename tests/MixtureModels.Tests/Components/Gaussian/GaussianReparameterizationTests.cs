using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using Xunit.Abstractions;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class GaussianReparameterizationTests(ITestOutputHelper output)
{
    private const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>Type, D, K, and whether the statistics are centred on the component mean (else on the first row, exercising the shift).</summary>
    public static TheoryData<CovarianceType, int, int, bool> Cases()
    {
        var data = new TheoryData<CovarianceType, int, int, bool>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            foreach (var (d, k) in new[] { (1, 2), (3, 3), (4, 2) })
            {
                data.Add(type, d, k, true);
                data.Add(type, d, k, false);
            }
        }

        return data;
    }

    public static TheoryData<CovarianceType, int, int> Shapes()
    {
        var data = new TheoryData<CovarianceType, int, int>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            foreach (var (d, k) in new[] { (1, 2), (3, 3), (4, 2) })
            {
                data.Add(type, d, k);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Round_trip_is_exact_to_rounding(CovarianceType type, int d, int k)
    {
        var random = new Random((int)type * 100 + d * 10 + k);
        var family = GaussianFamily.Create(type, d, 1e-6);
        var r = (IReparameterization<GaussianComponent, GaussianStatistics>)family;
        var components = RandomComponents(type, d, k, random);
        int length = r.UnconstrainedLength(k);
        length.Should().Be(family.ParameterCount(k));
        var u = new double[length];
        r.ToUnconstrained(components, u);
        var rebuilt = new GaussianComponent[k];
        r.TryFromUnconstrained(u, rebuilt).Should().BeTrue();
        for (int j = 0; j < k; j++)
        {
            rebuilt[j].GetType().Should().Be(components[j].GetType());
            for (int i = 0; i < d; i++)
            {
                rebuilt[j].Mean[i].Should().BeApproximately(components[j].Mean[i], 1e-12 * (1 + Math.Abs(components[j].Mean[i])));
            }

            var p0 = components[j].GetPrecisionCholesky();
            var p1 = rebuilt[j].GetPrecisionCholesky();
            (p1 - p0).L1Norm().Should().BeLessThan(1e-12 * (1 + p0.L1Norm()));
            var c0 = components[j].GetCovariance();
            var c1 = rebuilt[j].GetCovariance();
            (c1 - c0).L1Norm().Should().BeLessThan(1e-12 * c0.L1Norm() * c0.ConditionNumber());
        }

        var again = new double[length];
        r.ToUnconstrained(rebuilt, again);
        for (int i = 0; i < length; i++)
        {
            again[i].Should().BeApproximately(u[i], 1e-12 * (1 + Math.Abs(u[i])));
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_from_statistics_equals_finite_differences(CovarianceType type, int d, int k, bool referenceOnMean)
    {
        var random = new Random(1000 + (int)type * 100 + d * 10 + k);
        var family = GaussianFamily.Create(type, d, 1e-3);
        var r = (IReparameterization<GaussianComponent, GaussianStatistics>)family;
        var components = RandomComponents(type, d, k, random);
        int n = 40;
        var rows = RandomRows(n, d, random, missingFraction: 0);
        var weights = RandomWeights(n, k, random);
        double error = GradientError(family, components, rows, weights, referenceOnMean, incomplete: false);
        output.WriteLine($"max relative FD error {error:E2}");
        error.Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(CovarianceType.Full, 3, 2)]
    [InlineData(CovarianceType.Full, 4, 3)]
    [InlineData(CovarianceType.Tied, 3, 3)]
    [InlineData(CovarianceType.Diagonal, 3, 2)]
    [InlineData(CovarianceType.Diagonal, 4, 3)]
    [InlineData(CovarianceType.Spherical, 4, 2)]
    public void Gradient_with_missing_entries_is_that_of_the_observed_likelihood(CovarianceType type, int d, int k)
    {
        var random = new Random(5000 + (int)type * 100 + d * 10 + k);
        var family = GaussianFamily.Create(type, d, 1e-3);
        var components = RandomComponents(type, d, k, random);
        int n = 40;
        var rows = RandomRows(n, d, random, missingFraction: 0.3);
        rows.Count(double.IsNaN).Should().BePositive();
        var weights = RandomWeights(n, k, random);
        double error = GradientError(family, components, rows, weights, referenceOnMean: true, incomplete: true);
        output.WriteLine($"max relative FD error {error:E2}");
        error.Should().BeLessThan(1e-6);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Huge_log_variance_is_refused_and_moderate_values_accepted(CovarianceType type)
    {
        int d = 3, k = 2;
        var random = new Random(77);
        var family = GaussianFamily.Create(type, d, 1e-6);
        var r = (IReparameterization<GaussianComponent, GaussianStatistics>)family;
        int length = r.UnconstrainedLength(k);
        var destination = new GaussianComponent[k];

        for (int trial = 0; trial < 20; trial++)
        {
            var u = Enumerable.Range(0, length).Select(_ => (4 * random.NextDouble()) - 2).ToArray();
            r.TryFromUnconstrained(u, destination).Should().BeTrue();
            foreach (var c in destination)
            {
                c.Mean.ToArray().Should().OnlyContain(v => double.IsFinite(v));
                c.GetCovariance().Enumerate().Should().OnlyContain(v => double.IsFinite(v));
                c.GetPrecisionCholesky().Enumerate().Should().OnlyContain(v => double.IsFinite(v));
            }
        }

        foreach (int position in LogScalePositions(type, d, k))
        {
            foreach (double extreme in new[] { 1e4, -1e4 })
            {
                var u = new double[length];
                u[position] = extreme;
                var target = new GaussianComponent[k];
                r.TryFromUnconstrained(u, target).Should().BeFalse($"u[{position}] = {extreme}");
                target.Should().OnlyContain(c => c == null, "nothing is written on failure");
            }
        }

        var nan = new double[length];
        nan[0] = double.NaN;
        r.TryFromUnconstrained(nan, destination).Should().BeFalse();
    }

    /// <summary>Positions of the log-scale entries (log σ² or log Pᵢᵢ) in the unconstrained vector.</summary>
    private static IEnumerable<int> LogScalePositions(CovarianceType type, int d, int k)
    {
        int tri = d * (d + 1) / 2;
        switch (type)
        {
            case CovarianceType.Full:
                for (int j = 0; j < k; j++)
                {
                    int index = (j * (d + tri)) + d;
                    for (int i = 0; i < d; i++)
                    {
                        yield return index;
                        index += d - i;
                    }
                }

                break;
            case CovarianceType.Tied:
                {
                    int index = k * d;
                    for (int i = 0; i < d; i++)
                    {
                        yield return index;
                        index += d - i;
                    }
                }

                break;
            case CovarianceType.Diagonal:
                for (int j = 0; j < k; j++)
                {
                    for (int i = 0; i < d; i++)
                    {
                        yield return (j * 2 * d) + d + i;
                    }
                }

                break;
            default:
                for (int j = 0; j < k; j++)
                {
                    yield return (j * (d + 1)) + d;
                }

                break;
        }
    }

    /// <summary>max_i |g_i − fd_i| / (|fd_i| + 1e-3·‖fd‖∞) for the statistics gradient g and a 4-point central difference of the naive F.</summary>
    private static double GradientError(GaussianFamily family, GaussianComponent[] components, double[] rows, double[][] weights, bool referenceOnMean, bool incomplete)
    {
        var r = (IReparameterization<GaussianComponent, GaussianStatistics>)family;
        int k = components.Length;
        var statistics = new GaussianStatistics[k];
        for (int j = 0; j < k; j++)
        {
            // Off the mean: statistics created without a current component centre on the first row seen.
            statistics[j] = family.CreateStatistics(referenceOnMean || incomplete ? components[j] : null);
            if (incomplete)
            {
                statistics[j].AccumulateIncomplete(rows, weights[j]);
            }
            else
            {
                statistics[j].Accumulate(rows, weights[j]);
            }
        }

        int length = r.UnconstrainedLength(k);
        var u = new double[length];
        r.ToUnconstrained(components, u);
        var gradient = new double[length];
        r.Gradient(statistics, components, gradient);

        var fd = new double[length];
        for (int i = 0; i < length; i++)
        {
            double h = 1e-4 * Math.Max(1, Math.Abs(u[i]));
            double F(double step)
            {
                var v = (double[])u.Clone();
                v[i] += step;
                return NaiveObjective(r, v, k, rows, weights);
            }

            fd[i] = ((8 * (F(h) - F(-h))) - (F(2 * h) - F(-2 * h))) / (12 * h);
        }

        double scale = fd.Max(Math.Abs);
        double worst = 0;
        for (int i = 0; i < length; i++)
        {
            worst = Math.Max(worst, Math.Abs(gradient[i] - fd[i]) / (Math.Abs(fd[i]) + (1e-3 * scale)));
        }

        return worst;
    }

    /// <summary>F(u) = Σ_k Σₙ c_nk log N(x_n,O | μ_k,O, Σ_k,OO) with MathNet inverses and determinants.</summary>
    private static double NaiveObjective(IReparameterization<GaussianComponent, GaussianStatistics> r, double[] u, int k, double[] rows, double[][] weights)
    {
        var components = new GaussianComponent[k];
        r.TryFromUnconstrained(u, components).Should().BeTrue();
        int d = components[0].Dimension, n = weights[0].Length;
        double total = 0;
        for (int j = 0; j < k; j++)
        {
            var covariance = components[j].GetCovariance();
            var mean = components[j].Mean.ToArray();
            for (int t = 0; t < n; t++)
            {
                var row = rows.AsSpan(t * d, d).ToArray();
                var observed = Enumerable.Range(0, d).Where(i => !double.IsNaN(row[i])).ToArray();
                int o = observed.Length;
                var sub = Matrix<double>.Build.Dense(o, o, (a, b) => covariance[observed[a], observed[b]]);
                var residual = Vector<double>.Build.Dense(o, a => row[observed[a]] - mean[observed[a]]);
                double quad = residual * (sub.Inverse() * residual);
                double logDensity = -0.5 * ((o * LogTwoPi) + Math.Log(sub.Determinant()) + quad);
                total += weights[j][t] * logDensity;
            }
        }

        return total;
    }

    internal static GaussianComponent[] RandomComponents(CovarianceType type, int d, int k, Random random)
    {
        var result = new GaussianComponent[k];
        FullGaussian? shared = null;
        for (int j = 0; j < k; j++)
        {
            var mean = Enumerable.Range(0, d).Select(_ => 2 * Normal(random)).ToArray();
            switch (type)
            {
                case CovarianceType.Full:
                    result[j] = FullGaussian.WithMeanCovariance(mean, RandomCovariance(d, random));
                    break;
                case CovarianceType.Tied:
                    shared ??= FullGaussian.WithMeanCovariance(mean, RandomCovariance(d, random));
                    result[j] = j == 0 ? shared : FullGaussian.WithSharedCovariance(mean, shared);
                    break;
                case CovarianceType.Diagonal:
                    result[j] = DiagonalGaussian.WithMeanVariances(mean, Enumerable.Range(0, d).Select(_ => 0.3 + (2 * random.NextDouble())).ToArray());
                    break;
                default:
                    result[j] = SphericalGaussian.WithMeanVariance(mean, 0.3 + (2 * random.NextDouble()));
                    break;
            }
        }

        return result;
    }

    private static Matrix<double> RandomCovariance(int d, Random random)
    {
        var a = Matrix<double>.Build.Dense(d, d, (_, _) => Normal(random));
        var c = (a * a.Transpose() / d) + (0.5 * Matrix<double>.Build.DenseIdentity(d));
        return (c + c.Transpose()) / 2;
    }

    private static double[] RandomRows(int n, int d, Random random, double missingFraction)
    {
        var rows = new double[n * d];
        for (int t = 0; t < n; t++)
        {
            for (int i = 0; i < d; i++)
            {
                rows[(t * d) + i] = 0.5 + (1.5 * Normal(random));
            }

            // Keep at least one observed entry per row.
            int keep = random.Next(d);
            for (int i = 0; i < d; i++)
            {
                if (i != keep && random.NextDouble() < missingFraction)
                {
                    rows[(t * d) + i] = double.NaN;
                }
            }
        }

        return rows;
    }

    private static double[][] RandomWeights(int n, int k, Random random) =>
        Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray()).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
