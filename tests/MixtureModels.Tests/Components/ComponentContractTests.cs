using System.Globalization;
using MixtureModels.Components;

namespace MixtureModels.Tests.Components;

/// <summary>
/// The contract every component family must keep, run over every case of <see cref="ComponentContractCases"/>:
/// normalisation, block density = row density, mergeable statistics, weights = repeated rows, sampling moments,
/// parameter counts, reset = fresh accumulator, and no NaN from empty components.
/// </summary>
public sealed class ComponentContractTests
{
    private const int RowCount = 203; // not a multiple of 4 or 8
    private const int DataSeed = 11;

    public static TheoryData<string> AllCases() => new(ComponentContractCases.All.Select(c => c.Name));

    public static TheoryData<string> NormalisableCases() => new(ComponentContractCases.All.Where(c => c.Normalisable).Select(c => c.Name));

    [Theory]
    [MemberData(nameof(NormalisableCases))]
    public void Density_sums_or_integrates_to_one_over_the_support(string name)
    {
        var c = ComponentContractCases.Get(name);
        var components = Fit(c);
        for (int k = 0; k < components.Length; k++)
        {
            var axes = ComponentContractCases.Axes(components[k]);
            bool discrete = axes.All(a => a.Discrete);
            double total = Integrate(components[k], axes);
            total.Should().BeApproximately(1.0, discrete ? 1e-9 : 1e-4, "component {0} of {1} is a probability {2}", k, name, discrete ? "mass function" : "density");
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Block_log_density_equals_row_log_density_for_every_block_length(string name)
    {
        var c = ComponentContractCases.Get(name);
        var components = Fit(c);
        var rows = c.Rows(DataSeed + 1, RowCount);
        int d = c.Dimension;
        var failures = new List<string>();
        foreach (var component in components)
        {
            var single = new double[RowCount];
            for (int n = 0; n < RowCount; n++)
            {
                single[n] = component.LogDensity(rows.AsSpan(n * d, d));
            }

            foreach (int offset in new[] { 0, 1, 3 })
            {
                foreach (int length in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 64, 65, 127, RowCount - offset })
                {
                    const double Sentinel = -12345.678;
                    var destination = new double[length + 1];
                    destination[length] = Sentinel;
                    component.LogDensity(rows.AsSpan(offset * d, length * d), destination.AsSpan(0, length));
                    if (destination[length] != Sentinel)
                    {
                        failures.Add(Invariant($"block of {length} at {offset} wrote past its destination"));
                    }

                    for (int n = 0; n < length; n++)
                    {
                        if (!Close(destination[n], single[offset + n], 1e-12))
                        {
                            failures.Add(Invariant($"block of {length} at {offset}, row {offset + n}: block {destination[n]:R} vs row {single[offset + n]:R}"));
                        }
                    }
                }
            }
        }

        failures.Should().BeEmpty("block and single-row log-densities of {0} must agree", name);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Accumulating_in_two_halves_then_merging_equals_accumulating_at_once(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount, out var labels);
        var r = Responsibilities(labels, c.ComponentCount, 5);
        var current = Fit(c);
        int d = c.Dimension, half = (RowCount / 2) + 1;

        var atOnce = new ISufficientStatistics[c.ComponentCount];
        var atOnceUnderCurrent = new ISufficientStatistics[c.ComponentCount];
        var merged = new ISufficientStatistics[c.ComponentCount];
        var mergedCentred = new ISufficientStatistics[c.ComponentCount];
        for (int k = 0; k < c.ComponentCount; k++)
        {
            atOnce[k] = c.Family.CreateStatistics(null);
            atOnce[k].Accumulate(rows, r[k]);
            atOnceUnderCurrent[k] = c.Family.CreateStatistics(current[k]);
            atOnceUnderCurrent[k].Accumulate(rows, r[k]);

            merged[k] = c.Family.CreateStatistics(null);
            merged[k].Accumulate(rows.AsSpan(0, half * d), r[k].AsSpan(0, half));
            var second = c.Family.CreateStatistics(null);
            second.Accumulate(rows.AsSpan(half * d), r[k].AsSpan(half));
            c.Family.Merge(merged[k], second);

            // The same split, with the halves centred on different reference points (the current component and the first row).
            mergedCentred[k] = c.Family.CreateStatistics(current[k]);
            mergedCentred[k].Accumulate(rows.AsSpan(half * d), r[k].AsSpan(half));
            // Statistics that use the current component (a t family's weights u) merge only with their own kind.
            var first = c.Family.CreateStatistics(c.StatisticsDependOnCurrent ? current[k] : null);
            first.Accumulate(rows.AsSpan(0, half * d), r[k].AsSpan(0, half));
            c.Family.Merge(mergedCentred[k], first);
        }

        AssertSameEstimates(c, atOnce, merged, 1e-10, "two merged halves");
        AssertSameEstimates(c, c.StatisticsDependOnCurrent ? atOnceUnderCurrent : atOnce, mergedCentred, 1e-10, "two merged halves with different references");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Scaling_statistics_equals_accumulating_with_scaled_weights(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount, out var labels);
        var r = Responsibilities(labels, c.ComponentCount, 5);
        const double factor = 0.37;
        var scaled = new ISufficientStatistics[c.ComponentCount];
        var reweighted = new ISufficientStatistics[c.ComponentCount];
        for (int k = 0; k < c.ComponentCount; k++)
        {
            scaled[k] = c.Family.CreateStatistics(null);
            scaled[k].Accumulate(rows, r[k]);
            double before = scaled[k].TotalWeight;
            var scalable = scaled[k].Should().BeAssignableTo<IScalableStatistics>().Subject;
            scalable.Scale(1);
            scaled[k].TotalWeight.Should().Be(before, "a factor of 1 changes nothing");
            scalable.Scale(factor);
            scaled[k].TotalWeight.Should().BeApproximately(before * factor, 1e-12 * before);

            reweighted[k] = c.Family.CreateStatistics(null);
            reweighted[k].Accumulate(rows, r[k].Select(w => w * factor).ToArray());
        }

        AssertSameEstimates(c, reweighted, scaled, 1e-10, "statistics scaled after accumulating");
        FluentActions.Invoking(() => ((IScalableStatistics)scaled[0]).Scale(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("factor");
        FluentActions.Invoking(() => ((IScalableStatistics)scaled[0]).Scale(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("factor");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Statistics_round_trip_through_json_bit_exactly(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount, out var labels);
        var r = Responsibilities(labels, c.ComponentCount, 5);
        var current = Fit(c);
        var statistics = new ISufficientStatistics[c.ComponentCount + 1];
        for (int k = 0; k < c.ComponentCount; k++)
        {
            // Centred on the current component (a t family's statistics also carry it), with data.
            statistics[k] = c.Family.CreateStatistics(current[k]);
            statistics[k].Accumulate(rows, r[k]);
        }

        statistics[^1] = c.Family.CreateStatistics(null); // empty, no reference point yet

        var bytes = c.Family.SerializeStatistics(statistics);
        var loaded = c.Family.DeserializeStatistics(bytes);
        loaded.Should().HaveCount(statistics.Length);
        loaded.Select(s => s.GetType()).Should().Equal(statistics.Select(s => s.GetType()));
        c.Family.SerializeStatistics(loaded).Should().Equal(bytes, "every value is written in its round-trip form and read back as the same bits");
        AssertSameEstimates(c, statistics[..^1], loaded[..^1], 0, "statistics read back from JSON");

        // Read-back statistics merge like the originals: into empty statistics, and the empty one into them.
        var target = c.Family.CreateStatistics(null);
        c.Family.Merge(target, loaded[0]);
        c.Family.Merge(target, loaded[^1]);
        var expected = c.Family.CreateStatistics(null);
        c.Family.Merge(expected, statistics[0]);
        AssertSameEstimates(c, [expected], [target], 0, "merged read-back statistics");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Integer_weights_equal_repeated_rows(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount);
        int d = c.Dimension;
        var random = new Random(23);
        var weighted = new ISufficientStatistics[c.ComponentCount];
        var repeated = new ISufficientStatistics[c.ComponentCount];
        for (int k = 0; k < c.ComponentCount; k++)
        {
            var w = Enumerable.Range(0, RowCount).Select(_ => (double)random.Next(4)).ToArray();
            weighted[k] = c.Family.CreateStatistics(null);
            weighted[k].Accumulate(rows, w);

            var copies = new List<double>();
            for (int n = 0; n < RowCount; n++)
            {
                for (int i = 0; i < (int)w[n]; i++)
                {
                    copies.AddRange(rows.AsSpan(n * d, d).ToArray());
                }
            }

            repeated[k] = c.Family.CreateStatistics(null);
            repeated[k].Accumulate(copies.ToArray(), Enumerable.Repeat(1.0, copies.Count / d).ToArray());
        }

        AssertSameEstimates(c, weighted, repeated, 1e-10, "rows repeated once per unit of weight");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Sample_means_and_variances_match_the_component_within_five_standard_errors(string name)
    {
        const int Draws = 20000;
        var c = ComponentContractCases.Get(name);
        var components = Fit(c);
        int d = c.Dimension;
        var failures = new List<string>();
        for (int k = 0; k < components.Length; k++)
        {
            var (mean, variance) = ComponentContractCases.Moments(components[k]);
            var random = new Random(100 + k);
            var draws = new double[Draws * d];
            for (int i = 0; i < Draws; i++)
            {
                components[k].Sample(random, draws.AsSpan(i * d, d));
            }

            var logDensities = new double[Draws];
            components[k].LogDensity(draws, logDensities);
            int invalid = logDensities.Count(v => !double.IsFinite(v));
            if (invalid > 0)
            {
                failures.Add(Invariant($"component {k}: {invalid} draws have a log-density that is not finite"));
            }

            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int i = 0; i < Draws; i++)
                {
                    sum += draws[(i * d) + j];
                }

                double sampleMean = sum / Draws;
                double standardError = Math.Sqrt(variance[j] / Draws);
                if (!(Math.Abs(sampleMean - mean[j]) <= (5 * standardError) + (1e-12 * Math.Max(1, Math.Abs(mean[j])))))
                {
                    failures.Add(Invariant($"component {k}, column {j}: sample mean {sampleMean:R}, mean {mean[j]:R}, standard error {standardError:R}"));
                }

                // Variance, about the known mean: its standard error is √((m₄ − σ⁴)/N), with m₄ estimated from the draws.
                double m2 = 0, m4 = 0;
                for (int i = 0; i < Draws; i++)
                {
                    double e = draws[(i * d) + j] - mean[j];
                    m2 += e * e;
                    m4 += e * e * e * e;
                }

                m2 /= Draws;
                m4 /= Draws;
                double varianceError = Math.Sqrt(Math.Max(m4 - (m2 * m2), 0) / Draws);
                if (!(Math.Abs(m2 - variance[j]) <= (5 * varianceError) + 1e-9 + (1e-9 * variance[j])))
                {
                    failures.Add(Invariant($"component {k}, column {j}: sample variance {m2:R}, variance {variance[j]:R}, standard error {varianceError:R}"));
                }
            }
        }

        failures.Should().BeEmpty("draws of {0} must follow the component's distribution", name);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Parameter_count_of_K_components_is_known(string name)
    {
        var c = ComponentContractCases.Get(name);
        var component = Fit(c)[0];
        component.ParameterCount.Should().Be(c.ComponentParameterCount, "the known count of one {0} component", name);
        foreach (int k in new[] { 1, 2, c.ComponentCount, 7 })
        {
            int expected = c.SharedParameterCount?.Invoke(k) ?? (k * component.ParameterCount);
            c.Family.ParameterCount(k).Should().Be(expected, "K = {0} components of {1}", k, name);
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Reset_statistics_then_accumulating_equals_fresh_statistics(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount, out var labels);
        var r = Responsibilities(labels, c.ComponentCount, 5);
        var other = c.Rows(DataSeed + 7, 57);
        var current = Fit(c);

        var fresh = new ISufficientStatistics[c.ComponentCount];
        var resetFromCurrent = new ISufficientStatistics[c.ComponentCount];
        var resetFromNull = new ISufficientStatistics[c.ComponentCount];
        for (int k = 0; k < c.ComponentCount; k++)
        {
            fresh[k] = c.Family.CreateStatistics(current[k]);
            fresh[k].Accumulate(rows, r[k]);

            // Dirty accumulators: other rows, created centred on another component or on nothing.
            resetFromCurrent[k] = c.Family.CreateStatistics(current[(k + 1) % c.ComponentCount]);
            resetFromNull[k] = c.Family.CreateStatistics(null);
            foreach (var s in new[] { resetFromCurrent[k], resetFromNull[k] })
            {
                s.Accumulate(other, Enumerable.Repeat(0.75, 57).ToArray());
                c.Family.ResetStatistics(s, current[k]);
                s.TotalWeight.Should().Be(0, "a reset accumulator of {0} is empty", name);
                s.Accumulate(rows, r[k]);
            }
        }

        AssertSameEstimates(c, fresh, resetFromCurrent, 1e-12, "reset statistics created for another component");
        AssertSameEstimates(c, fresh, resetFromNull, 1e-12, "reset statistics created without a component");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Estimating_with_an_empty_accumulator_gives_finite_log_densities(string name)
    {
        var c = ComponentContractCases.Get(name);
        var rows = c.Rows(DataSeed, RowCount);
        var current = Fit(c);
        var failures = new List<string>();

        ISufficientStatistics NonEmpty()
        {
            var s = c.Family.CreateStatistics(null);
            s.Accumulate(rows, Enumerable.Repeat(1.0, RowCount).ToArray());
            return s;
        }

        ISufficientStatistics ZeroWeights()
        {
            var s = c.Family.CreateStatistics(null);
            s.Accumulate(rows, new double[RowCount]);
            return s;
        }

        ISufficientStatistics ResetEmpty()
        {
            var s = NonEmpty();
            c.Family.ResetStatistics(s, current[0]);
            return s;
        }

        var scenarios = new (string Name, Func<ISufficientStatistics[]> Statistics)[]
        {
            ("new empty, non-empty", () => [c.Family.CreateStatistics(null), NonEmpty()]),
            ("non-empty, new empty", () => [NonEmpty(), c.Family.CreateStatistics(null)]),
            ("empty centred on a component, non-empty", () => [c.Family.CreateStatistics(current[0]), NonEmpty()]),
            ("zero weights, non-empty", () => [ZeroWeights(), NonEmpty()]),
            ("reset, non-empty", () => [ResetEmpty(), NonEmpty()]),
        };

        var logDensities = new double[RowCount];
        foreach (var (scenario, statistics) in scenarios)
        {
            IComponent[] components;
            try
            {
                components = c.Family.Estimate(statistics());
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException or CovarianceNotPositiveDefiniteException)
            {
                failures.Add($"{scenario}: Estimate threw {e.GetType().Name}: {e.Message}");
                continue;
            }

            for (int k = 0; k < components.Length; k++)
            {
                components[k].LogDensity(rows, logDensities);
                int bad = logDensities.Count(v => !double.IsFinite(v));
                if (bad > 0)
                {
                    failures.Add(Invariant($"{scenario}: component {k} gives {bad} log-densities that are not finite (first {logDensities.First(v => !double.IsFinite(v))})"));
                }
            }
        }

        failures.Should().BeEmpty("an empty component of {0} must stay finite", name);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Em_lower_bound_never_decreases_and_does_not_depend_on_the_thread_count(string name)
    {
        const int Rows = 1003, Iterations = 25;
        var c = ComponentContractCases.Get(name);
        var values = c.Rows(DataSeed + 5, Rows, out var labels);
        var data = DataMatrix.FromRowMajor(values, c.Dimension);
        var r = Responsibilities(labels, c.ComponentCount, 9);
        var responsibilities = new double[Rows * c.ComponentCount];
        for (int n = 0; n < Rows; n++)
        {
            for (int k = 0; k < c.ComponentCount; k++)
            {
                // Blur the labels so EM has work to do.
                responsibilities[(n * c.ComponentCount) + k] = (0.5 * r[k][n]) + (0.5 / c.ComponentCount);
            }
        }

        var serial = c.Family.RunEm(data, responsibilities, c.ComponentCount, Iterations, 1);
        var parallel = c.Family.RunEm(data, responsibilities, c.ComponentCount, Iterations, 4);

        serial.Should().HaveCount(Iterations).And.OnlyContain(v => double.IsFinite(v), "the lower bound of {0} is finite", name);
        parallel.Should().Equal(serial, "statistics are merged in a fixed order, so {0} must fit identically on any thread count", name);
        if (!c.HasPrior)
        {
            for (int i = 1; i < serial.Length; i++)
            {
                serial[i].Should().BeGreaterThanOrEqualTo(serial[i - 1] - (1e-9 * Math.Max(1, Math.Abs(serial[i - 1]))), "EM iteration {0} of {1} must not decrease the log-likelihood", i, name);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Components_estimated_from_many_rows_are_sound_and_an_empty_one_is_degenerate(string name)
    {
        var c = ComponentContractCases.Get(name);
        var fitted = Fit(c);
        var rowCounts = Enumerable.Repeat((double)RowCount / c.ComponentCount, c.ComponentCount).ToArray();
        c.Family.CheckDegeneracy(fitted, rowCounts).Should().OnlyContain(d => d == ComponentDegeneracy.None, "components of {0} fitted to hundreds of rows are sound", name);

        var flags = c.Family.CheckDegeneracy(fitted, Enumerable.Range(0, c.ComponentCount).Select(k => k == 0 ? 0.5 : rowCounts[k]).ToArray());
        flags[0].Should().HaveFlag(ComponentDegeneracy.TooFewRows, "a component of {0} with half a row's weight is not determined by the data", name);
        flags.Skip(1).Should().OnlyContain(d => d == ComponentDegeneracy.None);
    }

    /// <summary>K components of the case estimated from its data with soft responsibilities favouring each row's cluster.</summary>
    private static IComponent[] Fit(ContractCase c)
    {
        var rows = c.Rows(DataSeed, RowCount, out var labels);
        var r = Responsibilities(labels, c.ComponentCount, 3);
        var statistics = new ISufficientStatistics[c.ComponentCount];
        for (int k = 0; k < statistics.Length; k++)
        {
            statistics[k] = c.Family.CreateStatistics(null);
            statistics[k].Accumulate(rows, r[k]);
        }

        return c.Family.Estimate(statistics);
    }

    /// <summary>r[k][n] ∝ 4·[label n = k] + U(0, 1), normalised over k.</summary>
    private static double[][] Responsibilities(int[] labels, int k, int seed)
    {
        var random = new Random(seed);
        var r = Enumerable.Range(0, k).Select(_ => new double[labels.Length]).ToArray();
        for (int n = 0; n < labels.Length; n++)
        {
            double total = 0;
            for (int j = 0; j < k; j++)
            {
                r[j][n] = (labels[n] == j ? 4 : 0) + random.NextDouble();
                total += r[j][n];
            }

            for (int j = 0; j < k; j++)
            {
                r[j][n] /= total;
            }
        }

        return r;
    }

    /// <summary>Estimates from both sets of accumulators and requires equal total weights and equal log-densities on probe rows.</summary>
    private static void AssertSameEstimates(ContractCase c, ISufficientStatistics[] expected, ISufficientStatistics[] actual, double tolerance, string what)
    {
        var failures = new List<string>();
        for (int k = 0; k < expected.Length; k++)
        {
            if (!Close(actual[k].TotalWeight, expected[k].TotalWeight, 1e-12))
            {
                failures.Add(Invariant($"component {k}: TotalWeight {actual[k].TotalWeight:R} vs {expected[k].TotalWeight:R}"));
            }
        }

        var a = c.Family.Estimate(expected);
        var b = c.Family.Estimate(actual);
        var probes = c.Rows(DataSeed + 3, 64);
        var la = new double[64];
        var lb = new double[64];
        for (int k = 0; k < a.Length; k++)
        {
            a[k].LogDensity(probes, la);
            b[k].LogDensity(probes, lb);
            for (int n = 0; n < la.Length; n++)
            {
                if (!Close(lb[n], la[n], tolerance))
                {
                    failures.Add(Invariant($"component {k}, probe {n}: {lb[n]:R} vs {la[n]:R}"));
                }
            }
        }

        failures.Should().BeEmpty("{0} of {1} must estimate the same components", what, c.Name);
    }

    /// <summary>Σ over the grid of the axes of Π weights × exp(log p), evaluated in blocks.</summary>
    private static double Integrate(IComponent component, (double[] Nodes, double[] Weights, bool Discrete)[] axes)
    {
        const int Block = 1021;
        int d = axes.Length;
        long points = axes.Aggregate(1L, (p, a) => p * a.Nodes.Length);
        var rows = new double[Block * d];
        var weights = new double[Block];
        var logDensities = new double[Block];
        var index = new int[d];
        double total = 0;
        int filled = 0;
        for (long i = 0; i < points; i++)
        {
            double w = 1;
            for (int j = 0; j < d; j++)
            {
                rows[(filled * d) + j] = axes[j].Nodes[index[j]];
                w *= axes[j].Weights[index[j]];
            }

            weights[filled++] = w;
            for (int j = d - 1; j >= 0 && ++index[j] == axes[j].Nodes.Length; j--)
            {
                index[j] = 0;
            }

            if (filled == Block || i == points - 1)
            {
                component.LogDensity(rows.AsSpan(0, filled * d), logDensities.AsSpan(0, filled));
                for (int n = 0; n < filled; n++)
                {
                    total += weights[n] * Math.Exp(logDensities[n]);
                }

                filled = 0;
            }
        }

        return total;
    }

    /// <summary>Equal (including equal infinities), or within a relative tolerance (absolute below magnitude 1).</summary>
    private static bool Close(double actual, double expected, double tolerance) =>
        actual.Equals(expected) || Math.Abs(actual - expected) <= tolerance * Math.Max(1, Math.Max(Math.Abs(actual), Math.Abs(expected)));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
