using System.Diagnostics;
using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Orleans;
using MixtureModels.Serialization;

namespace MixtureModels.Distributed;

/// <summary>
/// Seconds per EM iteration of the same fit locally and on 1, 2 and 3 silos of this machine (all in this process, so
/// they share its cores: the differences are the distributed fit's overheads, not a speed-up), with the bytes an
/// iteration moves. The figures of docs/distributed.md come from this command.
/// </summary>
internal static class Measurement
{
    private const int Columns = 8;
    private const int Components = 8;
    private const int Iterations = 8;

    public static async Task RunAsync(int rows)
    {
        var data = Demonstration.Generate(rows, Columns, seed: 5);
        var family = new FullCovarianceFamily(Columns, 1e-6);
        var options = new MixtureOptions { ComponentCount = Components, Seed = 1, Tolerance = 0, MaxIterations = Iterations, InitializationCount = 1, SourceSampleRows = rows };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} rows × {Columns} columns, K = {Components}, full covariance, {Iterations} iterations; {Environment.ProcessorCount} cores shared by every silo"));
        var (statisticsBytes, chunks) = StatisticsSize(family, data);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plan: {chunks} chunks; K statistics of one chunk: {statisticsBytes} bytes of JSON; up per iteration: {chunks * statisticsBytes} bytes"));

        var localTimes = new List<double>();
        var watch = Stopwatch.StartNew();
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options).Fit(data, null, Recorder(localTimes, watch), CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"local:     {Median(localTimes):F3} s per iteration"));

        for (int silos = 1; silos <= 3; silos++)
        {
            await using var cluster = await LocalCluster.StartAsync(silos, basePort: 24111 + (silos * 10));
            var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(cluster.Client, family, LocalCluster.FullKey, options)
            {
                Distributed = new DistributedFitOptions { ShardCount = 6 },
            };
            var times = new List<double>();
            watch.Restart();
            var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data), Recorder(times, watch), CancellationToken.None);
            bool identical = distributed.Weights.SequenceEqual(local.Weights) && distributed.LowerBound.Equals(local.LowerBound);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{silos} silo{(silos == 1 ? " " : "s")}:   {Median(times):F3} s per iteration (6 shards){(identical ? ", bit-identical to the local fit" : ", DIFFERENT from the local fit")}"));
        }
    }

    /// <summary>The size of one chunk's K statistics as the shards send them, and the plan's chunk count.</summary>
    private static (int Bytes, int Chunks) StatisticsSize(FullCovarianceFamily family, DataMatrix data)
    {
        var statistics = new GaussianStatistics[Components];
        var weights = new double[1000];
        var random = new Random(1);
        for (int k = 0; k < Components; k++)
        {
            statistics[k] = family.CreateStatistics(null);
            for (int n = 0; n < weights.Length; n++)
            {
                weights[n] = random.NextDouble();
            }

            statistics[k].Accumulate(data.Values[..(weights.Length * Columns)], weights);
        }

        int bytes = StatisticsSerializer.SerializeToBytes(statistics, family).Length;
        int blockRows = Math.Clamp(32768 / Columns, 16, 256);
        long perChunk = Components * ((MixtureModels.Components.ISufficientStatistics)family.CreateStatistics(null)).SizeInBytes;
        int maxChunks = (int)Math.Clamp((32L << 20) / perChunk, 1, 64);
        int blocks = (data.Rows + blockRows - 1) / blockRows;
        int chunkRows = ((blocks + maxChunks - 1) / maxChunks) * blockRows;
        return (bytes, (data.Rows + chunkRows - 1) / chunkRows);
    }

    private static SynchronousProgress<FitProgress> Recorder(List<double> times, Stopwatch watch)
    {
        double last = 0;
        return new SynchronousProgress<FitProgress>(p =>
        {
            double now = watch.Elapsed.TotalSeconds;
            if (p.Iteration > 1)
            {
                times.Add(now - last);
            }

            last = now;
        });
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
