using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class FullGaussianMissingValueTests
{
    private const int D = 5;

    /// <summary>Rows of a random Gaussian with entries removed in varied patterns (every row keeps one observed entry).</summary>
    private static double[] RowsWithMissing(int rows, int d, int seed, double missingFraction = 0.35)
    {
        var x = Reference.ToRowMajor(Reference.Gaussian(rows, d, seed));
        var random = new Random(seed + 1);
        for (int n = 0; n < rows; n++)
        {
            int keep = random.Next(d);
            for (int j = 0; j < d; j++)
            {
                if (j != keep && random.NextDouble() < missingFraction)
                {
                    x[(n * d) + j] = double.NaN;
                }
            }
        }

        return x;
    }

    private static (FullGaussian G, double[] Mean, Matrix<double> Covariance) Component(int d, int seed)
    {
        var random = new Random(seed);
        var mean = Reference.RandomVector(d, random, 0.5);
        var covariance = Reference.RandomSpd(d, random);
        return (FullGaussian.WithMeanCovariance(mean, covariance), mean, covariance);
    }

    private static (int[] O, int[] M) Pattern(ReadOnlySpan<double> row)
    {
        var o = new List<int>();
        var m = new List<int>();
        for (int j = 0; j < row.Length; j++)
        {
            (double.IsNaN(row[j]) ? m : o).Add(j);
        }

        return (o.ToArray(), m.ToArray());
    }

    private static Matrix<double> Sub(Matrix<double> a, int[] rows, int[] columns) =>
        Matrix<double>.Build.Dense(rows.Length, columns.Length, (i, j) => a[rows[i], columns[j]]);

    private static Vector<double> Pick(IReadOnlyList<double> v, int[] indices) => Vector<double>.Build.Dense(indices.Length, i => v[indices[i]]);

    /// <summary>log N(x_O | μ_O, Σ_OO) with MathNet's inverse and determinant of the sub-matrix.</summary>
    private static double NaiveMarginal(double[] row, double[] mean, Matrix<double> covariance)
    {
        var (o, _) = Pattern(row);
        var s = Sub(covariance, o, o);
        var r = Pick(row, o) - Pick(mean, o);
        return -0.5 * ((o.Length * Math.Log(2 * Math.PI)) + Math.Log(s.Determinant()) + (r * s.Inverse() * r));
    }

    /// <summary>(x_O, μ_M + Σ_MO Σ_OO⁻¹ (x_O − μ_O)) and Σ_MM − Σ_MO Σ_OO⁻¹ Σ_OM, with MathNet.</summary>
    private static (double[] Completed, Matrix<double> Conditional, int[] Missing) NaiveConditional(double[] row, double[] mean, Matrix<double> covariance)
    {
        var (o, m) = Pattern(row);
        var completed = (double[])row.Clone();
        if (m.Length == 0)
        {
            return (completed, Matrix<double>.Build.Dense(0, 0), m);
        }

        var soo = Sub(covariance, o, o).Inverse();
        var smo = Sub(covariance, m, o);
        var xm = Pick(mean, m) + (smo * soo * (Pick(row, o) - Pick(mean, o)));
        for (int a = 0; a < m.Length; a++)
        {
            completed[m[a]] = xm[a];
        }

        return (completed, Sub(covariance, m, m) - (smo * soo * smo.Transpose()), m);
    }

    [Fact]
    public void Marginal_log_density_of_rows_with_missing_entries_equals_the_sub_matrix_formula()
    {
        var (g, mean, covariance) = Component(D, 11);
        int rows = 120;
        var x = RowsWithMissing(rows, D, 12);
        var result = new double[rows];

        g.MarginalLogDensity(x, result);

        for (int n = 0; n < rows; n++)
        {
            var row = x.AsSpan(n * D, D).ToArray();
            result[n].ShouldBeClose(NaiveMarginal(row, mean, covariance), 1e-10, $"row {n}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Marginal_log_density_with_one_missing_entry_equals_the_integral_of_the_full_density(int missing)
    {
        var (g, mean, covariance) = Component(3, 21);
        var row = new[] { 0.3, -0.7, 1.1 };
        row[missing] = double.NaN;
        var result = new double[1];
        g.MarginalLogDensity(row, result);

        // Composite Simpson over μ ± 14σ of the missing coordinate.
        double sigma = Math.Sqrt(covariance[missing, missing]);
        double lo = mean[missing] - (14 * sigma), hi = mean[missing] + (14 * sigma);
        int steps = 20000;
        double h = (hi - lo) / steps, integral = 0;
        var full = (double[])row.Clone();
        for (int i = 0; i <= steps; i++)
        {
            full[missing] = lo + (i * h);
            double f = Math.Exp(g.LogDensity(full));
            integral += f * (i == 0 || i == steps ? 1 : (i % 2 == 1 ? 4 : 2));
        }

        integral *= h / 3;
        result[0].ShouldBeClose(Math.Log(integral), 1e-9);
    }

    [Fact]
    public void Complete_rows_give_the_log_density_and_the_plain_statistics()
    {
        var (g, _, _) = Component(D, 31);
        int rows = 70;
        var x = Reference.ToRowMajor(Reference.Gaussian(rows, D, 32));
        var marginal = new double[rows];
        var plain = new double[rows];
        g.MarginalLogDensity(x, marginal);
        ((IComponent)g).LogDensity(x, plain);
        for (int n = 0; n < rows; n++)
        {
            marginal[n].ShouldBeClose(plain[n], 1e-12, $"row {n}");
        }

        var weights = Enumerable.Range(0, rows).Select(i => 0.1 + ((i * 7) % 5)).ToArray();
        var family = new FullCovarianceFamily(D, 0);
        var incomplete = (FullScatterStatistics)family.CreateStatistics(g);
        var complete = (FullScatterStatistics)family.CreateStatistics(g);
        incomplete.AccumulateIncomplete(x, weights);
        complete.Accumulate(x, weights);
        AssertSame(incomplete, complete, 1e-12);

        var completed = new double[D];
        g.ConditionalMean(x.AsSpan(0, D), completed);
        completed.Should().Equal(x.AsSpan(0, D).ToArray());
    }

    [Fact]
    public void Conditional_mean_equals_the_regression_formula()
    {
        var (g, mean, covariance) = Component(D, 41);
        int rows = 60;
        var x = RowsWithMissing(rows, D, 42);
        var completed = new double[D];
        for (int n = 0; n < rows; n++)
        {
            var row = x.AsSpan(n * D, D).ToArray();
            g.ConditionalMean(row, completed);
            var (expected, _, _) = NaiveConditional(row, mean, covariance);
            for (int j = 0; j < D; j++)
            {
                if (double.IsNaN(row[j]))
                {
                    completed[j].ShouldBeClose(expected[j], 1e-10, $"row {n}, column {j}");
                }
                else
                {
                    completed[j].Should().Be(row[j], "observed entries are copied");
                }
            }
        }
    }

    [Fact]
    public void Incomplete_statistics_equal_the_brute_force_expected_moments()
    {
        var (g, mean, covariance) = Component(D, 51);
        int rows = 90;
        var x = RowsWithMissing(rows, D, 52);
        var weights = Enumerable.Range(0, rows).Select(i => i % 9 == 0 ? 0 : 0.05 + ((i * 13) % 7)).ToArray();
        var s = (FullScatterStatistics)new FullCovarianceFamily(D, 0).CreateStatistics(g);

        s.AccumulateIncomplete(x, weights);

        AssertExpectedMoments(s, x, weights, mean, covariance);
    }

    [Fact]
    public void Incomplete_statistics_of_two_halves_merged_equal_all_at_once()
    {
        var (g, _, _) = Component(D, 61);
        int rows = 101, half = 37;
        var x = RowsWithMissing(rows, D, 62);
        var weights = Enumerable.Range(0, rows).Select(i => 0.5 + ((i * 3) % 4)).ToArray();
        var family = new FullCovarianceFamily(D, 0);
        var a = family.CreateStatistics(g);
        var b = family.CreateStatistics(null);
        family.ResetStatistics(b, g); // as the EM engine does before every pass
        a.AccumulateIncomplete(x.AsSpan(0, half * D), weights.AsSpan(0, half));
        b.AccumulateIncomplete(x.AsSpan(half * D), weights.AsSpan(half));
        var merged = new FullScatterStatistics(D, new[] { 1.0, -2.0, 0.5, 3.0, 0.0 });
        merged.Merge(a);
        merged.Merge(b);
        var once = (FullScatterStatistics)family.CreateStatistics(g);
        once.AccumulateIncomplete(x, weights);

        var moved = new FullScatterStatistics(D, once.Reference);
        moved.Merge(merged);
        AssertSame(moved, once, 1e-11);
    }

    [Fact]
    public void Tied_statistics_take_the_conditional_covariance_from_the_shared_covariance()
    {
        var (shared, _, covariance) = Component(D, 71);
        var tied = new TiedCovarianceFamily(D, 0);
        var mean = new[] { 2.0, -1.0, 0.0, 0.5, 1.5 };
        var second = FullGaussian.WithSharedCovariance((double[])mean.Clone(), shared);
        int rows = 50;
        var x = RowsWithMissing(rows, D, 72);
        var weights = Enumerable.Repeat(1.0, rows).ToArray();
        var s = (FullScatterStatistics)tied.CreateStatistics(second);

        s.AccumulateIncomplete(x, weights);

        AssertExpectedMoments(s, x, weights, mean, covariance);
    }

    [Fact]
    public void Incomplete_statistics_without_a_current_component_throw()
    {
        var x = RowsWithMissing(5, D, 81);
        var s = new FullCovarianceFamily(D, 0).CreateStatistics(null);
        var act = () => s.AccumulateIncomplete(x, new double[5] { 1, 1, 1, 1, 1 });
        act.Should().Throw<InvalidOperationException>();
    }

    private static void AssertExpectedMoments(FullScatterStatistics s, double[] x, double[] weights, double[] mean, Matrix<double> covariance)
    {
        int rows = weights.Length;
        var a = Vector<double>.Build.DenseOfArray(s.Reference.ToArray());
        a.ToArray().Should().Equal(mean, "the statistics are centred on the current mean");
        var sum = Vector<double>.Build.Dense(D);
        var scatter = Matrix<double>.Build.Dense(D, D);
        for (int n = 0; n < rows; n++)
        {
            var row = x.AsSpan(n * D, D).ToArray();
            var (completed, conditional, missing) = NaiveConditional(row, mean, covariance);
            var diff = Vector<double>.Build.DenseOfArray(completed) - a;
            sum += weights[n] * diff;
            scatter += weights[n] * diff.OuterProduct(diff);
            for (int p = 0; p < missing.Length; p++)
            {
                for (int q = 0; q < missing.Length; q++)
                {
                    scatter[missing[p], missing[q]] += weights[n] * conditional[p, q];
                }
            }
        }

        s.TotalWeight.ShouldBeClose(weights.Sum(), 1e-12);
        for (int i = 0; i < D; i++)
        {
            s.WeightedSum[i].ShouldBeClose(sum[i], 1e-10, $"sum {i}");
            for (int j = i; j < D; j++)
            {
                s.Scatter[(i * D) + j].ShouldBeClose(scatter[i, j], 1e-10, $"scatter {i},{j}");
            }
        }
    }

    private static void AssertSame(FullScatterStatistics actual, FullScatterStatistics expected, double tolerance)
    {
        actual.TotalWeight.ShouldBeClose(expected.TotalWeight, tolerance);
        actual.Reference.ToArray().Should().Equal(expected.Reference.ToArray());
        for (int i = 0; i < D; i++)
        {
            actual.WeightedSum[i].ShouldBeClose(expected.WeightedSum[i], tolerance, $"sum {i}");
            for (int j = i; j < D; j++)
            {
                actual.Scatter[(i * D) + j].ShouldBeClose(expected.Scatter[(i * D) + j], tolerance, $"scatter {i},{j}");
            }
        }
    }
}
