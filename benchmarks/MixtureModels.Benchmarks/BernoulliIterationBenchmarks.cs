using BenchmarkDotNet.Attributes;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;
using MixtureModels.Tests.Components;

namespace MixtureModels.Benchmarks;

/// <summary>
/// One whole EM iteration of a Bernoulli mixture (fused E-step + weighted counts, merge, M-step) from a fixed start, all
/// cores, directly on the internal EmEngine: with the family as it is (the batched block kernel where 512-bit vectors
/// are accelerated) and behind a wrapper that hides the kernel, so that the engine runs the per-component path.
/// </summary>
[MemoryDiagnoser]
public class BernoulliIterationBenchmarks
{
    private EmEngine<BernoulliComponent, BernoulliStatistics> _batched = null!;
    private EmEngine<BernoulliComponent, BernoulliStatistics> _perComponent = null!;
    private double[] _startWeights = null!;
    private BernoulliComponent[] _startComponents = null!;

    [Params(20_000, 200_000)]
    public int N { get; set; }

    [Params(16, 64)]
    public int D { get; set; }

    [Params(4, 16)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // N rows drawn from K random prototypes; the start is uniform weights and K data rows pulled towards ½.
        var random = new Random(0);
        var prototypes = Enumerable.Range(0, K).Select(_ => Enumerable.Range(0, D).Select(_ => 0.05 + (0.9 * random.NextDouble())).ToArray()).ToArray();
        var values = new double[N * D];
        for (int n = 0; n < N; n++)
        {
            var phi = prototypes[random.Next(K)];
            for (int i = 0; i < D; i++)
            {
                values[(n * D) + i] = random.NextDouble() < phi[i] ? 1 : 0;
            }
        }

        var data = DataMatrix.FromRowMajor(values, D);
        var family = new BernoulliFamily(D);
        var settings = new EmSettings(0, 1, -1);
        _batched = new EmEngine<BernoulliComponent, BernoulliStatistics>(family, MaximumLikelihoodWeights.Instance, data, null, K, settings);
        _perComponent = new EmEngine<BernoulliComponent, BernoulliStatistics>(new PerComponentFamily<BernoulliComponent, BernoulliStatistics>(family), MaximumLikelihoodWeights.Instance, data, null, K, settings);
        _startWeights = [.. Enumerable.Repeat(1.0 / K, K)];
        _startComponents = [.. Enumerable.Range(0, K).Select(c => BernoulliComponent.WithProbabilities(values.AsSpan(c * N / K * D, D).ToArray().Select(x => 0.25 + (0.5 * x)).ToArray()))];
    }

    /// <summary>Exactly one EM iteration on the engine, per-component path.</summary>
    [Benchmark(Baseline = true)]
    public double PerComponentIteration() => Iteration(_perComponent);

    /// <summary>Exactly one EM iteration on the engine, with the family's block kernel where it has one.</summary>
    [Benchmark]
    public double EngineIteration() => Iteration(_batched);

    private double Iteration(EmEngine<BernoulliComponent, BernoulliStatistics> engine) =>
        engine.Run((double[])_startWeights.Clone(), (BernoulliComponent[])_startComponents.Clone(), double.NegativeInfinity, 0, null, CancellationToken.None).LowerBound;
}
