using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Tests.Components.Gaussian;

namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>Missing values (NaN) in independent Bernoulli components and mixtures.</summary>
public sealed class BernoulliMissingValueTests
{
    private const int D = 5;

    private static double[] IncompleteRows(int rows, int seed, double fraction = 0.3)
    {
        var x = BernoulliTestData.Binary(rows, D, seed);
        var random = new Random(seed + 100);
        for (int n = 0; n < rows; n++)
        {
            int missing = 0;
            for (int j = 0; j < D; j++)
            {
                if (random.NextDouble() < fraction && missing < D - 1)
                {
                    x[(n * D) + j] = double.NaN;
                    missing++;
                }
            }
        }

        return x;
    }

    /// <summary>log Σ over every completion of the missing entries of exp(full log-density).</summary>
    private static double BruteForce(IComponent component, double[] row)
    {
        var missing = Enumerable.Range(0, row.Length).Where(j => double.IsNaN(row[j])).ToArray();
        double total = 0;
        var completed = (double[])row.Clone();
        for (int mask = 0; mask < 1 << missing.Length; mask++)
        {
            for (int i = 0; i < missing.Length; i++)
            {
                completed[missing[i]] = (mask >> i) & 1;
            }

            total += Math.Exp(component.LogDensity(completed));
        }

        return Math.Log(total);
    }

    [Fact]
    public void Marginal_log_density_equals_the_sum_over_the_missing_entries_values()
    {
        var component = BernoulliComponent.WithProbabilities(BernoulliTestData.Probabilities(D, 1));
        var rows = IncompleteRows(40, 2);
        var result = new double[40];
        component.MarginalLogDensity(rows, result);
        for (int n = 0; n < 40; n++)
        {
            result[n].Should().BeApproximately(BruteForce(component, rows.AsSpan(n * D, D).ToArray()), 1e-12 * Math.Max(1, Math.Abs(result[n])));
        }

        var complete = BernoulliTestData.Binary(40, D, 3);
        var fast = new double[40];
        component.LogDensity(complete, fast);
        component.MarginalLogDensity(complete, result);
        for (int n = 0; n < 40; n++)
        {
            result[n].Should().BeApproximately(fast[n], 1e-12 * Math.Max(1, Math.Abs(fast[n])));
        }

        var mean = new double[D];
        component.ConditionalMean([1, double.NaN, 0, double.NaN, 1], mean);
        mean.Should().Equal(1, component.Probabilities[1], 0, component.Probabilities[3], 1);
    }

    [Fact]
    public void Statistics_use_the_observed_entries_per_column_and_merge_consistently()
    {
        var rows = IncompleteRows(90, 4);
        var weights = BernoulliTestData.Weights(90, 5);
        var family = new BernoulliFamily(D);

        var whole = new BernoulliStatistics(D);
        whole.AccumulateIncomplete(rows, weights);
        whole.TotalWeight.Should().BeApproximately(weights.Sum(), 1e-12);

        var estimated = new BernoulliComponent[1];
        family.Estimate([whole], estimated);
        for (int j = 0; j < D; j++)
        {
            double w = 0, c = 0;
            for (int n = 0; n < 90; n++)
            {
                double x = rows[(n * D) + j];
                if (!double.IsNaN(x))
                {
                    w += weights[n];
                    c += weights[n] * x;
                }
            }

            estimated[0].Probabilities[j].Should().BeApproximately(Math.Clamp(c / w, 1e-10, 1 - 1e-10), 1e-12);
        }

        var a = new BernoulliStatistics(D);
        var b = new BernoulliStatistics(D);
        a.AccumulateIncomplete(rows.AsSpan(0, 40 * D), weights.AsSpan(0, 40));
        b.AccumulateIncomplete(rows.AsSpan(40 * D), weights.AsSpan(40));
        a.Merge(b);
        var restored = BernoulliStatistics.FromValues(a.TotalWeight, a.WeightedCounts, a.MissingWeights);
        foreach (var s in new[] { a, restored })
        {
            s.TotalWeight.Should().BeApproximately(whole.TotalWeight, 1e-12);
            for (int j = 0; j < D; j++)
            {
                s.WeightedCounts[j].Should().BeApproximately(whole.WeightedCounts[j], 1e-12);
                s.MissingWeights[j].Should().BeApproximately(whole.MissingWeights[j], 1e-12);
            }
        }

        a.Clear();
        a.MissingWeights.ToArray().Should().AllSatisfy(m => m.Should().Be(0));

        // Complete rows: the incomplete path equals the fast one.
        var complete = BernoulliTestData.Binary(90, D, 6);
        var fast = new BernoulliStatistics(D);
        var slow = new BernoulliStatistics(D);
        fast.Accumulate(complete, weights);
        slow.AccumulateIncomplete(complete, weights);
        slow.TotalWeight.Should().BeApproximately(fast.TotalWeight, 1e-12);
        for (int j = 0; j < D; j++)
        {
            slow.WeightedCounts[j].Should().BeApproximately(fast.WeightedCounts[j], 1e-12);
            slow.MissingWeights[j].Should().Be(0);
        }
    }

