using System.Diagnostics;
using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Serialization;

namespace MixtureModels.Distributed;

/// <summary>
/// The cost model of one distributed EM iteration, evaluated for 10^10 rows × 32 columns, K = 16 full-covariance
/// Gaussians, on 1 to 1,000 silos. Per iteration: one broadcast of the parameters (the K merged statistics), one
/// upload of K statistics per chunk, one M-step on the coordinator. The compute rate is measured here (or given), the
/// sizes are those of the serializer, and the network is an assumption printed with the results. Deterministic for a
/// given rate.
/// </summary>
internal static class Simulation
{
    private const double Rows = 1e10;
    private const int Columns = 32;
    private const int Components = 16;

    public static void Run(double rowsPerSecond)
    {
        var family = new FullCovarianceFamily(Columns, 1e-6);
        if (rowsPerSecond <= 0)
        {
            rowsPerSecond = MeasureRate(family);
        }

        int jsonBytes = JsonSize(family);
        long binaryBytes = Components * ((ISufficientStatistics)family.CreateStatistics(null)).SizeInBytes;
        double mergeSeconds = MeasureMerge(family);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = 1e10 rows × D = {Columns}, K = {Components}, full covariance."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compute: {rowsPerSecond:E3} rows/s per silo (one machine like this one, all its cores); K statistics: {jsonBytes} bytes as JSON, {binaryBytes} bytes as doubles; one merge of K statistics on the coordinator: {mergeSeconds * 1e3:F3} ms (deserialising included)."));
        foreach (var network in new[] { new Network("datacentre", 10e9 / 8, 0.5e-3), new Network("internet", 1e9 / 8, 20e-3) })
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{network.Name}: {network.BytesPerSecond * 8 / 1e9:G3} Gbit/s per node, {network.Latency * 1e3:G3} ms latency per hop (assumed)"));
            Console.WriteLine("silos  rows/silo   compute s  | flat: bytes up   comm s  share | tree(16): depth  bytes/link  comm s  share");
            foreach (int silos in new[] { 1, 2, 3, 100, 1000 })
            {
                double rowsPerSilo = Rows / silos;
                double compute = rowsPerSilo / rowsPerSecond;

                // Flat: one chunk's K statistics per silo (the shard pre-merges its chunks in a fixed order), all to the coordinator, which merges them one by one.
                double up = (double)silos * jsonBytes;
                double flat = network.Latency + (silos * (double)jsonBytes / network.BytesPerSecond) + (silos * mergeSeconds) + Broadcast(silos, jsonBytes, network, flatTree: true);

                // A fixed merge tree of fan-in 16: every inner node merges its children in a fixed order and forwards one set.
                int depth = Math.Max(1, (int)Math.Ceiling(Math.Log(silos) / Math.Log(16) - 1e-12));
                double tree = depth * (network.Latency + (16.0 * jsonBytes / network.BytesPerSecond) + (16 * mergeSeconds)) + Broadcast(silos, jsonBytes, network, flatTree: false);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{silos,5}  {rowsPerSilo,9:E2}  {compute,9:F2}  | {up,13:E2}  {flat,7:F3}  {flat / (flat + compute),5:P1} | {depth,14}  {jsonBytes,10}  {tree,6:F3}  {tree / (tree + compute),5:P1}"));
            }
        }
    }

    /// <summary>The broadcast of the parameters (K statistics): from the coordinator to every silo, or down the tree.</summary>
    private static double Broadcast(int silos, int bytes, Network network, bool flatTree)
    {
        if (flatTree)
        {
            return network.Latency + (silos * (double)bytes / network.BytesPerSecond);
        }

        int depth = Math.Max(1, (int)Math.Ceiling(Math.Log(silos) / Math.Log(16) - 1e-12));
        return depth * (network.Latency + (16.0 * bytes / network.BytesPerSecond));
    }

    /// <summary>Rows per second of EM iterations on this machine for D = 32, K = 16, full covariance (a short local fit).</summary>
    private static double MeasureRate(FullCovarianceFamily family)
    {
        const int rows = 40_000;
        var data = Demonstration.Generate(rows, Columns, seed: 9);
        var options = new MixtureOptions { ComponentCount = Components, Seed = 1, Tolerance = 0, MaxIterations = 4, InitializationCount = 1, Initialization = InitializationMethod.RandomFromData };
        var times = new List<double>();
        var watch = Stopwatch.StartNew();
        double last = 0;
        new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options).Fit(data, null, new SynchronousProgress<FitProgress>(p =>
        {
            double now = watch.Elapsed.TotalSeconds;
            if (p.Iteration > 1)
            {
                times.Add(now - last);
            }

            last = now;
        }), CancellationToken.None);
        return rows / times.Order().ElementAt(times.Count / 2);
    }

    private static GaussianStatistics[] Statistics(FullCovarianceFamily family)
    {
        var data = Demonstration.Generate(1000, Columns, seed: 4);
        var weights = new double[data.Rows];
        var random = new Random(2);
        var statistics = new GaussianStatistics[Components];
        for (int k = 0; k < Components; k++)
        {
            for (int n = 0; n < weights.Length; n++)
            {
                weights[n] = random.NextDouble();
            }

            statistics[k] = family.CreateStatistics(null);
            statistics[k].Accumulate(data.Values, weights);
        }

        return statistics;
    }

    private static int JsonSize(FullCovarianceFamily family) => StatisticsSerializer.SerializeToBytes(Statistics(family), family).Length;

    /// <summary>Seconds to deserialise one silo's K statistics and merge them into the running totals.</summary>
    private static double MeasureMerge(FullCovarianceFamily family)
    {
        var statistics = Statistics(family);
        var bytes = StatisticsSerializer.SerializeToBytes(statistics, family);
        var totals = Statistics(family);
        const int repeats = 50;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            var received = StatisticsSerializer.Deserialize(bytes, family);
            for (int k = 0; k < Components; k++)
            {
                totals[k].Merge(received[k]);
            }
        }

        return watch.Elapsed.TotalSeconds / repeats;
    }

    private sealed record Network(string Name, double BytesPerSecond, double Latency);
}
