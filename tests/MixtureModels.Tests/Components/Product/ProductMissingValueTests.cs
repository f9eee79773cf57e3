using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Categorical;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Normal;
using MixtureModels.Components.Poisson;
using MixtureModels.Components.Product;
using MixtureModels.Tests.Components.Gaussian;

namespace MixtureModels.Tests.Components.Product;

/// <summary>Missing values (NaN) in product components (and their Normal, Poisson, Categorical, Bernoulli, diagonal Gaussian marginals).</summary>
public sealed class ProductMissingValueTests
{
    private const int D = 7;

    private static readonly int[][] Columns = [[0, 1], [2, 3], [4], [5], [6]];

    private static Marginal[] Marginals() =>
    [
        Marginal.Gaussian([0, 1], CovarianceType.Diagonal),
        Marginal.Bernoulli([2, 3]),
        Marginal.Categorical(4, levelCount: 3),
        Marginal.Poisson(5),
        Marginal.Normal(6),
    ];

    private static ProductComponent Component() => new(D, Columns,
    [
        DiagonalGaussian.WithMeanVariances([1.0, -2.0], [0.8, 1.5]),
        BernoulliComponent.WithProbabilities([0.3, 0.65]),
        CategoricalComponent.WithProbabilities([0.2, 0.5, 0.3]),
        PoissonComponent.WithRate(2.5),
        NormalComponent.WithMeanVariance(4.0, 0.6),
    ]);

    /// <summary>Two groups: a real pair, two binary, one categorical (3 levels), one count, one real column.</summary>
    private static double[,] Table(int seed, int rows)
    {
        var random = new Random(seed);
        var x = new double[rows, D];
        for (int n = 0; n < rows; n++)
        {
            bool second = random.NextDouble() < 0.4;
            x[n, 0] = (second ? 3 : -1) + Normal(random);
            x[n, 1] = (0.5 * x[n, 0]) + Normal(random);
            x[n, 2] = random.NextDouble() < (second ? 0.8 : 0.2) ? 1 : 0;
            x[n, 3] = random.NextDouble() < 0.5 ? 1 : 0;
            x[n, 4] = second ? (random.NextDouble() < 0.7 ? 2 : 1) : (random.NextDouble() < 0.7 ? 0 : 1);
            x[n, 5] = Poisson(random, second ? 6 : 1.5);
            x[n, 6] = (second ? 2 : 0) + (0.5 * Normal(random));
        }

        return x;
    }

    private static double[] Row(double[,] x, int n) => Enumerable.Range(0, x.GetLength(1)).Select(j => x[n, j]).ToArray();

    /// <summary>Σ over the discrete missing entries' values (Poisson to 80) of exp(full log-density).</summary>
    private static double SumOverDiscrete(IComponent component, double[] row)
    {
        var missing = Enumerable.Range(0, D).Where(j => double.IsNaN(row[j]) && j >= 2 && j <= 5).ToArray();
        var values = missing.Select(j => j switch { 2 or 3 => new double[] { 0, 1 }, 4 => [0, 1, 2], _ => Enumerable.Range(0, 81).Select(v => (double)v).ToArray() }).ToArray();
        var completed = (double[])row.Clone();
        double total = 0;
        void Recurse(int i)
        {
            if (i == missing.Length)
            {
                total += Math.Exp(component.LogDensity(completed));
                return;
            }

            foreach (double v in values[i])
            {
                completed[missing[i]] = v;
                Recurse(i + 1);
            }
        }

        Recurse(0);
        return total;
    }

    /// <summary>Trapezoid rule over μ ± 12σ for one missing real entry; the discrete ones summed out inside.</summary>
    private static double Integrate(IComponent component, double[] row, int column, double mean, double sd, int points = 2001)
    {
        double a = mean - (12 * sd), h = 24 * sd / (points - 1), total = 0;
        var completed = (double[])row.Clone();
        for (int i = 0; i < points; i++)
        {
            completed[column] = a + (i * h);
            double f = SumOverDiscrete(component, completed);
            total += (i == 0 || i == points - 1 ? 0.5 : 1) * f;
        }

        return total * h;
    }