    [Fact]
    public void Fitting_with_missing_entries_is_monotone_and_the_model_handles_NaN()
    {
        var complete = ToArray(BernoulliTestData.Binary(400, D, 7), 400);
        var x = DiagonalMissingValueTests.RemoveAtRandom(complete, 0.1, 8);
        var model = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize, Tolerance = 0, MaxIterations = 50, Seed = 1 }).Fit(x);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])));
        }

        foreach (var c in model.Components)
        {
            c.Probabilities.ToArray().Should().AllSatisfy(p => (p > 0 && p < 1).Should().BeTrue());
        }

        model.LogDensity(x).Should().AllSatisfy(v => double.IsFinite(v).Should().BeTrue());
        model.Predict(x).Should().HaveCount(400);
        model.PredictProbabilities(x).Cast<double>().Should().AllSatisfy(p => double.IsFinite(p).Should().BeTrue());
        var imputed = model.Impute(x);
        for (int n = 0; n < 400; n++)
        {
            for (int j = 0; j < D; j++)
            {
                if (double.IsNaN(x[n, j]))
                {
                    imputed[n, j].Should().BeInRange(0, 1);
                }
                else
                {
                    imputed[n, j].Should().Be(x[n, j]);
                }
            }
        }
    }

    [Fact]
    public void NaN_is_accepted_only_with_marginalisation_and_other_values_stay_invalid()
    {
        var x = ToArray(BernoulliTestData.Binary(60, D, 9), 60);
        x[5, 2] = double.NaN;
        var reject = () => new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2 }).Fit(x);
        reject.Should().Throw<ArgumentException>().WithMessage("*row 5, column 2*");

        var options = new BernoulliMixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize };
        var model = new BernoulliMixture(options).Fit(x);
        model.MissingValues.Should().Be(MissingValueHandling.Marginalize);

        var half = (double[,])x.Clone();
        half[6, 1] = 0.5;
        var fitHalf = () => new BernoulliMixture(options).Fit(half);
        fitHalf.Should().Throw<ArgumentException>().WithMessage("*[6, 1] = 0.5*");
        var queryHalf = () => model.Predict(half);
        queryHalf.Should().Throw<ArgumentException>().WithMessage("*[6, 1] = 0.5*");

        var infinite = (double[,])x.Clone();
        infinite[7, 0] = double.PositiveInfinity;
        var fitInfinite = () => new BernoulliMixture(options).Fit(infinite);
        fitInfinite.Should().Throw<ArgumentException>().WithMessage("*Infinity at row 7, column 0*");

        var never = (double[,])x.Clone();
        for (int n = 0; n < 60; n++)
        {
            never[n, 4] = double.NaN;
        }

        var fitNever = () => new BernoulliMixture(options).Fit(never);
        fitNever.Should().Throw<ArgumentException>().WithMessage("*column 4 is never observed*");
    }

    private static double[,] ToArray(double[] values, int rows)
    {
        var x = new double[rows, D];
        for (int n = 0; n < rows; n++)
        {
            for (int j = 0; j < D; j++)
            {
                x[n, j] = values[(n * D) + j];
            }
        }

        return x;
    }
}
