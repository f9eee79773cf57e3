using BenchmarkDotNet.Attributes;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// k-means, the default initialiser of every fit: one greedy k-means++ seeding, one Lloyd iteration (a labelling pass
/// with the fused centre update) and the whole public <see cref="KMeans.Fit"/> (validation, seeding, Lloyd to
/// convergence), on all cores. The data are the suites' K well-separated Gaussians.
/// </summary>
[MemoryDiagnoser]
public class KMeansBenchmarks
{
    private BenchmarkData _set = null!;
    private KMeansAlgorithm _algorithm = null!;
    private double[] _centres = null!;

    [Params(200_000, 1_000_000)]
    public int N { get; set; }

    [Params(16, 32)]
    public int D { get; set; }

    [Params(8, 16)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = BenchmarkData.Create(N, D, K);
        _algorithm = new KMeansAlgorithm(_set.Data, null, K, -1);
        var seeds = _algorithm.PlusPlusSeeds(new Random(0), CancellationToken.None);
        _centres = new double[K * D];
        for (int c = 0; c < K; c++)
        {
            _set.Data.Row(seeds[c]).CopyTo(_centres.AsSpan(c * D, D));
        }
    }

    /// <summary>Greedy k-means++ seeding (K steps, 2 + ⌊ln K⌋ trials each, evaluated in one pass per step).</summary>
    [Benchmark]
    public int[] Seeding() => _algorithm.PlusPlusSeeds(new Random(0), CancellationToken.None);

    /// <summary>One Lloyd iteration from the k-means++ centres (plus the final labelling pass every run ends with).</summary>
    [Benchmark(Baseline = true)]
    public double LloydIteration() => _algorithm.Lloyd(_centres, 1, 0, CancellationToken.None).Inertia;

    /// <summary>The public estimator with its defaults (one initialisation, tolerance 1e-4, at most 300 iterations).</summary>
    [Benchmark]
    public double Fit() => new KMeans(new KMeansOptions { ClusterCount = K }).Fit(_set.Data).Inertia;
}