    [Fact]
    public void Marginal_log_density_equals_brute_force_marginalisation()
    {
        var component = Component();
        var x = Table(1, 40);
        var rows = new List<double[]>();
        var random = new Random(2);
        for (int n = 0; n < 40; n++)
        {
            var row = Row(x, n);
            foreach (int j in new[] { 2, 3, 4, 5 })
            {
                if (random.NextDouble() < 0.4)
                {
                    row[j] = double.NaN;
                }
            }

            rows.Add(row);
        }

        foreach (var row in rows)
        {
            Check(component, row, Math.Log(SumOverDiscrete(component, row)), 1e-10);
        }

        // One missing real entry (the Normal column, then a Gaussian column), with discrete entries missing too.
        var withNormal = Row(x, 3);
        withNormal[6] = double.NaN;
        withNormal[2] = double.NaN;
        Check(component, withNormal, Math.Log(Integrate(component, withNormal, 6, 4.0, Math.Sqrt(0.6))), 1e-8);
        var withGaussian = Row(x, 4);
        withGaussian[1] = double.NaN;
        withGaussian[4] = double.NaN;
        Check(component, withGaussian, Math.Log(Integrate(component, withGaussian, 1, -2.0, Math.Sqrt(1.5))), 1e-8);

        // A whole marginal missing (the Gaussian block): the other marginals' densities alone, written out.
        var block = Row(x, 5);
        block[0] = block[1] = double.NaN;
        double expected = BernoulliComponent.WithProbabilities([0.3, 0.65]).LogDensity([block[2], block[3]])
            + Math.Log(new[] { 0.2, 0.5, 0.3 }[(int)block[4]])
            + ((block[5] * Math.Log(2.5)) - 2.5 - Enumerable.Range(1, (int)block[5]).Sum(i => Math.Log(i)))
            + (-0.5 * (Math.Log(2 * Math.PI * 0.6) + ((block[6] - 4.0) * (block[6] - 4.0) / 0.6)));
        Check(component, block, expected, 1e-10);

        // Complete rows: the same as the fast path.
        var complete = new double[40 * D];
        for (int n = 0; n < 40; n++)
        {
            Row(x, n).CopyTo(complete, n * D);
        }

        var fast = new double[40];
        var marginal = new double[40];
        component.LogDensity(complete, fast);
        component.MarginalLogDensity(complete, marginal);
        for (int n = 0; n < 40; n++)
        {
            marginal[n].Should().BeApproximately(fast[n], 1e-12 * Math.Max(1, Math.Abs(fast[n])));
        }
    }

