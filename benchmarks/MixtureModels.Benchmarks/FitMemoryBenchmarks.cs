using BenchmarkDotNet.Attributes;

namespace MixtureModels.Benchmarks;

/// <summary>
/// Allocation of whole full-covariance fits with a large D (the memory diagnoser's "Allocated" column): the chunks'
/// accumulators are capped by a budget and reused, so a fit allocates about the data, a few models and a constant, plus
/// two models (Σ and its precision factor) per iteration.
/// </summary>
[MemoryDiagnoser]
public class FitMemoryBenchmarks
{
    private DataMatrix _data = null!;

    [Params(500)]
    public int D { get; set; }

    [Params(4000)]
    public int N { get; set; }

    [Params(2, 6)]
    public int Iterations { get; set; }

    [GlobalSetup]
    public void Setup() => _data = BenchmarkData.Create(N, D, 4).Data;

    /// <summary>A fit of K = 4 full covariances with a fixed number of iterations.</summary>
    [Benchmark]
    public double Fit() =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 4, CovarianceType = CovarianceType.Full, MaxIterations = Iterations, Tolerance = 0, Seed = 1 }).Fit(_data).LowerBound;
}
