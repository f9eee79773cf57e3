using BenchmarkDotNet.Attributes;

namespace MixtureModels.Benchmarks;

/// <summary>
/// Time to tolerance of EM and of the direct optimisers from the same fixed start: each runs until its own stopping rule
/// says the mean log-likelihood has stopped moving (EM: |ΔL| &lt; 1e-9; L-BFGS: largest gradient entry &lt; 1e-6 or
/// relative change &lt; 1e-12), and returns the final mean log-likelihood so that the accuracy reached can be compared.
/// </summary>
[MemoryDiagnoser]
public class TimeToToleranceBenchmarks
{
    private BenchmarkData _set = null!;

    [Params(20_000)]
    public int N { get; set; }

    [Params(4)]
    public int D { get; set; }

    [Params(4)]
    public int K { get; set; }

    [Params(CovarianceType.Full, CovarianceType.Diagonal)]
    public CovarianceType Covariance { get; set; }

    [Params(FittingAlgorithm.ExpectationMaximization, FittingAlgorithm.Lbfgs, FittingAlgorithm.ExpectationMaximizationThenLbfgs)]
    public FittingAlgorithm Algorithm { get; set; }

    [GlobalSetup]
    public void Setup() => _set = BenchmarkData.Create(N, D, K);

    /// <summary>Fits from the fixed start to the algorithm's tolerance; returns the mean log-likelihood reached.</summary>
    [Benchmark]
    public double FitToTolerance() => Fit(_set, Covariance, Algorithm).MeanLogLikelihood(_set.Data);

    /// <summary>The fit the benchmark times (also used by the `tolerance` command).</summary>
    internal static GaussianMixtureModel Fit(BenchmarkData set, CovarianceType covariance, FittingAlgorithm algorithm)
    {
        var options = set.Options(covariance, 10_000) with
        {
            Tolerance = 1e-9,
            Algorithm = algorithm,
            Gradient = new GradientOptions { GradientTolerance = 1e-6, RelativeTolerance = 1e-12 },
        };
        return new GaussianMixture(options).Fit(set.Data);
    }
}
