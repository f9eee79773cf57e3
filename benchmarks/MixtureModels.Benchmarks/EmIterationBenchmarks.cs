using BenchmarkDotNet.Attributes;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// One whole EM iteration (fused E-step + statistics, merge, M-step) from a fixed start, all cores: directly on the
/// internal EmEngine, and through the public GaussianMixture.Fit with MaxIterations = 1 and Tolerance = 0 (which adds
/// option parsing, building the start and the final labelling E-step).
/// </summary>
[MemoryDiagnoser]
public class EmIterationBenchmarks : GaussianGrid
{
    private BenchmarkData _set = null!;
    private GaussianMixtureOptions _options = null!;
    private EmEngine<GaussianComponent, GaussianStatistics> _engine = null!;
    private double[] _startWeights = null!;
    private GaussianComponent[] _startComponents = null!;

    [GlobalSetup]
    public void Setup()
    {
        _set = BenchmarkData.Create(N, D, K);
        _options = _set.Options(Covariance, 1);
        var family = GaussianFamily.Create(Covariance, D, 1e-6);
        _engine = new EmEngine<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, _set.Data, null, K, new EmSettings(0, 1, -1));
        var start = _set.Model(Covariance);
        _startWeights = [.. start.Weights];
        _startComponents = [.. start.Components];
    }

    /// <summary>Exactly one EM iteration on the engine.</summary>
    [Benchmark(Baseline = true)]
    public double EngineIteration() =>
        _engine.Run((double[])_startWeights.Clone(), (GaussianComponent[])_startComponents.Clone(), double.NegativeInfinity, 0, null, CancellationToken.None).LowerBound;

    /// <summary>GaussianMixture.Fit with one iteration from the fixed start.</summary>
    [Benchmark]
    public double FitOneIteration() => new GaussianMixture(_options).Fit(_set.Data).LowerBound;
}
