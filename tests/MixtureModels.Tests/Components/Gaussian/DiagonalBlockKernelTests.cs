using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// The batched diagonal/spherical kernel against the per-component path it replaces (density, E-step and moments)
/// for awkward D, K and row counts. The kernel only exists where 512-bit vectors are hardware-accelerated; elsewhere
/// these tests check the fallback instead: the families offer no
/// block kernel, so the engine runs the per-component kernels (tested on their own in the component tests).
/// </summary>
public sealed class DiagonalBlockKernelTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 3, 7, 3 }, { 8, 8, 4 }, { 9, 13, 5 }, { 16, 256, 8 }, { 16, 255, 8 }, { 17, 64, 2 }, { 33, 31, 9 }, { 5, 200, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Joint_log_densities_match_the_per_component_path(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        foreach (bool spherical in new[] { false, true })
        {
            var random = new Random((d * 1000) + (count * 10) + k);
            var components = Components(random, d, k, spherical, offset: 50);
            var logWeights = BlockKernelCheck.LogWeights(random, k);
            var rows = BlockKernelCheck.Values(random, count * d, 50, 4);
            foreach (var kernel in GaussianBlockKernels.Diagonal(d, k, spherical))
            {
                BlockKernelCheck.JointLogDensitiesMatch(kernel, components, logWeights, rows, count, $"spherical {spherical}, {kernel.GetType().Name}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Accumulated_statistics_and_log_likelihoods_match_the_per_component_path(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        foreach (bool spherical in new[] { false, true })
        {
            foreach (bool weighted in new[] { false, true })
            {
                var random = new Random((d * 1000) + (count * 10) + k + (weighted ? 1 : 0));
                var components = Components(random, d, k, spherical, offset: 1e5); // far from the origin: the centring matters
                var logWeights = BlockKernelCheck.LogWeights(random, k);
                var rows = BlockKernelCheck.Values(random, count * d, 1e5, 3);
                var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : default;
                Check(d, count, k, spherical, components, logWeights, rows, rowWeights);
            }
        }
    }

    [Fact]
    public void Rows_where_every_component_is_impossible_and_empty_components_match_the_per_component_path()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        const int d = 4, count = 21, k = 3;
        var random = new Random(3);
        var components = Components(random, d, k, spherical: false, offset: 0);
        var logWeights = new[] { Math.Log(0.5), double.NegativeInfinity, Math.Log(0.5) }; // component 1 has weight 0
        var rows = BlockKernelCheck.Values(random, count * d, 0, 3);
        rows[(5 * d) + 2] = 1e200; // row 5: every density underflows to −∞
        rows[(17 * d) + 0] = -1e200;
        Check(d, count, k, spherical: false, components, logWeights, rows, default);
    }

    /// <summary>
    /// The kernel takes the moments of two components at a time, and of the last one alone when their number is odd, so
    /// which components go together depends on their order. With clusters so far apart that every responsibility is
    /// exactly 0 or the row's weight, the responsibilities do not depend on the order either, and each component's
    /// accumulators must come out bit for bit the same whichever partner it had, or none.
    /// </summary>
    [Theory]
    [InlineData(1, 13)]
    [InlineData(2, 301)]
    [InlineData(3, 37)]
    [InlineData(7, 255)]
    [InlineData(16, 301)]
    [InlineData(17, 129)]
    [InlineData(33, 64)]
    public void Moments_are_bit_identical_whichever_components_are_taken_together(int d, int count)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        const int k = 3;
        int[][] orders = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
        foreach (bool spherical in new[] { false, true })
        {
            foreach (bool weighted in new[] { false, true })
            {
                var random = new Random((d * 100) + count + (spherical ? 7 : 0) + (weighted ? 1 : 0));
                var components = Components(random, d, k, spherical, offset: 0);
                for (int c = 0; c < k; c++)
                {
                    // Cluster c sits 1e4 · c from the origin in every column: the other clusters' terms are below e^−708.
                    var mean = components[c].Mean.ToArray().Select(m => m + (1e4 * c)).ToArray();
                    components[c] = spherical
                        ? SphericalGaussian.WithMeanVariance(mean, ((SphericalGaussian)components[c]).Variance)
                        : DiagonalGaussian.WithMeanVariances(mean, ((DiagonalGaussian)components[c]).Variances.ToArray());
                }

                var rows = BlockKernelCheck.Values(random, count * d, 0, 3);
                for (int n = 0; n < count; n++)
                {
                    int cluster = random.Next(k);
                    for (int i = 0; i < d; i++)
                    {
                        rows[(n * d) + i] += 1e4 * cluster;
                    }
                }

                var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 0.9) : null;
                var logWeights = BlockKernelCheck.LogWeights(random, k);
                var family = spherical ? (GaussianFamily)new SphericalCovarianceFamily(d, 1e-6) : new DiagonalCovarianceFamily(d, 1e-6);
                // The first order's statistics per vector width: the widths group the rows' sums differently (8 or 4
                // lanes), so each width is compared with itself.
                var first = new Dictionary<Type, DiagonalScatterStatistics[]>();
                foreach (var order in orders)
                {
                    foreach (var kernel in GaussianBlockKernels.Diagonal(d, k, spherical))
                    {
                        kernel.Prepare(order.Select(c => components[c]).ToArray(), order.Select(c => logWeights[c]).ToArray()).Should().BeTrue();
                        var statistics = order.Select(c => (DiagonalScatterStatistics)family.CreateStatistics(components[c])).ToArray();
                        kernel.Accumulate(rows, count, rowWeights, new double[count], statistics.Cast<GaussianStatistics>().ToArray());
                        var byComponent = new DiagonalScatterStatistics[k];
                        for (int j = 0; j < k; j++)
                        {
                            byComponent[order[j]] = statistics[j];
                        }

                        if (!first.TryGetValue(kernel.GetType(), out var reference))
                        {
                            first[kernel.GetType()] = byComponent;
                            continue;
                        }

                        for (int c = 0; c < k; c++)
                        {
                            string what = $"component {c}, order [{string.Join(", ", order)}], spherical {spherical}, weighted {weighted}, {kernel.GetType().Name}";
                            byComponent[c].TotalWeight.Should().Be(reference[c].TotalWeight, what);
                            byComponent[c].WeightedSum.ToArray().Should().Equal(reference[c].WeightedSum.ToArray(), what);
                            byComponent[c].Scatter.ToArray().Should().Equal(reference[c].Scatter.ToArray(), what);
                        }
                    }
                }

                first.Should().NotBeEmpty();
                first.Values.Should().OnlyContain(statistics => statistics[0].TotalWeight > 0, "the first cluster has rows");
            }
        }
    }

