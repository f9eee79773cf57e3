using BenchmarkDotNet.Attributes;

namespace MixtureModels.Benchmarks;

/// <summary>The parameter grid shared by the Gaussian E-step, M-step and iteration suites: N, D, K and the covariance type.</summary>
public abstract class GaussianGrid
{
    [Params(20_000, 200_000)]
    public int N { get; set; }

    [Params(4, 16)]
    public int D { get; set; }

    [Params(4, 16)]
    public int K { get; set; }

    [Params(CovarianceType.Full, CovarianceType.Diagonal, CovarianceType.Spherical, CovarianceType.Tied)]
    public CovarianceType Covariance { get; set; }
}
