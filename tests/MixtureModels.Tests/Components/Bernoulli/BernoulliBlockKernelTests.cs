using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>
/// The batched Bernoulli kernel against the per-component path it replaces (density, E-step and weighted counts) for
/// awkward D (partial column tiles), K (partial component tiles) and row counts (partial vectors of rows, several
/// pieces), and whole fits with and without it. The kernel only exists where 512-bit vectors are hardware-accelerated;
/// elsewhere these tests check the fallback instead: the families offer no block kernel, so the engine runs the
/// per-component kernels (tested on their own in the component tests).
/// </summary>
public sealed class BernoulliBlockKernelTests
{
    private static readonly int[] Dimensions = { 1, 3, 7, 8, 9, 16, 33 };

    // 600 rows are more than one piece for every D and K here (at most 256 rows per piece).
    private static readonly int[] RowCounts = { 1, 7, 8, 9, 100, 600 };

    private static readonly int[] ComponentCounts = { 1, 3, 4, 5, 9 };

    /// <summary>Every D with every row count, K cycling through whole and partial tiles of four components.</summary>
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        int i = 0;
        foreach (int d in Dimensions)
        {
            foreach (int count in RowCounts)
            {
                data.Add(d, count, ComponentCounts[i++ % ComponentCounts.Length]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Joint_log_densities_match_the_per_component_path(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var random = new Random((d * 1000) + (count * 10) + k);
        var components = Components(random, d, k);
        var logWeights = BlockKernelCheck.LogWeights(random, k);
        var rows = BernoulliTestRows(random, count, d);
        foreach (var kernel in BernoulliBlockKernels.Create(d, k))
        {
            BlockKernelCheck.JointLogDensitiesMatch(kernel, components, logWeights, rows, count, $"D {d}, K {k}" + $", {kernel.GetType().Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Accumulated_counts_and_log_likelihoods_match_the_per_component_path(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        foreach (bool weighted in new[] { false, true })
        {
            var random = new Random((d * 1000) + (count * 10) + k + (weighted ? 1 : 0));
            var components = Components(random, d, k);
            var logWeights = BlockKernelCheck.LogWeights(random, k);
            var rows = BernoulliTestRows(random, count, d);
            var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : default;
            Check(d, count, components, logWeights, rows, rowWeights);
        }
    }

    [Theory]
    [InlineData(1, 9, 2)]
    [InlineData(7, 100, 5)]
    [InlineData(33, 600, 6)]
    public void Zero_weight_components_and_probabilities_at_the_clamp_match_the_per_component_path(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        const double Epsilon = 1e-10;
        var random = new Random(d + count + k);

        // Every component but the first has its probabilities at the clamp, ε or 1 − ε; component 1 has weight 0.
        var components = new BernoulliComponent[k];
        components[0] = BernoulliComponent.WithProbabilities(BlockKernelCheck.Values(random, d, 0.5, 0.4));
        for (int c = 1; c < k; c++)
        {
            components[c] = BernoulliComponent.WithProbabilities(Enumerable.Range(0, d).Select(_ => random.Next(2) == 0 ? Epsilon : 1 - Epsilon).ToArray());
        }

        var logWeights = Enumerable.Repeat(Math.Log(1.0 / (k - 1)), k).ToArray();
        logWeights[1] = double.NegativeInfinity;

        // Most rows are the likeliest row of a clamped component (densities near 1, where the constant and the dot
        // product nearly cancel), the rest random (densities near e^(−23·mismatches)).
        var rows = BernoulliTestRows(random, count, d);
        for (int n = 0; n < count; n++)
        {
            if (n % 4 != 3)
            {
                var probabilities = components[1 + (n % (k - 1))].Probabilities;
                for (int i = 0; i < d; i++)
                {
                    rows[(n * d) + i] = probabilities[i] > 0.5 ? 1 : 0;
                }
            }
        }

        foreach (var kernel in BernoulliBlockKernels.Create(d, k))

        {

            BlockKernelCheck.JointLogDensitiesMatch(kernel, components, logWeights, rows, count, "at the clamp" + $", {kernel.GetType().Name}");

        }
        foreach (bool weighted in new[] { false, true })
        {
            var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : default;
            Check(d, count, components, logWeights, rows, rowWeights);
        }
    }

    [Fact]
    public void Prepare_refuses_components_it_cannot_serve()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var random = new Random(1);
        foreach (var kernel in BernoulliBlockKernels.Create(3, 2))
        {
            kernel.Prepare(Components(random, 3, 2), BlockKernelCheck.LogWeights(random, 2)).Should().BeTrue();
            kernel.Prepare(Components(random, 3, 1), BlockKernelCheck.LogWeights(random, 1)).Should().BeFalse();
            kernel.Prepare(Components(random, 4, 2), BlockKernelCheck.LogWeights(random, 2)).Should().BeFalse();
        }
    }

    [Fact]
    public void Accumulators_of_another_family_or_dimension_are_refused()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var random = new Random(2);
        foreach (var kernel in BernoulliBlockKernels.Create(3, 1))
        {
            kernel.Prepare(Components(random, 3, 1), [0.0]).Should().BeTrue();
            var rows = BernoulliTestRows(random, 10, 3);
            var wrongDimension = new BernoulliStatistics[] { new BernoulliStatistics(4) };
            FluentActions.Invoking(() => kernel.Accumulate(rows, 10, default, new double[10], wrongDimension)).Should().Throw<ArgumentException>();
        }
    }

    [Fact]
    public void The_family_offers_the_kernel_exactly_where_it_is_supported() =>
        (((IBlockKernelSource<BernoulliComponent, BernoulliStatistics>)new BernoulliFamily(3)).CreateBlockKernel(2) is BernoulliBlockKernel<Lanes512> or BernoulliBlockKernel<Lanes256>).Should().Be(BlockVectorMath.IsSupported);

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, -1)]
    public void The_engine_gives_the_same_iterations_as_the_per_component_path(bool weighted, int threads)
    {
        var (data, sampleWeights) = FitData(weighted);
        var family = new BernoulliFamily(data.Columns);
        var random = new Random(4);
        var startWeights = new[] { 0.1, 0.2, 0.3, 0.15, 0.25 };
        var start = Components(random, data.Columns, startWeights.Length);
        var settings = new EmSettings(0, 20, threads);

        var batched = new EmEngine<BernoulliComponent, BernoulliStatistics>(family, MaximumLikelihoodWeights.Instance, data, sampleWeights, startWeights.Length, settings)
            .Run((double[])startWeights.Clone(), (BernoulliComponent[])start.Clone(), double.NegativeInfinity, 0, null, CancellationToken.None);
        var perComponent = new EmEngine<BernoulliComponent, BernoulliStatistics>(new PerComponentFamily<BernoulliComponent, BernoulliStatistics>(family), MaximumLikelihoodWeights.Instance, data, sampleWeights, startWeights.Length, settings)
            .Run((double[])startWeights.Clone(), (BernoulliComponent[])start.Clone(), double.NegativeInfinity, 0, null, CancellationToken.None);

        batched.LowerBoundHistory.Should().HaveCount(20);
        for (int i = 0; i < batched.LowerBoundHistory.Length; i++)
        {
            batched.LowerBoundHistory[i].Should().BeApproximately(perComponent.LowerBoundHistory[i], 1e-12 * Math.Abs(perComponent.LowerBoundHistory[i]), $"iteration {i + 1}");
        }

        ShouldMatch(batched.Weights, batched.Components, perComponent.Weights, perComponent.Components, 1e-10);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_engine_is_bit_identical_on_one_thread_and_on_all(bool weighted)
    {
        var (data, sampleWeights) = FitData(weighted);
        var family = new BernoulliFamily(data.Columns);
        var random = new Random(5);
        var startWeights = new[] { 0.1, 0.2, 0.3, 0.15, 0.25 };
        var start = Components(random, data.Columns, startWeights.Length);
        EmResult<BernoulliComponent> Run(int threads) =>
            new EmEngine<BernoulliComponent, BernoulliStatistics>(family, MaximumLikelihoodWeights.Instance, data, sampleWeights, startWeights.Length, new EmSettings(0, 15, threads))
                .Run((double[])startWeights.Clone(), (BernoulliComponent[])start.Clone(), double.NegativeInfinity, 0, null, CancellationToken.None);

        var one = Run(1);
        var all = Run(4);

        all.LowerBoundHistory.Should().Equal(one.LowerBoundHistory);
        all.Weights.Should().Equal(one.Weights);
        for (int k = 0; k < one.Components.Length; k++)
        {
            all.Components[k].Probabilities.ToArray().Should().Equal(one.Components[k].Probabilities.ToArray(), $"component {k}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fit_gives_the_same_model_as_the_per_component_path(bool weighted)
    {
        var (data, sampleWeights) = FitData(weighted);
        var options = new BernoulliMixtureOptions { ComponentCount = 5, Tolerance = 1e-8, MaxIterations = 200, InitializationCount = 2, Seed = 3 };

        var model = new BernoulliMixture(options).Fit(data, sampleWeights);
        var family = new PerComponentFamily<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(data.Columns, options.Priors));
        var reference = new MixtureEstimator<BernoulliComponent, BernoulliStatistics>(family, options).Fit(data, sampleWeights);

        model.IterationCount.Should().Be(reference.Report.IterationCount);
        model.Report.BestInitialization.Should().Be(reference.Report.BestInitialization);
        model.Report.LowerBound.Should().BeApproximately(reference.Report.LowerBound, 1e-12 * Math.Abs(reference.Report.LowerBound));
        model.Report.TrainingLogLikelihood.Should().BeApproximately(reference.Report.TrainingLogLikelihood, 1e-12 * Math.Abs(reference.Report.TrainingLogLikelihood));
        model.TrainingLabels.Should().Equal(reference.TrainingLabels);
        ShouldMatch(model.Weights.ToArray(), model.Components.ToArray(), reference.Weights.ToArray(), reference.Components.ToArray(), 1e-9);
    }

    private static void Check(int d, int count, BernoulliComponent[] components, double[] logWeights, double[] rows, ReadOnlySpan<double> rowWeights)
    {
        int k = components.Length;
        var family = new BernoulliFamily(d);
        foreach (var kernel in BernoulliBlockKernels.Create(d, k))
        {
            var (expectedStats, actualStats) = BlockKernelCheck.Accumulate(kernel, c => (BernoulliStatistics)family.CreateStatistics(c), components, logWeights, rows, count, rowWeights);
            for (int c = 0; c < k; c++)
            {
                var expected = expectedStats[c];
                var actual = actualStats[c];
                actual.TotalWeight.Should().BeApproximately(expected.TotalWeight, 1e-12 * Math.Max(1, expected.TotalWeight), $"W of component {c}, {kernel.GetType().Name}");
                for (int i = 0; i < d; i++)
                {
                    // Sums of non-negative terms, each at most W: compare on the scale of W.
                    actual.WeightedCounts[i].Should().BeApproximately(expected.WeightedCounts[i], 1e-12 * Math.Max(1, expected.TotalWeight), $"c[{i}] of component {c}, {kernel.GetType().Name}");
                }
            }
        }
    }

    private static void ShouldMatch(IReadOnlyList<double> weights, IReadOnlyList<BernoulliComponent> components, IReadOnlyList<double> expectedWeights, IReadOnlyList<BernoulliComponent> expectedComponents, double tolerance)
    {
        for (int k = 0; k < expectedWeights.Count; k++)
        {
            weights[k].Should().BeApproximately(expectedWeights[k], tolerance, $"weight {k}");
            var probabilities = components[k].Probabilities;
            var expected = expectedComponents[k].Probabilities;
            for (int i = 0; i < expected.Length; i++)
            {
                probabilities[i].Should().BeApproximately(expected[i], tolerance, $"φ[{k}, {i}]");
            }
        }
    }

    /// <summary>5000 rows of 20 binary columns from five prototypes (some columns nearly constant), several blocks and chunks.</summary>
    private static (DataMatrix Data, double[]? Weights) FitData(bool weighted)
    {
        const int N = 5000, D = 20, K = 5;
        var random = new Random(17);
        var prototypes = Enumerable.Range(0, K).Select(_ => Enumerable.Range(0, D).Select(i => i % 5 == 0 ? 0.01 : random.NextDouble()).ToArray()).ToArray();
        var x = new double[N * D];
        for (int n = 0; n < N; n++)
        {
            var phi = prototypes[random.Next(K)];
            for (int i = 0; i < D; i++)
            {
                x[(n * D) + i] = random.NextDouble() < phi[i] ? 1 : 0;
            }
        }

        var sampleWeights = weighted ? Enumerable.Range(0, N).Select(n => n % 11 == 4 ? 0 : 0.25 + (2 * random.NextDouble())).ToArray() : null;
        return (DataMatrix.FromRowMajor(x, D), sampleWeights);
    }

    /// <summary>count × d values, each 0 or 1 with probability ½.</summary>
    private static double[] BernoulliTestRows(Random random, int count, int d) =>
        Enumerable.Range(0, count * d).Select(_ => (double)random.Next(2)).ToArray();

    /// <summary>K components with probabilities spread over (0.02, 0.98).</summary>
    private static BernoulliComponent[] Components(Random random, int d, int k) =>
        Enumerable.Range(0, k).Select(_ => BernoulliComponent.WithProbabilities(BlockKernelCheck.Values(random, d, 0.5, 0.48))).ToArray();
}
