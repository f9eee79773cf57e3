using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components;

/// <summary>
/// Shared pieces of the block-kernel tests: random inputs, the fallback check, and the comparisons of a kernel's joint
/// densities and fused pass with the per-component path.
/// </summary>
internal static class BlockKernelCheck
{
    /// <summary>
    /// Where neither 512-bit nor 256-bit (AVX2 with FMA) vectors are accelerated: no family (the four Gaussian ones and
    /// Bernoulli) offers a block kernel, so the engine runs the per-component kernels.
    /// </summary>
    public static void NoFamilyOffersABlockKernel()
    {
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            ((IBlockKernelSource<GaussianComponent, GaussianStatistics>)GaussianFamily.Create(type, 3, 1e-6)).CreateBlockKernel(2).Should().BeNull($"{type} has no vector hardware to run on");
        }

        ((IBlockKernelSource<BernoulliComponent, BernoulliStatistics>)new BernoulliFamily(3)).CreateBlockKernel(2).Should().BeNull("Bernoulli has no vector hardware to run on");
    }

    /// <summary>
    /// The kernel's joint log-densities log π_k + log p(xₙ | θ_k) equal those of the per-component path
    /// (<see cref="ComponentDensities.JointLogDensity{TComponent}"/>) to 1e-12 relative, written with a stride wider than the block.
    /// </summary>
    public static void JointLogDensitiesMatch<TComponent>(IBlockDensityKernel<TComponent> kernel, TComponent[] components, double[] logWeights, double[] rows, int count, string what)
        where TComponent : IComponent
    {
        int k = components.Length, stride = count + 3;
        var expected = new double[k * stride];
        var actual = new double[k * stride];
        ComponentDensities.JointLogDensity(components, logWeights, rows, count, expected, stride);

        kernel.Prepare(components, logWeights).Should().BeTrue();
        kernel.JointLogDensity(rows, count, actual, stride);
        for (int c = 0; c < k; c++)
        {
            for (int n = 0; n < count; n++)
            {
                double e = expected[(c * stride) + n];
                actual[(c * stride) + n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"component {c}, row {n}, {what}");
            }
        }
    }

    /// <summary>
    /// Runs the kernel's fused pass (<see cref="IBlockKernel{TComponent, TStatistics}.Accumulate"/>) and the per-component path it
    /// replaces (joint densities, <see cref="EStepKernel.Responsibilities"/>, then each accumulator's Accumulate) on the
    /// same block, each into fresh accumulators from <paramref name="createStatistics"/>; checks that the log-likelihoods
    /// of the rows agree to 1e-12 relative, and returns both sets of accumulators for the caller to compare.
    /// </summary>
    public static (TStatistics[] Expected, TStatistics[] Actual) Accumulate<TComponent, TStatistics, TKernelStatistics>(IBlockKernel<TComponent, TKernelStatistics> kernel, Func<TComponent, TStatistics> createStatistics, TComponent[] components, double[] logWeights, double[] rows, int count, ReadOnlySpan<double> rowWeights)
        where TComponent : IComponent
        where TStatistics : TKernelStatistics
        where TKernelStatistics : ISufficientStatistics<TKernelStatistics>
    {
        int k = components.Length;
        var expectedStats = components.Select(createStatistics).ToArray();
        var actualStats = components.Select(createStatistics).ToArray();
        var logProb = new double[k * count];
        var expectedLogLikelihood = new double[count];
        ComponentDensities.JointLogDensity(components, logWeights, rows, count, logProb, count);
        EStepKernel.Responsibilities(logProb, count, k, count, rowWeights, expectedLogLikelihood);
        for (int c = 0; c < k; c++)
        {
            expectedStats[c].Accumulate(rows, logProb.AsSpan(c * count, count));
        }

        kernel.Prepare(components, logWeights).Should().BeTrue();
        var actualLogLikelihood = new double[count];
        kernel.Accumulate(rows, count, rowWeights, actualLogLikelihood, actualStats.Select(s => (TKernelStatistics)s).ToArray());

        for (int n = 0; n < count; n++)
        {
            double e = expectedLogLikelihood[n];
            actualLogLikelihood[n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"row {n}");
        }

        return (expectedStats, actualStats);
    }

    /// <summary>log π_k of K random weights (each in [0.1, 1.9] before normalising).</summary>
    public static double[] LogWeights(Random random, int k)
    {
        var weights = Values(random, k, 1, 0.9);
        double total = weights.Sum();
        return weights.Select(w => Math.Log(w / total)).ToArray();
    }

    /// <summary><paramref name="length"/> values uniform in centre ± halfWidth.</summary>
    public static double[] Values(Random random, int length, double centre, double halfWidth) =>
        Enumerable.Range(0, length).Select(_ => centre + (halfWidth * ((2 * random.NextDouble()) - 1))).ToArray();
}
