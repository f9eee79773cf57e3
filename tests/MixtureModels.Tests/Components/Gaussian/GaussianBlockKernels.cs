using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>The Gaussian block kernels at every vector width this CPU runs (AVX2 and, where present, AVX-512).</summary>
internal static class GaussianBlockKernels
{
    /// <summary>A diagonal (or spherical) kernel per supported width.</summary>
    public static IEnumerable<IBlockKernel<GaussianComponent, GaussianStatistics>> Diagonal(int d, int k, bool spherical)
    {
        if (Lanes256.IsSupported)
        {
            yield return new DiagonalBlockKernel<Lanes256>(d, k, spherical);
        }

        if (Lanes512.IsSupported)
        {
            yield return new DiagonalBlockKernel<Lanes512>(d, k, spherical);
        }
    }

    /// <summary>A full (or tied) kernel per supported width.</summary>
    public static IEnumerable<IBlockKernel<GaussianComponent, GaussianStatistics>> Full(int d, int k)
    {
        if (Lanes256.IsSupported)
        {
            yield return new FullBlockKernel<Lanes256>(d, k);
        }

        if (Lanes512.IsSupported)
        {
            yield return new FullBlockKernel<Lanes512>(d, k);
        }
    }
}
