using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>End-to-end EM with missing entries (NaN, marginalised) for full and tied covariance.</summary>
public sealed class GaussianMixtureMissingValueTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied };

    /// <summary>
    /// Iris with each entry removed when its fixed uniform draw is below <paramref name="fraction"/> (so the missing sets
    /// of smaller fractions are nested in those of larger ones); every row keeps at least one observed entry.
    /// </summary>
    private static double[,] IrisWithMissing(double fraction, int seed = 2024)
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1);
        var random = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            int keep = random.Next(d);
            for (int j = 0; j < d; j++)
            {
                double u = random.NextDouble();
                if (j != keep && u < fraction)
                {
                    x[i, j] = double.NaN;
                }
            }
        }

        return x;
    }

    private static GaussianMixtureModel FitFromStart(double[,] x, CovarianceType type, int maxIterations, double tolerance, double regularization)
    {
        var (weights, means, precisions) = GaussianMixtureTests.IrisStart(type);
        return new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            CovarianceRegularization = regularization,
            Tolerance = tolerance,
            MaxIterations = maxIterations,
            InitialWeights = weights,
            InitialMeans = means,
            InitialPrecisions = precisions,
            MissingValues = MissingValueHandling.Marginalize,
        }).Fit(x);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Fit_with_ten_percent_missing_is_monotone_finite_and_imputes(CovarianceType type)
    {
        var x = IrisWithMissing(0.10);
        int n = x.GetLength(0), d = x.GetLength(1);
        int missingCount = x.Cast<double>().Count(double.IsNaN);
        missingCount.Should().BeInRange(30, 90, "about 10 % of 600 entries are removed");

        var models = new[]
        {
            FitFromStart(x, type, 80, 0, 0),
            new GaussianMixture(new GaussianMixtureOptions
            {
                ComponentCount = 3,
                CovarianceType = type,
                CovarianceRegularization = 0,
                Tolerance = 0,
                MaxIterations = 80,
                Seed = 7,
                MissingValues = MissingValueHandling.Marginalize,
            }).Fit(x),
        };

        foreach (var model in models)
        {
            var history = model.Report.LowerBoundHistory;
            history.Should().HaveCount(80);
            for (int i = 1; i < history.Count; i++)
            {
                history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-10 * Math.Max(1, Math.Abs(history[i - 1]))), $"iteration {i + 1} must not lower the bound");
            }

            model.Report.TrainingLogLikelihood.Should().BeGreaterThanOrEqualTo(model.LowerBound - (1e-10 * Math.Abs(model.LowerBound)));
            for (int k = 0; k < 3; k++)
            {
                double.IsFinite(model.Weights[k]).Should().BeTrue();
                model.Components[k].Mean.ToArray().Should().OnlyContain(v => double.IsFinite(v));
                model.GetCovariance(k).Enumerate().Should().OnlyContain(v => double.IsFinite(v));
            }

            var p = model.PredictProbabilities(x);
            for (int i = 0; i < n; i++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++)
                {
                    double.IsFinite(p[i, k]).Should().BeTrue();
                    sum += p[i, k];
                }

                sum.Should().BeApproximately(1, 1e-12, $"row {i}");
            }

            var imputed = model.Impute(x);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double.IsFinite(imputed[i, j]).Should().BeTrue($"entry {i},{j}");
                    if (!double.IsNaN(x[i, j]))
                    {
                        imputed[i, j].Should().Be(x[i, j], "observed entries are kept");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void As_fewer_entries_are_missing_the_fit_approaches_the_complete_data_fit(CovarianceType type)
    {
        var complete = FitFromStart(TestData.Iris(out _), type, 500, 1e-10, 1e-6);
        var distances = new List<double>();
        foreach (double fraction in new[] { 0.20, 0.05, 0.01 })
        {
            var model = FitFromStart(IrisWithMissing(fraction), type, 500, 1e-10, 1e-6);
            double distance = 0;
            for (int k = 0; k < 3; k++)
            {
                var dm = Vector<double>.Build.DenseOfArray(model.Components[k].Mean.ToArray()) - Vector<double>.Build.DenseOfArray(complete.Components[k].Mean.ToArray());
                distance += dm.L2Norm() + (model.GetCovariance(k) - complete.GetCovariance(k)).FrobeniusNorm();
            }

            distances.Add(distance);
        }

        distances[1].Should().BeLessThan(distances[0], "5 % missing is closer than 20 %");
        distances[2].Should().BeLessThan(distances[1], "1 % missing is closer than 5 %");
        distances[2].Should().BeLessThan(0.1, "1 % missing stays close to the complete-data fit");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void One_iteration_with_missing_entries_equals_the_brute_force_e_and_m_steps(CovarianceType type)
    {
        var x = IrisWithMissing(0.15, seed: 99);
        int n = x.GetLength(0), d = x.GetLength(1);
        const double reg = 1e-4;
        var (startWeights, startMeans, startPrecisions) = GaussianMixtureTests.IrisStart(type);
        var model = FitFromStart(x, type, 1, 0, reg);

        var covariances = Enumerable.Range(0, 3).Select(k => startPrecisions[type == CovarianceType.Tied ? 0 : k].Inverse()).ToArray();
        var means = Enumerable.Range(0, 3).Select(k => startMeans.Row(k)).ToArray();

        // E-step: marginal densities of the observed entries.
        var r = new double[n][];
        double logLikelihood = 0;
        var observed = new int[n][];
        var missing = new int[n][];
        for (int i = 0; i < n; i++)
        {
            observed[i] = Enumerable.Range(0, d).Where(j => !double.IsNaN(x[i, j])).ToArray();
            missing[i] = Enumerable.Range(0, d).Where(j => double.IsNaN(x[i, j])).ToArray();
            var joint = new double[3];
            for (int k = 0; k < 3; k++)
            {
                var s = Sub(covariances[k], observed[i], observed[i]);
                var diff = Vector<double>.Build.Dense(observed[i].Length, a => x[i, observed[i][a]] - means[k][observed[i][a]]);
                joint[k] = startWeights[k] * Math.Exp(-0.5 * ((observed[i].Length * Math.Log(2 * Math.PI)) + Math.Log(s.Determinant()) + (diff * s.Inverse() * diff)));
            }

            double total = joint.Sum();
            logLikelihood += Math.Log(total);
            r[i] = joint.Select(v => v / total).ToArray();
        }

        model.Report.LowerBoundHistory[0].ShouldBeClose(logLikelihood / n, 1e-10, "the first bound is the mean marginal log-likelihood of the start");

        // M-step: conditional expectations under each starting component.
        var nk = new double[3];
        var scatter = new Matrix<double>[3];
        for (int k = 0; k < 3; k++)
        {
            var completed = new Vector<double>[n];
            var conditional = new Matrix<double>[n];
            for (int i = 0; i < n; i++)
            {
                var xi = Vector<double>.Build.Dense(d, j => x[i, j]);
                conditional[i] = Matrix<double>.Build.Dense(d, d);
                if (missing[i].Length > 0)
                {
                    var o = observed[i];
                    var m = missing[i];
                    var sooInverse = Sub(covariances[k], o, o).Inverse();
                    var smo = Sub(covariances[k], m, o);
                    var diff = Vector<double>.Build.Dense(o.Length, a => x[i, o[a]] - means[k][o[a]]);
                    var xm = Vector<double>.Build.Dense(m.Length, a => means[k][m[a]]) + (smo * sooInverse * diff);
                    var c = Sub(covariances[k], m, m) - (smo * sooInverse * smo.Transpose());
                    for (int a = 0; a < m.Length; a++)
                    {
                        xi[m[a]] = xm[a];
                        for (int b = 0; b < m.Length; b++)
                        {
                            conditional[i][m[a], m[b]] = c[a, b];
                        }
                    }
                }

                completed[i] = xi;
            }

            nk[k] = r.Sum(ri => ri[k]);
            var mu = Vector<double>.Build.Dense(d);
            for (int i = 0; i < n; i++)
            {
                mu += r[i][k] * completed[i];
            }

            mu /= nk[k];
            scatter[k] = Matrix<double>.Build.Dense(d, d);
            for (int i = 0; i < n; i++)
            {
                var diff = completed[i] - mu;
                scatter[k] += r[i][k] * (diff.OuterProduct(diff) + conditional[i]);
            }

            model.Weights[k].Should().BeApproximately(nk[k] / n, 1e-9, $"weight {k}");
            for (int j = 0; j < d; j++)
            {
                model.Components[k].Mean[j].ShouldBeClose(mu[j], 1e-9, $"mean {k},{j}");
            }
        }

        var identity = Matrix<double>.Build.DenseIdentity(d);
        for (int k = 0; k < 3; k++)
        {
            var expected = type == CovarianceType.Full
                ? (scatter[k] / nk[k]) + (reg * identity)
                : ((scatter[0] + scatter[1] + scatter[2]) / n) + (reg * identity);
            model.GetCovariance(k).ShouldBeClose(expected, 1e-9, $"covariance {k}");
        }
    }

    private static Matrix<double> Sub(Matrix<double> a, int[] rows, int[] columns) =>
        Matrix<double>.Build.Dense(rows.Length, columns.Length, (i, j) => a[rows[i], columns[j]]);
}