    private static void Check(IComponent component, double[] row, double expected, double tolerance)
    {
        var result = new double[1];
        ((IMissingValueComponent)component).MarginalLogDensity(row, result);
        result[0].Should().BeApproximately(expected, tolerance * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void Conditional_mean_fills_each_marginals_mean()
    {
        var component = Component();
        var completed = new double[D];
        component.ConditionalMean([double.NaN, 0.5, double.NaN, 1, double.NaN, double.NaN, double.NaN], completed);
        completed.Should().Equal(1.0, 0.5, 0.3, 1, 0.5 + (2 * 0.3), 2.5, 4.0);
        component.ConditionalMean([double.NaN, double.NaN, 0, 1, 2, 3, 1.5], completed);
        completed.Should().Equal(1.0, -2.0, 0, 1, 2, 3, 1.5);
    }

    [Fact]
    public void One_column_statistics_skip_missing_rows_entirely()
    {
        double[] rows = [1.5, double.NaN, 2.0, 4.0, double.NaN];
        double[] weights = [0.5, 1.0, 2.0, 0.25, 3.0];
        double[] observed = [1.5, 2.0, 4.0];
        double[] observedWeights = [0.5, 2.0, 0.25];
        double[] counts = [1, double.NaN, 2, 0, double.NaN];

        var normal = new NormalStatistics(1.0);
        var normalExpected = new NormalStatistics(1.0);
        normal.AccumulateIncomplete(rows, weights);
        normalExpected.Accumulate(observed, observedWeights);
        normal.TotalWeight.Should().Be(normalExpected.TotalWeight);
        normal.WeightedSum.Should().Be(normalExpected.WeightedSum);
        normal.Scatter.Should().Be(normalExpected.Scatter);

        var poisson = new PoissonStatistics();
        poisson.AccumulateIncomplete(counts, weights);
        poisson.TotalWeight.Should().Be(0.5 + 2.0 + 0.25);
        poisson.WeightedSum.Should().Be(0.5 + 4.0);

        var categorical = new CategoricalStatistics(3);
        categorical.AccumulateIncomplete(counts, weights);
        categorical.TotalWeight.Should().Be(2.75);
        categorical.WeightedCounts.ToArray().Should().Equal(0.25, 0.5, 2.0);

        // Densities: nothing observed is log 1; a 1-D density integrates / sums to 1 over the missing value.
        var result = new double[2];
        NormalComponent.WithMeanVariance(4, 0.6).MarginalLogDensity([double.NaN, 4.0], result);
        result[0].Should().Be(0);
        result[1].Should().BeApproximately(NormalComponent.WithMeanVariance(4, 0.6).LogDensity([4.0]), 1e-15);
        PoissonComponent.WithRate(2.5).MarginalLogDensity([double.NaN, 3], result);
        result[0].Should().Be(0);
        result[1].Should().BeApproximately(PoissonComponent.WithRate(2.5).LogDensity([3.0]), 1e-15);
        CategoricalComponent.WithProbabilities([0.2, 0.5, 0.3]).MarginalLogDensity([double.NaN, 2], result);
        result[0].Should().Be(0);
        result[1].Should().BeApproximately(Math.Log(0.3), 1e-15);
    }

    [Fact]
    public void Product_statistics_count_every_row_and_merge_consistently()
    {
        var family = new ProductFamily(D, Marginals());
        var x = DiagonalMissingValueTests.RemoveAtRandom(Table(3, 120), 0.25, 4);
        var rows = new double[120 * D];
        for (int n = 0; n < 120; n++)
        {
            Row(x, n).CopyTo(rows, n * D);
        }

        var weights = Enumerable.Range(0, 120).Select(i => 0.1 + ((i * 37 % 11) / 7.0)).ToArray();
        var whole = family.CreateStatistics(Component());
        whole.AccumulateIncomplete(rows, weights);
        whole.TotalWeight.Should().BeApproximately(weights.Sum(), 1e-12);

        var a = family.CreateStatistics(Component());
        var b = family.CreateStatistics(null);
        a.AccumulateIncomplete(rows.AsSpan(0, 50 * D), weights.AsSpan(0, 50));
        b.AccumulateIncomplete(rows.AsSpan(50 * D), weights.AsSpan(50));
        a.Merge(b);
        a.TotalWeight.Should().BeApproximately(whole.TotalWeight, 1e-12);
        AssertSameEstimate(family, whole, a, rows, 1e-9);

        // Complete rows: the incomplete path equals the fast one.
        var complete = Table(5, 80);
        var completeRows = new double[80 * D];
        for (int n = 0; n < 80; n++)
        {
            Row(complete, n).CopyTo(completeRows, n * D);
        }

        var fast = family.CreateStatistics(Component());
        var slow = family.CreateStatistics(Component());
        fast.Accumulate(completeRows, weights.AsSpan(0, 80));
        slow.AccumulateIncomplete(completeRows, weights.AsSpan(0, 80));
        slow.TotalWeight.Should().BeApproximately(fast.TotalWeight, 1e-12);
        AssertSameEstimate(family, fast, slow, completeRows, 1e-11);
    }

    private static void AssertSameEstimate(ProductFamily family, ProductStatistics expected, ProductStatistics actual, double[] rows, double tolerance)
    {
        var e = new ProductComponent[1];
        var f = new ProductComponent[1];
        family.Estimate([expected], e);
        family.Estimate([actual], f);
        int n = rows.Length / D;
        var le = new double[n];
        var lf = new double[n];
        e[0].MarginalLogDensity(rows, le);
        f[0].MarginalLogDensity(rows, lf);
        for (int i = 0; i < n; i++)
        {
            lf[i].Should().BeApproximately(le[i], tolerance * Math.Max(1, Math.Abs(le[i])));
        }
    }

    [Fact]
    public void Fitting_a_table_with_missing_entries_is_monotone_and_the_model_handles_NaN()
    {
        var x = DiagonalMissingValueTests.RemoveAtRandom(Table(7, 500), 0.1, 8);
        var model = new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Marginals = Marginals(), MissingValues = MissingValueHandling.Marginalize, Tolerance = 0, MaxIterations = 60, Seed = 3 }).Fit(x);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        model.Weights.Should().AllSatisfy(w => (w > 0 && double.IsFinite(w)).Should().BeTrue());
        foreach (var c in model.Components)
        {
            var mean = new double[D];
            c.ConditionalMean(Enumerable.Repeat(double.NaN, D).ToArray(), mean);
            mean.Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        }

        var logDensity = model.LogDensity(x);
        logDensity.Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        model.Predict(x).Should().HaveCount(500);
        model.PredictProbabilities(x).Cast<double>().Should().AllSatisfy(p => double.IsFinite(p).Should().BeTrue());

        var imputed = model.Impute(x);
        for (int n = 0; n < 500; n++)
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

    [Fact]
    public void As_fewer_entries_are_missing_the_fit_approaches_the_complete_data_fit()
    {
        var complete = Table(9, 600);
        var options = new ProductMixtureOptions { ComponentCount = 2, Marginals = Marginals(), MissingValues = MissingValueHandling.Marginalize, Tolerance = 0, MaxIterations = 5, Seed = 1 };
        var start = new ProductMixture(options).Fit(complete);
        var startOptions = options with
        {
            MaxIterations = 150,
            InitialWeights = start.Weights.ToArray(),
            InitialMarginals = start.Components.Select(c => (IReadOnlyList<IComponent>)c.Marginals.ToArray()).ToArray(),
        };

        var reference = new ProductMixture(startOptions).Fit(complete);
        var distances = new[] { 0.2, 0.05, 0.01 }.Select(f => Distance(new ProductMixture(startOptions).Fit(DiagonalMissingValueTests.RemoveAtRandom(complete, f, 10)), reference)).ToArray();
        distances[0].Should().BeGreaterThan(distances[1]);
        distances[1].Should().BeGreaterThan(distances[2]);
    }

    /// <summary>Σ |Δ weight| + Σ over components of |Δ conditional mean of an empty row| (each marginal's mean).</summary>
    private static double Distance(ProductMixtureModel a, ProductMixtureModel b)
    {
        double sum = 0;
        var empty = Enumerable.Repeat(double.NaN, D).ToArray();
        var ma = new double[D];
        var mb = new double[D];
        for (int k = 0; k < a.ComponentCount; k++)
        {
            sum += Math.Abs(a.Weights[k] - b.Weights[k]);
            a.Components[k].ConditionalMean(empty, ma);
            b.Components[k].ConditionalMean(empty, mb);
            for (int j = 0; j < D; j++)
            {
                sum += Math.Abs(ma[j] - mb[j]);
            }
        }

        return sum;
    }

    [Fact]
    public void Bad_inputs_are_named()
    {
        var x = Table(11, 80);
        x[3, 4] = double.NaN;
        var reject = () => new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Marginals = Marginals() }).Fit(x);
        reject.Should().Throw<ArgumentException>().WithMessage("*row 3, column 4*");

