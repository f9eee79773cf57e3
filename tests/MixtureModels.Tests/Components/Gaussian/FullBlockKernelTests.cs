using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// The batched full/tied-covariance kernel against the per-component path it replaces (density, E-step and scatter),
/// for awkward D (partial column tiles, partial scatter tiles), K and row counts (partial row tiles and pieces). The
/// kernel only exists where 512-bit vectors are hardware-accelerated; elsewhere these tests check the fallback
/// instead: the families offer no block kernel, so the engine runs the per-component kernels (tested on their own).
/// </summary>
public sealed class FullBlockKernelTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 3, 7, 3 }, { 5, 13, 2 }, { 8, 8, 4 }, { 9, 17, 5 }, { 16, 256, 8 }, { 16, 255, 8 }, { 17, 64, 2 }, { 33, 31, 3 }, { 24, 200, 1 }, { 12, 100, 16 }, { 4, 40, 2 }, { 32, 301, 3 }, { 36, 70, 2 },
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

        foreach (bool tied in new[] { false, true })
        {
            var random = new Random((d * 1000) + (count * 10) + k);
            var components = Components(random, d, k, tied, offset: 50);
            var logWeights = BlockKernelCheck.LogWeights(random, k);
            var rows = BlockKernelCheck.Values(random, count * d, 50, 4);
            foreach (var kernel in GaussianBlockKernels.Full(d, k))
            {
                BlockKernelCheck.JointLogDensitiesMatch(kernel, components, logWeights, rows, count, $"tied {tied}, {kernel.GetType().Name}");
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

        foreach (bool tied in new[] { false, true })
        {
            foreach (bool weighted in new[] { false, true })
            {
                var random = new Random((d * 1000) + (count * 10) + k + (weighted ? 1 : 0));
                var components = Components(random, d, k, tied, offset: 1e5); // far from the origin: the centring matters
                var logWeights = BlockKernelCheck.LogWeights(random, k);
                var rows = BlockKernelCheck.Values(random, count * d, 1e5, 3);
                var rowWeights = weighted ? BlockKernelCheck.Values(random, count, 1, 1) : default;
                Check(d, count, k, tied, components, logWeights, rows, rowWeights);
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
        var components = Components(random, d, k, tied: false, offset: 0);
        var logWeights = new[] { Math.Log(0.5), double.NegativeInfinity, Math.Log(0.5) }; // component 1 has weight 0
        var rows = BlockKernelCheck.Values(random, count * d, 0, 3);
        rows[(5 * d) + 2] = 1e200; // row 5: every density underflows to −∞
        rows[(17 * d) + 0] = -1e200;
        Check(d, count, k, tied: false, components, logWeights, rows, default);
    }

    [Theory]
    [InlineData(16, 256, 8)]
    [InlineData(32, 301, 3)]
    [InlineData(17, 64, 2)]
    public void Fetching_the_next_block_ahead_changes_no_bit(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var random = new Random(d + count + k);
        var components = Components(random, d, k, tied: false, offset: 100);
        var logWeights = BlockKernelCheck.LogWeights(random, k);
        var rows = BlockKernelCheck.Values(random, 2 * count * d, 100, 3); // this block and the next
        var family = new FullCovarianceFamily(d, 1e-6);
        var plain = components.Select(c => (FullScatterStatistics)family.CreateStatistics(c)).ToArray();
        var fetching = components.Select(c => (FullScatterStatistics)family.CreateStatistics(c)).ToArray();
        var plainLogLikelihood = new double[count];
        var fetchingLogLikelihood = new double[count];
        foreach (var kernel in GaussianBlockKernels.Full(d, k))
        {
            kernel.Prepare(components, logWeights).Should().BeTrue();
            var block = rows.AsSpan(0, count * d);
            kernel.Accumulate(block, count, default, plainLogLikelihood, plain.Cast<GaussianStatistics>().ToArray());
            ((IFetchAheadKernel<GaussianStatistics>)kernel).Accumulate(block, count, default, fetchingLogLikelihood, fetching.Cast<GaussianStatistics>().ToArray(), rows.AsSpan(count * d, count * d));

            fetchingLogLikelihood.Should().Equal(plainLogLikelihood);
            for (int c = 0; c < k; c++)
            {
                fetching[c].TotalWeight.Should().Be(plain[c].TotalWeight);
                fetching[c].WeightedSum.ToArray().Should().Equal(plain[c].WeightedSum.ToArray());
                fetching[c].Scatter.ToArray().Should().Equal(plain[c].Scatter.ToArray());
            }
        }
    }

    [Fact]
    public void Statistics_without_a_reference_take_the_general_path()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        const int d = 5, count = 40, k = 2;
        var random = new Random(5);
        var components = Components(random, d, k, tied: false, offset: 10);
        var logWeights = BlockKernelCheck.LogWeights(random, k);
        var rows = BlockKernelCheck.Values(random, count * d, 10, 3);
        var family = new FullCovarianceFamily(d, 1e-6);
        var expected = Enumerable.Range(0, k).Select(_ => (FullScatterStatistics)family.CreateStatistics(null)).ToArray();
        var logProb = new double[k * count];
        var expectedLogLikelihood = new double[count];
        ComponentDensities.JointLogDensity(components, logWeights, rows, count, logProb, count);
        EStepKernel.Responsibilities(logProb, count, k, count, default, expectedLogLikelihood);
        for (int c = 0; c < k; c++)
        {
            expected[c].Accumulate(rows, logProb.AsSpan(c * count, count));
        }

        foreach (var kernel in GaussianBlockKernels.Full(d, k))
        {
            // Fresh accumulators for every vector width: each must take the general path from the empty state.
            var actual = Enumerable.Range(0, k).Select(_ => (FullScatterStatistics)family.CreateStatistics(null)).ToArray();
            kernel.Prepare(components, logWeights).Should().BeTrue();
            kernel.Accumulate(rows, count, default, new double[count], actual.Cast<GaussianStatistics>().ToArray());
            for (int c = 0; c < k; c++)
            {
                actual[c].Reference.ToArray().Should().Equal(expected[c].Reference.ToArray());
                Compare(d, expected[c], actual[c], c);
            }
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

        foreach (var kernel in GaussianBlockKernels.Full(3, 2))
        {
            var random = new Random(1);
            var full = Components(random, 3, 2, tied: false, offset: 0);
            kernel.Prepare(full, BlockKernelCheck.LogWeights(random, 2)).Should().BeTrue();
            kernel.Prepare(full.Take(1).ToArray(), BlockKernelCheck.LogWeights(random, 1)).Should().BeFalse();
            var diagonal = new GaussianComponent[] { full[0], DiagonalGaussian.WithMeanVariances(new double[3], new[] { 1.0, 1, 1 }) };
            kernel.Prepare(diagonal, BlockKernelCheck.LogWeights(random, 2)).Should().BeFalse();
            kernel.Prepare(Components(random, 4, 2, tied: false, offset: 0), BlockKernelCheck.LogWeights(random, 2)).Should().BeFalse();
        }
    }

    [Fact]
    public void Families_offer_the_kernel_exactly_where_it_is_supported()
    {
        bool supported = BlockVectorMath.IsSupported;
        (((IBlockKernelSource<GaussianComponent, GaussianStatistics>)new FullCovarianceFamily(3, 1e-6)).CreateBlockKernel(2) is FullBlockKernel<Lanes512> or FullBlockKernel<Lanes256>).Should().Be(supported);
        (((IBlockKernelSource<GaussianComponent, GaussianStatistics>)new TiedCovarianceFamily(3, 1e-6)).CreateBlockKernel(2) is FullBlockKernel<Lanes512> or FullBlockKernel<Lanes256>).Should().Be(supported);
    }

    [Theory]
    [InlineData(16, 200, 8)]
    [InlineData(13, 37, 5)]
    [InlineData(3, 9, 2)]
    public void Joint_log_densities_are_the_same_bits_at_every_width(int d, int count, int k)
    {
        var random = new Random(d + count + k);
        var components = Components(random, d, k, tied: false, offset: 20);
        var logWeights = BlockKernelCheck.LogWeights(random, k);
        var rows = BlockKernelCheck.Values(random, count * d, 20, 4);
        var results = new List<double[]>();
        foreach (var kernel in GaussianBlockKernels.Full(d, k))
        {
            kernel.Prepare(components, logWeights).Should().BeTrue();
            var densities = new double[k * count];
            kernel.JointLogDensity(rows, count, densities, count);
            results.Add(densities);
        }

        // Each row's densities come from the same operations in the same order at either width (only sums over rows
        // group the rows differently), so where both widths run they agree to the bit; elsewhere one width runs.
        results.Should().HaveCount((Lanes256.IsSupported ? 1 : 0) + (Lanes512.IsSupported ? 1 : 0), "full");
        for (int w = 1; w < results.Count; w++)
        {
            results[w].Select(BitConverter.DoubleToInt64Bits).Should().Equal(results[0].Select(BitConverter.DoubleToInt64Bits), "full");
        }
    }

    private static void Check(int d, int count, int k, bool tied, GaussianComponent[] components, double[] logWeights, double[] rows, ReadOnlySpan<double> rowWeights)
    {
        var family = tied ? (GaussianFamily)new TiedCovarianceFamily(d, 1e-6) : new FullCovarianceFamily(d, 1e-6);
        foreach (var kernel in GaussianBlockKernels.Full(d, k))
        {
            var (expectedStats, actualStats) = BlockKernelCheck.Accumulate(kernel, c => (FullScatterStatistics)family.CreateStatistics(c), components, logWeights, rows, count, rowWeights);
            for (int c = 0; c < k; c++)
            {
                Compare(d, expectedStats[c], actualStats[c], c);
            }
        }
    }

    private static void Compare(int d, FullScatterStatistics expected, FullScatterStatistics actual, int c)
    {
        actual.TotalWeight.Should().BeApproximately(expected.TotalWeight, 1e-12 * Math.Max(1, expected.TotalWeight), $"W of component {c}");

        // The moments about the component's mean are sums of differences of rows 1e5 from the origin: compare on the
        // scale of the terms (W times a typical |x − a| or its square), not of the sum, which may be near zero.
        double scale = Math.Max(1, expected.TotalWeight) * 10;
        for (int i = 0; i < d; i++)
        {
            actual.WeightedSum[i].Should().BeApproximately(expected.WeightedSum[i], 1e-12 * scale, $"s[{i}] of component {c}");
            for (int j = 0; j < d; j++)
            {
                // Only the upper triangle is accumulated; the lower one stays as it was (zero).
                double e = j >= i ? expected.Scatter[(i * d) + j] : 0;
                actual.Scatter[(i * d) + j].Should().BeApproximately(e, 1e-12 * Math.Max(scale * 10, Math.Abs(e)), $"scatter[{i}, {j}] of component {c}");
            }
        }
    }

    private static GaussianComponent[] Components(Random random, int d, int k, bool tied, double offset)
    {
        var result = new GaussianComponent[k];
        for (int c = 0; c < k; c++)
        {
            var mean = BlockKernelCheck.Values(random, d, offset, 3);
            if (tied && c > 0)
            {
                result[c] = FullGaussian.WithSharedCovariance(mean, (FullGaussian)result[0]);
                continue;
            }

            // A random symmetric positive-definite covariance: A·Aᵀ/D + diag(0.5..1.5).
            var a = Matrix<double>.Build.Dense(d, d, (_, _) => (2 * random.NextDouble()) - 1);
            var covariance = (a * a.Transpose() / d) + Matrix<double>.Build.DenseDiagonal(d, d, _ => 0.5 + random.NextDouble());
            result[c] = FullGaussian.WithMeanCovariance(mean, covariance);
        }

        return result;
    }
}
