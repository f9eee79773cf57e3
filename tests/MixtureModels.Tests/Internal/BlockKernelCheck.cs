using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Internal;

namespace MixtureModels.Tests.Internal;

/// <summary>Shared pieces of the block-kernel tests: random inputs, the fallback check and the joint-density comparison.</summary>
internal static class BlockKernelCheck
{
    /// <summary>Where 512-bit vectors are not accelerated: no Gaussian family offers a block kernel, so the engine runs the per-component kernels.</summary>
    public static void NoGaussianFamilyOffersABlockKernel()
    {
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            ((IBlockKernelSource<GaussianComponent>)GaussianFamily.Create(type, 3, 1e-6)).CreateBlockKernel(2).Should().BeNull($"{type} has no 512-bit hardware to run on");
        }
    }

    /// <summary>
    /// The kernel's joint log-densities log π_k + log p(xₙ | θ_k) equal those of the per-component path
    /// (<see cref="EStepKernel.JointLogDensity{TComponent}"/>) to 1e-12 relative, written with a stride wider than the block.
    /// </summary>
    public static void JointLogDensitiesMatch(IBlockKernel<GaussianComponent> kernel, GaussianComponent[] components, double[] logWeights, double[] rows, int count, string what)
    {
        int k = components.Length, stride = count + 3;
        var expected = new double[k * stride];
        var actual = new double[k * stride];
        EStepKernel.JointLogDensity(components, logWeights, rows, count, expected, stride);

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
