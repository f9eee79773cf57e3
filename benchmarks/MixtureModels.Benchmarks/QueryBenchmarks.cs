using BenchmarkDotNet.Attributes;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// The fitted model's queries against one EM iteration of the same model, on W1's shape (200,000 × 16, K = 8): the
/// queries take the fit's blocked, parallel E-step path with the family's batched kernel, so each should cost less
/// than an iteration (which adds the statistics and the M-step).
/// </summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private BenchmarkData _set = null!;
    private GaussianMixtureModel _model = null!;
    private EmEngine<GaussianComponent, GaussianStatistics> _engine = null!;

    [Params(CovarianceType.Full, CovarianceType.Diagonal)]
    public CovarianceType Covariance { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = BenchmarkData.Create(200_000, 16, 8);
        _model = _set.Model(Covariance);
        _engine = new EmEngine<GaussianComponent, GaussianStatistics>(GaussianFamily.Create(Covariance, 16, 1e-6), MaximumLikelihoodWeights.Instance, _set.Data, null, 8, new EmSettings(0, 1, -1));
    }

    /// <summary>One EM iteration from the fitted model.</summary>
    [Benchmark(Baseline = true)]
    public double EmIteration() => _engine.Run([.. _model.Weights], [.. _model.Components], double.NegativeInfinity, 0, null, CancellationToken.None).LowerBound;

    /// <summary>log p(xₙ) of every row (score_samples).</summary>
    [Benchmark]
    public double[] LogDensity() => _model.LogDensity(_set.Data);

    /// <summary>p(z = k | xₙ), N × K (predict_proba).</summary>
    [Benchmark]
    public double[,] PredictProbabilities() => _model.PredictProbabilities(_set.Data);

    /// <summary>The most probable component of every row (predict).</summary>
    [Benchmark]
    public int[] Predict() => _model.Predict(_set.Data);
}