    [Theory]
    [InlineData(16, 200, 8)]
    [InlineData(13, 37, 5)]
    [InlineData(3, 9, 2)]
    public void Joint_log_densities_are_the_same_bits_at_every_width(int d, int count, int k)
    {
        foreach (bool spherical in new[] { false, true })
        {
            var random = new Random(d + count + k);
            var components = Components(random, d, k, spherical, offset: 20);
            var logWeights = BlockKernelCheck.LogWeights(random, k);
            var rows = BlockKernelCheck.Values(random, count * d, 20, 4);
            var results = new List<double[]>();
            foreach (var kernel in GaussianBlockKernels.Diagonal(d, k, spherical))
            {
                kernel.Prepare(components, logWeights).Should().BeTrue();
                var densities = new double[k * count];
                kernel.JointLogDensity(rows, count, densities, count);
                results.Add(densities);
            }

            // Each row's densities come from the same operations in the same order at either width (only sums over rows
            // group the rows differently), so where both widths run they agree to the bit; elsewhere one width runs.
            results.Should().HaveCount((Lanes256.IsSupported ? 1 : 0) + (Lanes512.IsSupported ? 1 : 0), $"spherical {spherical}");
            for (int w = 1; w < results.Count; w++)
            {
                results[w].Select(BitConverter.DoubleToInt64Bits).Should().Equal(results[0].Select(BitConverter.DoubleToInt64Bits), $"spherical {spherical}");
            }
        }
    }

    private static void Check(int d, int count, int k, bool spherical, GaussianComponent[] components, double[] logWeights, double[] rows, ReadOnlySpan<double> rowWeights)
    {
        var family = spherical ? (GaussianFamily)new SphericalCovarianceFamily(d, 1e-6) : new DiagonalCovarianceFamily(d, 1e-6);
        foreach (var kernel in GaussianBlockKernels.Diagonal(d, k, spherical))
        {
            Compare(d, k, BlockKernelCheck.Accumulate(kernel, c => (DiagonalScatterStatistics)family.CreateStatistics(c), components, logWeights, rows, count, rowWeights));
        }
    }

    private static void Compare(int d, int k, (DiagonalScatterStatistics[] Expected, DiagonalScatterStatistics[] Actual) result)
    {
        var (expectedStats, actualStats) = result;
        for (int c = 0; c < k; c++)
        {
            var expected = expectedStats[c];
            var actual = actualStats[c];
            actual.TotalWeight.Should().BeApproximately(expected.TotalWeight, 1e-12 * Math.Max(1, expected.TotalWeight), $"W of component {c}");
            for (int i = 0; i < d; i++)
            {
                // The sums about the component's mean are differences of rows 1e5 from the origin: compare on the scale of
                // the terms (W times a typical |x − a|), not of the sum, which may be near zero.
                double scale = Math.Max(1, expected.TotalWeight) * 10;
                actual.WeightedSum[i].Should().BeApproximately(expected.WeightedSum[i], 1e-12 * scale, $"s[{i}] of component {c}");
                actual.Scatter[i].Should().BeApproximately(expected.Scatter[i], 1e-12 * Math.Max(scale, Math.Abs(expected.Scatter[i])), $"scatter[{i}] of component {c}");
            }
        }
    }

    private static GaussianComponent[] Components(Random random, int d, int k, bool spherical, double offset)
    {
        var result = new GaussianComponent[k];
        for (int c = 0; c < k; c++)
        {
            var mean = BlockKernelCheck.Values(random, d, offset, 3);
            result[c] = spherical
                ? SphericalGaussian.WithMeanVariance(mean, 0.5 + (2 * random.NextDouble()))
                : DiagonalGaussian.WithMeanVariances(mean, BlockKernelCheck.Values(random, d, 1.5, 1));
        }

        return result;
    }
}
