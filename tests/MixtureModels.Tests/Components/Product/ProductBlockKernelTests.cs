using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Components.Product;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Components.Product;

/// <summary>
/// The batched product kernel against brute force and against the per-component path it replaces: joint
/// log-densities, the fused E-step and statistics, and whole EM fits, for products mixing every marginal kind with
/// interleaved columns. Where 512-bit vectors are not accelerated the Gaussian parts have no kernels of their own and
/// the product kernel takes their per-component densities; the same checks then cover that path.
/// </summary>
public sealed class ProductBlockKernelTests
{
    private static readonly int[] Counts = [1, 7, 8, 9, 100, 300];

    public static TheoryData<string, int> ProductsAndCounts()
    {
        var data = new TheoryData<string, int>();
        foreach (string product in Products.Keys)
        {
            foreach (int count in Counts)
            {
                data.Add(product, count);
            }
        }

        return data;
    }

    public static TheoryData<string> ProductNames() => new(Products.Keys);

    /// <summary>Products by name: D and the marginals, columns interleaved unless a marginal covers all of them in order.</summary>
    private static Dictionary<string, (int Dimension, Marginal[] Marginals)> Products { get; } = new()
    {
        ["every kind"] = (15,
        [
            Marginal.Normal(3),
            Marginal.Gaussian([7, 0, 10], CovarianceType.Full),
            Marginal.Bernoulli([9, 6, 13]),
            Marginal.Gaussian([1, 11], CovarianceType.Diagonal),
            Marginal.Categorical(12, levelCount: 4),
            Marginal.Gaussian([5, 2], CovarianceType.Spherical),
            Marginal.Poisson(14),
            Marginal.Gaussian([8, 4], CovarianceType.Tied),
        ]),
        ["Gaussian blocks"] = (9,
        [
            Marginal.Gaussian([8, 1, 4], CovarianceType.Tied),
            Marginal.Gaussian([0, 6], CovarianceType.Spherical),
            Marginal.Gaussian([7, 2], CovarianceType.Diagonal),
            Marginal.Gaussian([5, 3], CovarianceType.Full),
        ]),
        ["normals"] = (5, [Marginal.Normal(4), Marginal.Normal(2), Marginal.Normal(0), Marginal.Normal(3), Marginal.Normal(1)]),
        ["one diagonal block in order"] = (6, [Marginal.Gaussian([0, 1, 2, 3, 4, 5], CovarianceType.Diagonal)]),
        ["one full block out of order"] = (4, [Marginal.Gaussian([2, 0, 3, 1], CovarianceType.Full)]),
        ["one Bernoulli in order"] = (7, [Marginal.Bernoulli([0, 1, 2, 3, 4, 5, 6])]),
    };

