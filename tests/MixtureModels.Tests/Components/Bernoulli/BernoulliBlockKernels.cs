using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>The Bernoulli block kernel at every vector width this CPU runs (AVX2 and, where present, AVX-512).</summary>
internal static class BernoulliBlockKernels
{
    /// <summary>A kernel per supported width.</summary>
    public static IEnumerable<IBlockKernel<BernoulliComponent, BernoulliStatistics>> Create(int d, int k)
    {
        if (Lanes256.IsSupported)
        {
            yield return new BernoulliBlockKernel<Lanes256>(d, k);
        }

        if (Lanes512.IsSupported)
        {
            yield return new BernoulliBlockKernel<Lanes512>(d, k);
        }
    }
}
