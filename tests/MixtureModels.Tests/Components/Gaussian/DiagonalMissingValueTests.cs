using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>Missing values (NaN) in diagonal and spherical Gaussians: marginal densities, observed-entry statistics, EM.</summary>
public sealed class DiagonalMissingValueTests
{
    private const int D = 4;

    private static readonly double[] Mu = [0.5, -1.0, 2.0, 10.0];
    private static readonly double[] Var = [0.7, 2.5, 0.3, 4.0];

    /// <summary>Rows with about 30% of the entries missing (never a whole row), and weights in [0, 2).</summary>
    internal static (double[] Rows, double[] Weights) IncompleteData(int n, int seed, double fraction = 0.3)
    {
        var random = new Random(seed);
        var rows = new double[n * D];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            weights[i] = i % 7 == 3 ? 0 : 2 * random.NextDouble();
            int missing = 0;
            for (int j = 0; j < D; j++)
            {
                rows[(i * D) + j] = Mu[j] + (3 * (random.NextDouble() - 0.5));
                if (random.NextDouble() < fraction && missing < D - 1)
                {
                    rows[(i * D) + j] = double.NaN;
                    missing++;
                }
            }
        }

        return (rows, weights);
    }

    private static GaussianComponent[] Components() =>
        [DiagonalGaussian.WithMeanVariances(Mu, Var), SphericalGaussian.WithMeanVariance(Mu, 1.7)];

    /// <summary>The density of the observed entries written independently: a Gaussian on the kept columns only.</summary>
    private static double DroppedColumnsLogDensity(GaussianComponent component, double[] row)
    {
        var kept = Enumerable.Range(0, D).Where(j => !double.IsNaN(row[j])).ToArray();
        var covariance = component.GetCovariance();
        var mean = kept.Select(j => component.Mean[j]).ToArray();
        var variances = kept.Select(j => covariance[j, j]).ToArray();
        var values = kept.Select(j => row[j]).ToArray();
        return DiagonalGaussian.WithMeanVariances(mean, variances).LogDensity(values);
    }

    [Fact]
    public void Marginal_log_density_equals_the_density_with_the_missing_columns_dropped()
    {
        var (rows, _) = IncompleteData(60, 1);
        foreach (var component in Components())
        {
            var result = new double[60];
            component.MarginalLogDensity(rows, result);
            for (int n = 0; n < 60; n++)
            {
                var row = rows.AsSpan(n * D, D).ToArray();
                result[n].Should().BeApproximately(DroppedColumnsLogDensity(component, row), 1e-12 * Math.Max(1, Math.Abs(result[n])));
            }
        }
    }

    [Fact]
    public void Marginal_log_density_of_complete_rows_equals_the_log_density()
    {
        var (rows, _) = IncompleteData(40, 2, fraction: 0);
        foreach (var component in Components())
        {
            var fast = new double[40];
            var marginal = new double[40];
            component.LogDensity(rows, fast);
            component.MarginalLogDensity(rows, marginal);
            for (int n = 0; n < 40; n++)
            {
                marginal[n].Should().BeApproximately(fast[n], 1e-12 * Math.Max(1, Math.Abs(fast[n])));
            }
        }
    }

    [Fact]
    public void Conditional_mean_copies_observed_entries_and_fills_the_means()
    {
        var row = new[] { 1.0, double.NaN, double.NaN, 3.0 };
        foreach (var component in Components())
        {
            var completed = new double[D];
            component.ConditionalMean(row, completed);
            completed.Should().Equal(1.0, Mu[1], Mu[2], 3.0);
        }
    }

    [Fact]
    public void Accumulating_complete_rows_incompletely_equals_accumulating_them()
    {
        var (rows, weights) = IncompleteData(50, 3, fraction: 0);
        var fast = new DiagonalScatterStatistics(D, Mu);
        var slow = new DiagonalScatterStatistics(D, Mu);
        fast.Accumulate(rows, weights);
        slow.AccumulateIncomplete(rows, weights);

        slow.TotalWeight.Should().BeApproximately(fast.TotalWeight, 1e-12);
        for (int j = 0; j < D; j++)
        {
            slow.WeightedSum[j].Should().BeApproximately(fast.WeightedSum[j], 1e-11);
            slow.Scatter[j].Should().BeApproximately(fast.Scatter[j], 1e-11);
            slow.MissingWeights[j].Should().Be(0);
        }

        foreach (GaussianFamily family in new GaussianFamily[] { new DiagonalCovarianceFamily(D, 1e-6), new SphericalCovarianceFamily(D, 1e-6) })
        {
            var a = Estimate(family, fast);
            var b = Estimate(family, slow);
            for (int j = 0; j < D; j++)
            {
                b.Mean[j].Should().BeApproximately(a.Mean[j], 1e-12);
                b.GetCovariance()[j, j].Should().BeApproximately(a.GetCovariance()[j, j], 1e-12);
            }
        }
    }

    [Fact]
    public void The_M_step_uses_each_columns_observed_entries_only()
    {
        var (rows, weights) = IncompleteData(80, 4);
        var s = new DiagonalScatterStatistics(D);
        s.AccumulateIncomplete(rows, weights);
        s.TotalWeight.Should().BeApproximately(weights.Sum(), 1e-12);

        const double reg = 1e-6;
        var diagonal = Estimate(new DiagonalCovarianceFamily(D, reg), s);
        var spherical = (SphericalGaussian)Estimate(new SphericalCovarianceFamily(D, reg), s);
        double scatterTotal = 0, weightTotal = 0;
        for (int j = 0; j < D; j++)
        {
            double w = 0, sum = 0;
            for (int n = 0; n < 80; n++)
            {
                double x = rows[(n * D) + j];
                if (!double.IsNaN(x))
                {
                    w += weights[n];
                    sum += weights[n] * x;
                }
            }

            double mean = sum / w, scatter = 0;
            for (int n = 0; n < 80; n++)
            {
                double x = rows[(n * D) + j];
                if (!double.IsNaN(x))
                {
                    scatter += weights[n] * (x - mean) * (x - mean);
                }
            }

            diagonal.Mean[j].Should().BeApproximately(mean, 1e-9);
            spherical.Mean[j].Should().BeApproximately(mean, 1e-9);
            diagonal.GetCovariance()[j, j].Should().BeApproximately((scatter / w) + reg, 1e-9);
            scatterTotal += scatter;
            weightTotal += w;
        }

        spherical.Variance.Should().BeApproximately((scatterTotal / weightTotal) + reg, 1e-9);
    }

    [Fact]
    public void Two_halves_merged_equal_all_at_once_for_any_reference_points()
    {
        var (rows, weights) = IncompleteData(101, 5);
        int half = 47;
        var whole = new DiagonalScatterStatistics(D, [1.0, 2.0, 3.0, 4.0]);
        whole.AccumulateIncomplete(rows, weights);

        var a = new DiagonalScatterStatistics(D, [-5.0, 0.0, 7.5, 100.0]);
        var b = new DiagonalScatterStatistics(D); // reference from the data; its first row has missing entries
        a.AccumulateIncomplete(rows.AsSpan(0, half * D), weights.AsSpan(0, half));
        b.AccumulateIncomplete(rows.AsSpan(half * D), weights.AsSpan(half));
        foreach (double r in b.Reference)
        {
            double.IsNaN(r).Should().BeFalse();
        }

        var merged = new DiagonalScatterStatistics(D, [0.25, -0.5, 1.0, 2.0]);
        merged.Merge(a);
        merged.Merge(b);

        // And through the saved values, with the missing weights.
        var restored = DiagonalScatterStatistics.FromValues(merged.TotalWeight, merged.Reference, merged.WeightedSum, merged.Scatter, merged.MissingWeights);

        merged.TotalWeight.Should().BeApproximately(whole.TotalWeight, 1e-12);
        for (int j = 0; j < D; j++)
        {
            merged.MissingWeights[j].Should().BeApproximately(whole.MissingWeights[j], 1e-12);
        }

        foreach (GaussianFamily family in new GaussianFamily[] { new DiagonalCovarianceFamily(D, 1e-6), new SphericalCovarianceFamily(D, 1e-6) })
        {
            var expected = Estimate(family, whole);
            foreach (var s in new[] { merged, restored })
            {
                var actual = Estimate(family, s);
                for (int j = 0; j < D; j++)
                {
                    actual.Mean[j].Should().BeApproximately(expected.Mean[j], 1e-10);
                    actual.GetCovariance()[j, j].Should().BeApproximately(expected.GetCovariance()[j, j], 1e-10);
                }
            }
        }

        // Clear forgets the missing weights too.
        merged.Clear();
        merged.MissingWeights.ToArray().Should().AllSatisfy(m => m.Should().Be(0));
    }

    [Fact]
    public void From_values_keeps_the_old_overload_and_checks_the_missing_weights()
    {
        var old = DiagonalScatterStatistics.FromValues(2, [0.0, 0.0], [0.1, 0.2], [1.0, 1.0]);
        old.MissingWeights.ToArray().Should().Equal(0.0, 0.0);
        var bad = () => DiagonalScatterStatistics.FromValues(2, [0.0, 0.0], [0.1, 0.2], [1.0, 1.0], [3.0, 0.0]);
        bad.Should().Throw<ArgumentException>().WithMessage("*missingWeights[0]*");
        var length = () => DiagonalScatterStatistics.FromValues(2, [0.0, 0.0], [0.1, 0.2], [1.0, 1.0], [0.0]);
        length.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Fitting_iris_with_missing_entries_is_monotone_and_the_model_handles_NaN(CovarianceType type)
    {
        var complete = TestData.Iris(out _);
        var x = RemoveAtRandom(complete, 0.1, 11);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            MissingValues = MissingValueHandling.Marginalize,
            Tolerance = 0,
            MaxIterations = 60,
            Seed = 2,
        }).Fit(x);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        foreach (var c in model.Components)
        {
            c.Mean.ToArray().Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
            c.GetCovariance().Enumerate().Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        }

        model.Weights.Should().AllSatisfy(w => (w > 0 && double.IsFinite(w)).Should().BeTrue());
        model.Weights.Sum().Should().BeApproximately(1, 1e-12);

        var logDensity = model.LogDensity(x);
        logDensity.Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        var probabilities = model.PredictProbabilities(x);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            Enumerable.Range(0, 3).Sum(k => probabilities[n, k]).Should().BeApproximately(1, 1e-12);
        }

        model.Predict(x).Should().HaveCount(150).And.AllSatisfy(l => l.Should().BeInRange(0, 2));

        // The mixture density of a row with NaN is the mixture of the dropped-column densities.
        for (int n = 0; n < 150; n++)
        {
            var row = Enumerable.Range(0, D).Select(j => x[n, j]).ToArray();
            double mixture = Enumerable.Range(0, 3).Sum(k => model.Weights[k] * Math.Exp(DroppedColumnsLogDensity(model.Components[k], row)));
            logDensity[n].Should().BeApproximately(Math.Log(mixture), 1e-9 * Math.Max(1, Math.Abs(logDensity[n])));
        }

        var imputed = model.Impute(x);
        for (int n = 0; n < 150; n++)
        {
            for (int j = 0; j < D; j++)
            {
                double.IsNaN(imputed[n, j]).Should().BeFalse();
                if (!double.IsNaN(x[n, j]))
                {
                    imputed[n, j].Should().Be(x[n, j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void As_fewer_entries_are_missing_the_fit_approaches_the_complete_data_fit(CovarianceType type)
    {
        var complete = TestData.Iris(out _);
        var start = Matrix<double>.Build.DenseOfRowArrays(
            Enumerable.Range(0, 4).Select(j => complete[10, j]).ToArray(),
            Enumerable.Range(0, 4).Select(j => complete[60, j]).ToArray(),
            Enumerable.Range(0, 4).Select(j => complete[110, j]).ToArray());
        GaussianMixtureModel Fit(double[,] data) => new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            MissingValues = MissingValueHandling.Marginalize,
            InitialMeans = start,
            Tolerance = 0,
            MaxIterations = 200,
        }).Fit(data);

        var reference = Fit(complete);
        var distances = new[] { 0.2, 0.05, 0.01 }.Select(f => Distance(Fit(RemoveAtRandom(complete, f, 3)), reference)).ToArray();
        distances[0].Should().BeGreaterThan(distances[1]);
        distances[1].Should().BeGreaterThan(distances[2]);
        distances[2].Should().BeLessThan(0.1);
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        var x = TestData.Iris(out _);
        x[3, 1] = double.NaN;
        var reject = () => new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal }).Fit(x);
        reject.Should().Throw<ArgumentException>().WithMessage("*row 3, column 1*");

        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Spherical, MissingValues = MissingValueHandling.Marginalize };
        var allMissing = (double[,])x.Clone();
        for (int j = 0; j < D; j++)
        {
            allMissing[9, j] = double.NaN;
        }

        var fitRow = () => new GaussianMixture(options).Fit(allMissing);
        fitRow.Should().Throw<ArgumentException>().WithMessage("*row 9 has every entry missing*");

        var neverObserved = (double[,])x.Clone();
        for (int n = 0; n < 150; n++)
        {
            neverObserved[n, 3] = double.NaN;
        }

        var fitColumn = () => new GaussianMixture(options).Fit(neverObserved);
        fitColumn.Should().Throw<ArgumentException>().WithMessage("*column 3 is never observed*");

        var infinite = (double[,])x.Clone();
        infinite[4, 2] = double.PositiveInfinity;
        var fitInfinite = () => new GaussianMixture(options).Fit(infinite);
        fitInfinite.Should().Throw<ArgumentException>().WithMessage("*Infinity at row 4, column 2*");

        var model = new GaussianMixture(options).Fit(x);
        var query = () => model.LogDensity(allMissing);
        query.Should().Throw<ArgumentException>().WithMessage("*row 9 has every entry missing*");
    }

    /// <summary>A copy with each entry removed with probability <paramref name="fraction"/> (never a whole row); nested across fractions for one seed.</summary>
    internal static double[,] RemoveAtRandom(double[,] x, double fraction, int seed)
    {
        var random = new Random(seed);
        var result = (double[,])x.Clone();
        int rows = x.GetLength(0), columns = x.GetLength(1);
        for (int n = 0; n < rows; n++)
        {
            int missing = 0;
            for (int j = 0; j < columns; j++)
            {
                if (random.NextDouble() < fraction && missing < columns - 1)
                {
                    result[n, j] = double.NaN;
                    missing++;
                }
            }
        }

        return result;
    }

    private static double Distance(GaussianMixtureModel a, GaussianMixtureModel b)
    {
        double sum = 0;
        for (int k = 0; k < a.ComponentCount; k++)
        {
            sum += Math.Abs(a.Weights[k] - b.Weights[k]);
            var ca = a.Components[k].GetCovariance();
            var cb = b.Components[k].GetCovariance();
            for (int j = 0; j < a.Dimension; j++)
            {
                sum += Math.Abs(a.Components[k].Mean[j] - b.Components[k].Mean[j]) + Math.Abs(ca[j, j] - cb[j, j]);
            }
        }

        return sum;
    }

    private static GaussianComponent Estimate(GaussianFamily family, GaussianStatistics statistics)
    {
        var destination = new GaussianComponent[1];
        family.Estimate([statistics], destination);
        return destination[0];
    }
}
