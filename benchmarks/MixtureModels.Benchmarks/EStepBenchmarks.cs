using BenchmarkDotNet.Attributes;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// The E-step's hot path: every component's log-density over cache-sized blocks of rows (single thread, as one
/// chunk of the EM engine does it), and the public mixture log-density (log-sum-exp over components, parallel).
/// </summary>
[MemoryDiagnoser]
public class EStepBenchmarks : GaussianGrid
{
    private BenchmarkData _set = null!;
    private GaussianMixtureModel _model = null!;
    private GaussianComponent[] _components = null!;
    private double[] _destination = null!;
    private int _blockRows;

    [GlobalSetup]
    public void Setup()
    {
        _set = BenchmarkData.Create(N, D, K);
        _model = _set.Model(Covariance);
        _components = [.. _model.Components];
        _blockRows = new BlockPlan(N, D).BlockRows;
        _destination = new double[_blockRows];
    }

    /// <summary>K × N component log-densities, block by block, one thread.</summary>
    [Benchmark]
    public double ComponentLogDensityBlocks()
    {
        var values = _set.Values;
        double check = 0;
        for (int start = 0; start < N; start += _blockRows)
        {
            int count = Math.Min(_blockRows, N - start);
            var rows = values.AsSpan(start * D, count * D);
            var destination = _destination.AsSpan(0, count);
            foreach (var component in _components)
            {
                component.LogDensity(rows, destination);
                check += destination[0];
            }
        }

        return check;
    }

    /// <summary>The mixture's log p(xₙ) for all rows (score_samples), all cores.</summary>
    [Benchmark]
    public double[] MixtureLogDensity() => _model.LogDensity(_set.Data);
}
