using BenchmarkDotNet.Attributes;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// The M-step on its own: accumulate every component's weighted statistics over cache-sized blocks of rows with
/// fixed random responsibilities (single thread, as one chunk of the EM engine does it), then the family's
/// closed-form Estimate.
/// </summary>
[MemoryDiagnoser]
public class MStepBenchmarks : GaussianGrid
{
    private BenchmarkData _set = null!;
    private GaussianFamily _family = null!;
    private GaussianComponent[] _components = null!;
    private GaussianStatistics[] _statistics = null!;
    private GaussianComponent[] _estimated = null!;
    private double[][] _responsibilities = null!; // per component: N
    private int _blockRows;

    [GlobalSetup]
    public void Setup()
    {
        _set = BenchmarkData.Create(N, D, K);
        _family = GaussianFamily.Create(Covariance, D, 1e-6);
        _components = [.. _set.Model(Covariance).Components];
        _blockRows = new BlockPlan(N, D).BlockRows;
        _estimated = new GaussianComponent[K];
        var random = new Random(1);
        _responsibilities = [.. Enumerable.Range(0, K).Select(_ => new double[N])];
        for (int n = 0; n < N; n++)
        {
            double total = 0;
            for (int k = 0; k < K; k++)
            {
                total += _responsibilities[k][n] = random.NextDouble();
            }

            for (int k = 0; k < K; k++)
            {
                _responsibilities[k][n] /= total;
            }
        }

        _statistics = [.. _components.Select(c => _family.CreateStatistics(c))];
    }

    /// <summary>Σ over blocks of K Accumulate calls.</summary>
    [Benchmark]
    public double Accumulate()
    {
        AccumulateAll();
        return _statistics[0].TotalWeight;
    }

    /// <summary>Accumulate, then the family's Estimate (Cholesky per component for full, one for tied).</summary>
    [Benchmark]
    public GaussianComponent AccumulateAndEstimate()
    {
        AccumulateAll();
        _family.Estimate(_statistics, _estimated);
        return _estimated[0];
    }

    private void AccumulateAll()
    {
        foreach (var s in _statistics)
        {
            s.Clear();
        }

        var values = _set.Values;
        for (int start = 0; start < N; start += _blockRows)
        {
            int count = Math.Min(_blockRows, N - start);
            var rows = values.AsSpan(start * D, count * D);
            for (int k = 0; k < K; k++)
            {
                _statistics[k].Accumulate(rows, _responsibilities[k].AsSpan(start, count));
            }
        }
    }
}