    [Theory]
    [MemberData(nameof(ProductsAndCounts))]
    public void Joint_log_densities_are_the_sums_of_the_marginal_densities(string product, int count)
    {
        var random = new Random((product.Length * 1000) + count);
        var (family, components) = Fitted(product, random, k: 4);
        var logWeights = BlockKernelCheck.LogWeights(random, 4);
        var rows = Table(random, count, family);
        int stride = count + 3;
        var actual = new double[4 * stride];

        var kernel = Kernel(family, 4);
        kernel.Prepare(components, logWeights).Should().BeTrue();
        kernel.JointLogDensity(rows, count, actual, stride);

        var expected = BruteForceJoint(components, logWeights, rows, count, family.Dimension);
        for (int c = 0; c < 4; c++)
        {
            for (int n = 0; n < count; n++)
            {
                double e = expected[(c * count) + n];
                actual[(c * stride) + n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"component {c}, row {n}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProductsAndCounts))]
    public void Fused_statistics_and_log_likelihoods_match_the_per_component_path(string product, int count)
    {
        foreach (bool weighted in new[] { false, true })
        {
            var random = new Random((product.Length * 1000) + count + (weighted ? 7 : 0));
            var (family, components) = Fitted(product, random, k: 3);
            var logWeights = BlockKernelCheck.LogWeights(random, 3);
            var rows = Table(random, count, family);
            var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : null;
            CheckAccumulate(family, components, logWeights, rows, count, rowWeights, $"weighted {weighted}");
        }
    }

    [Theory]
    [MemberData(nameof(ProductNames))]
    public void A_component_without_weight_gets_nothing_as_on_the_per_component_path(string product)
    {
        foreach (bool weighted in new[] { false, true })
        {
            var random = new Random(product.Length + (weighted ? 1 : 0));
            var (family, components) = Fitted(product, random, k: 3);
            var logWeights = new[] { Math.Log(0.3), double.NegativeInfinity, Math.Log(0.7) }; // component 1 has weight 0
            const int count = 37;
            var rows = Table(random, count, family);
            var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : null;
            if (rowWeights is not null)
            {
                rowWeights[4] = 0; // and a row without weight
            }

            var (statistics, before) = CheckAccumulate(family, components, logWeights, rows, count, rowWeights, $"weighted {weighted}");
            statistics[1].TotalWeight.Should().Be(before[1].TotalWeight);
            Parameters(family, Estimate(family, [statistics[1]])).Should().Equal(Parameters(family, Estimate(family, [before[1]])), "the block added nothing to component 1");
            for (int m = 0; m < family.Marginals.Count; m++)
            {
                statistics[1].Parts[m].TotalWeight.Should().Be(before[1].Parts[m].TotalWeight);
            }
        }
    }

    [Fact]
    public void A_marginal_whose_own_kernel_refuses_its_components_takes_their_densities_and_other_shapes_are_refused()
    {
        // A diagonal Gaussian marginal handed spherical components: the diagonal block kernel refuses them, so the
        // product kernel serves that marginal with the components' own densities.
        var family = new ProductFamily(5, [Marginal.Normal(2), Marginal.Gaussian([4, 0, 3], CovarianceType.Diagonal), Marginal.Poisson(1)]);
        var random = new Random(11);
        var (_, fitted) = Fitted(family, random, k: 2);
        var columns = Enumerable.Range(0, 3).Select(m => fitted[0].ColumnsOf(m).ToArray()).ToArray();
        var components = fitted.Select(c => new ProductComponent(5, columns, [c.Marginals[0], SphericalGaussian.WithMeanVariance(((GaussianComponent)c.Marginals[1]).Mean.ToArray(), 1.5), c.Marginals[2]])).ToArray();
        var logWeights = BlockKernelCheck.LogWeights(random, 2);
        const int count = 41;
        var rows = Table(random, count, family);

        var kernel = Kernel(family, 2);
        kernel.Prepare(components, logWeights).Should().BeTrue();
        var actual = new double[2 * count];
        kernel.JointLogDensity(rows, count, actual, count);
        var expected = BruteForceJoint(components, logWeights, rows, count, 5);
        for (int i = 0; i < actual.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 1e-12 * Math.Max(1, Math.Abs(expected[i])));
        }

        kernel.Prepare(components[..1], logWeights[..1]).Should().BeFalse("the kernel was built for K = 2");
        var otherColumns = new ProductComponent(5, [[1], [4, 0, 3], [2]], [.. components[0].Marginals]);
        kernel.Prepare([components[0], otherColumns], logWeights).Should().BeFalse("a component's marginals sit on other columns");
    }

    [Theory]
    [MemberData(nameof(ProductNames))]
    public void EM_with_the_kernel_gives_the_fit_of_the_per_component_path_for_any_thread_count(string product)
    {
        var (d, marginals) = Products[product];
        var family = new ProductFamily(d, marginals);
        var random = new Random(product.Length);
        const int n = 3000, k = 3; // twelve blocks, the last one partial
        var data = DataMatrix.FromRowMajor(Table(random, n, family), d);
        var sampleWeights = BlockKernelCheck.Values(random, n, 1, 0.8);
        var responsibilities = RandomResponsibilities(random, n, k);

        ((IBlockKernelSource<ProductComponent, ProductStatistics>)family).CreateBlockKernel(k).Should().NotBeNull();
        var reference = Fit(new PerComponentFamily<ProductComponent, ProductStatistics>(family), data, sampleWeights, responsibilities, k, threads: 1);
        var serial = Fit(family, data, sampleWeights, responsibilities, k, threads: 1);
        var parallel = Fit(family, data, sampleWeights, responsibilities, k, threads: 4);

        parallel.Parameters.Should().Equal(serial.Parameters, "the kernel is deterministic per block");
        parallel.History.Should().Equal(serial.History);
        parallel.Labels.Should().Equal(serial.Labels);
        parallel.MeanLogLikelihood.Should().Be(serial.MeanLogLikelihood);

        serial.Labels.Should().Equal(reference.Labels);
        serial.MeanLogLikelihood.Should().BeApproximately(reference.MeanLogLikelihood, 1e-11 * Math.Max(1, Math.Abs(reference.MeanLogLikelihood)));
        for (int i = 0; i < reference.History.Length; i++)
        {
            serial.History[i].Should().BeApproximately(reference.History[i], 1e-11 * Math.Max(1, Math.Abs(reference.History[i])), $"iteration {i + 1}");
        }

        for (int c = 0; c < k; c++)
        {
            serial.Weights[c].Should().BeApproximately(reference.Weights[c], 1e-10, $"π of component {c}");
        }

        ShouldBeClose(serial.Parameters, reference.Parameters, 1e-9, "parameters");
    }

    /// <summary>
    /// Accumulates the block with the kernel and, with responsibilities computed here from the brute-force joint
    /// densities, with each product accumulator's own <see cref="ProductStatistics.Accumulate"/>; checks the
    /// log-likelihoods, the total and part weights, and the components estimated from both. Returns the kernel's statistics.
    /// </summary>
    private static (ProductStatistics[] Actual, ProductStatistics[] Before) CheckAccumulate(ProductFamily family, ProductComponent[] components, double[] logWeights, double[] rows, int count, double[]? rowWeights, string what)
    {
        int k = components.Length;
        var baseRows = Table(new Random(count), 50, family);
        var expected = Statistics(family, components, baseRows);
        var actual = Statistics(family, components, baseRows);

        var joint = BruteForceJoint(components, logWeights, rows, count, family.Dimension);
        var expectedLogLikelihood = new double[count];
        var weights = new double[k * count];
        for (int n = 0; n < count; n++)
        {
            double max = Enumerable.Range(0, k).Max(c => joint[(c * count) + n]);
            double total = Enumerable.Range(0, k).Sum(c => Math.Exp(joint[(c * count) + n] - max));
            expectedLogLikelihood[n] = max + Math.Log(total);
            for (int c = 0; c < k; c++)
            {
                weights[(c * count) + n] = (rowWeights?[n] ?? 1) * Math.Exp(joint[(c * count) + n] - max) / total;
            }
        }

        for (int c = 0; c < k; c++)
        {
            expected[c].Accumulate(rows, weights.AsSpan(c * count, count));
        }

        var kernel = Kernel(family, k);
        kernel.Prepare(components, logWeights).Should().BeTrue();
        var actualLogLikelihood = new double[count];
        kernel.Accumulate(rows, count, rowWeights, actualLogLikelihood, actual);

        for (int n = 0; n < count; n++)
        {
            double e = expectedLogLikelihood[n];
            actualLogLikelihood[n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"log p(x) of row {n}, {what}");
        }

        for (int c = 0; c < k; c++)
        {
            double w = expected[c].TotalWeight;
            actual[c].TotalWeight.Should().BeApproximately(w, 1e-12 * Math.Max(1, w), $"W of component {c}, {what}");
            for (int m = 0; m < family.Marginals.Count; m++)
            {
                double wm = expected[c].Parts[m].TotalWeight;
                actual[c].Parts[m].TotalWeight.Should().BeApproximately(wm, 1e-12 * Math.Max(1, wm), $"W of marginal {m} of component {c}, {what}");
            }
        }

        ShouldBeClose(Parameters(family, Estimate(family, actual)), Parameters(family, Estimate(family, expected)), 1e-10, $"estimated parameters, {what}");
        return (actual, Statistics(family, components, baseRows));
    }

    /// <summary>log π_k + Σ_m log p_m(row n's columns of m) by each marginal component's one-row density: K × count.</summary>
    private static double[] BruteForceJoint(ProductComponent[] components, double[] logWeights, double[] rows, int count, int d)
    {
        var result = new double[components.Length * count];
        for (int c = 0; c < components.Length; c++)
        {
            var component = components[c];
            for (int n = 0; n < count; n++)
            {
                double log = 0;
                for (int m = 0; m < component.Marginals.Count; m++)
                {
                    var values = component.ColumnsOf(m).Select(j => rows[(n * d) + j]).ToArray();
                    log += component.Marginals[m].LogDensity(values);
                }

                result[(c * count) + n] = logWeights[c] + log;
            }
        }

        return result;
    }

    private static IBlockKernel<ProductComponent, ProductStatistics> Kernel(ProductFamily family, int k) =>
        ((IBlockKernelSource<ProductComponent, ProductStatistics>)family).CreateBlockKernel(k) ?? throw new InvalidOperationException("The product family offers no kernel.");

    /// <summary>
    /// K accumulators centred on the components, as the engine starts a pass, that already hold
    /// <paramref name="baseRows"/> with weight ½ (through the per-component path on both sides): estimates from a
    /// block of one row alone would be all regularisation and cancellation, and compare nothing.
    /// </summary>
    private static ProductStatistics[] Statistics(ProductFamily family, ProductComponent[] components, double[] baseRows)
    {
        var weights = Enumerable.Repeat(0.5, baseRows.Length / family.Dimension).ToArray();
        return components.Select(c =>
        {
            var statistics = family.CreateStatistics(c);
            family.ResetStatistics(statistics, c);
            statistics.Accumulate(baseRows, weights);
            return (ProductStatistics)statistics;
        }).ToArray();
    }

    private static ProductComponent[] Estimate(ProductFamily family, ProductStatistics[] statistics)
    {
        var result = new ProductComponent[statistics.Length];
        family.Estimate(statistics, result);
        return result;
    }

    /// <summary>Every parameter of the K components, through the product's reparameterisation.</summary>
    private static double[] Parameters(ProductFamily family, ProductComponent[] components)
    {
        var reparameterization = (IReparameterization<ProductComponent, ProductStatistics>)family;
        var result = new double[reparameterization.UnconstrainedLength(components.Length)];
        reparameterization.ToUnconstrained(components, result);
        return result;
    }

    private static void ShouldBeClose(double[] actual, double[] expected, double relative, string what)
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (actual[i] == expected[i] || (double.IsNaN(actual[i]) && double.IsNaN(expected[i])))
            {
                continue; // including infinities on both sides
            }

            actual[i].Should().BeApproximately(expected[i], relative * Math.Max(1, Math.Abs(expected[i])), $"{what} [{i}]");
        }
    }

    /// <summary>The family of a named product and K components estimated from random responsibilities on a random table.</summary>
    private static (ProductFamily Family, ProductComponent[] Components) Fitted(string product, Random random, int k)
    {
        var (d, marginals) = Products[product];
        return Fitted(new ProductFamily(d, marginals), random, k);
    }

    private static (ProductFamily Family, ProductComponent[] Components) Fitted(ProductFamily family, Random random, int k)
    {
        const int n = 400;
        var rows = Table(random, n, family);
        var responsibilities = RandomResponsibilities(random, n, k);
        var statistics = new ProductStatistics[k];
        for (int c = 0; c < k; c++)
        {
            statistics[c] = family.CreateStatistics(null);
            statistics[c].Accumulate(rows, Enumerable.Range(0, n).Select(i => responsibilities[(i * k) + c]).ToArray());
        }

        var components = new ProductComponent[k];
        family.Estimate(statistics, components);
        return (family, components);
    }

    /// <summary>N × K row-major random responsibilities.</summary>
    private static double[] RandomResponsibilities(Random random, int n, int k)
    {
        var result = BlockKernelCheck.Values(random, n * k, 1, 0.9);
        for (int i = 0; i < n; i++)
        {
            double total = result.AsSpan(i * k, k).ToArray().Sum();
            for (int c = 0; c < k; c++)
            {
                result[(i * k) + c] /= total;
            }
        }

        return result;
    }

    /// <summary>
    /// count × D row-major values, each row from one of three clusters, every column as its marginal needs it (real
    /// values, 0/1, levels, counts).
    /// </summary>
    private static double[] Table(Random random, int count, ProductFamily family)
    {
        int d = family.Dimension;
        var rows = new double[count * d];
        for (int n = 0; n < count; n++)
        {
            int cluster = random.Next(3);
            foreach (var marginal in family.Marginals)
            {
                foreach (int j in marginal.Columns)
                {
                    rows[(n * d) + j] = marginal.Kind switch
                    {
                        MarginalKind.Bernoulli => random.NextDouble() < 0.2 + (0.3 * cluster) ? 1 : 0,
                        MarginalKind.Categorical => (cluster + random.Next(2)) % 4,
                        MarginalKind.Poisson => Poisson(random, 1 + (3 * cluster)),
                        _ => (3 * cluster) + j + Normal(random),
                    };
                }
            }
        }

        return rows;
    }

    private static (double[] Weights, double[] Parameters, double[] History, int[] Labels, double MeanLogLikelihood) Fit(
        IComponentFamily<ProductComponent, ProductStatistics> family, DataMatrix data, double[] sampleWeights, double[] responsibilities, int k, int threads)
    {
        var engine = new EmEngine<ProductComponent, ProductStatistics>(family, MaximumLikelihoodWeights.Instance, data, sampleWeights, k, new EmSettings(0, 12, threads));
        var (weights, components) = engine.FromResponsibilities(InitialAssignment.Soft(responsibilities, k), CancellationToken.None);
        var result = engine.Run(weights, components, double.NegativeInfinity, 0, null, CancellationToken.None);
        var labels = new int[data.Rows];
        double mean = engine.Evaluate(result.Weights, result.Components, labels, CancellationToken.None);
        var product = family as ProductFamily ?? (ProductFamily)((PerComponentFamily<ProductComponent, ProductStatistics>)family).Inner;
        return (result.Weights, Parameters(product, result.Components), result.LowerBoundHistory, labels, mean);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static int Poisson(Random random, double rate)
    {
        double limit = Math.Exp(-rate), p = random.NextDouble();
        int x = 0;
        while (p > limit)
        {
            p *= random.NextDouble();
            x++;
        }

        return x;
    }
}