        var options = new ProductMixtureOptions { ComponentCount = 2, Marginals = Marginals(), MissingValues = MissingValueHandling.Marginalize, MaxIterations = 5 };
        var model = new ProductMixture(options).Fit(x); // NaN in a categorical column is accepted

        var badLevel = (double[,])x.Clone();
        badLevel[6, 4] = 5;
        var fitLevel = () => new ProductMixture(options).Fit(badLevel);
        fitLevel.Should().Throw<ArgumentException>().WithMessage("*[6, 4] = 5*Categorical*");
        var queryLevel = () => model.Predict(badLevel);
        queryLevel.Should().Throw<ArgumentException>().WithMessage("*[6, 4] = 5*Categorical*");

        var infinite = (double[,])x.Clone();
        infinite[2, 6] = double.NegativeInfinity;
        var fitInfinite = () => new ProductMixture(options).Fit(infinite);
        fitInfinite.Should().Throw<ArgumentException>().WithMessage("*-Infinity at row 2, column 6*");

        var allMissing = (double[,])x.Clone();
        for (int j = 0; j < D; j++)
        {
            allMissing[8, j] = double.NaN;
        }

        var fitRow = () => new ProductMixture(options).Fit(allMissing);
        fitRow.Should().Throw<ArgumentException>().WithMessage("*row 8 has every entry missing*");

        var never = (double[,])x.Clone();
        for (int n = 0; n < 80; n++)
        {
            never[n, 5] = double.NaN;
        }

        var fitNever = () => new ProductMixture(options).Fit(never);
        fitNever.Should().Throw<ArgumentException>().WithMessage("*column 5 is never observed*");
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }
}
