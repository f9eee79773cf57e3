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
        var (deserialize, merge, mStep) = MeasureCoordinator(family);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = 1e10 rows × D = {Columns}, K = {Components}, full covariance; one shard (one chunk) per silo."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"measured here: compute {rowsPerSecond:E3} rows/s per silo (a silo = one machine like this one, all its cores); K statistics {jsonBytes} bytes as JSON ({binaryBytes} as raw doubles); on the coordinator, per silo's K statistics: deserialise {deserialize * 1e3:F3} ms, merge {merge * 1e3:F3} ms; one M-step {mStep * 1e3:F3} ms."));
        foreach (var network in new[] { new Network("datacentre", 10e9 / 8, 0.5e-3), new Network("internet", 1e9 / 8, 20e-3) })
        {
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{network.Name}: {network.BytesPerSecond * 8 / 1e9:G3} Gbit/s per node, {network.Latency * 1e3:G3} ms latency per hop (assumed)"));
            Console.WriteLine("              |           |  flat, JSON (as built)                 | flat, raw doubles  | tree of fan-in 16, JSON");
            Console.WriteLine("silos   rows/silo  compute s |  bytes up   bytes down  comm s   share |  comm s    share   | depth  bytes/link  comm s  share");
            foreach (int silos in new[] { 1, 2, 3, 100, 1000 })
            {
                double rowsPerSilo = Rows / silos;
                double compute = rowsPerSilo / rowsPerSecond;

                // Every variant: the shards also read the broadcast statistics and run the M-step themselves (Shard).
                // Flat: every silo sends its K statistics to the coordinator, which receives them through one link and merges
                // them one by one in shard order; the parameters (K statistics) go the other way to every silo.
                double up = (double)silos * jsonBytes, down = up;
                double flat = (2 * network.Latency) + ((up + down) / network.BytesPerSecond) + (silos * (deserialize + merge)) + mStep + Shard(deserialize, mStep);
                double raw = (2 * network.Latency) + (2.0 * silos * binaryBytes / network.BytesPerSecond) + (silos * merge) + mStep + Shard(0, mStep);

                // A fixed merge tree of fan-in 16 (the same tree every iteration, so the sums are deterministic): every inner
                // node receives and merges at most 16 sets, in a fixed order, and forwards one; the broadcast goes down the same tree.
                int depth = silos == 1 ? 1 : (int)Math.Ceiling((Math.Log(silos) / Math.Log(16)) - 1e-12);
                int fan = Math.Min(16, silos);
                double level = network.Latency + (fan * (double)jsonBytes / network.BytesPerSecond) + (fan * (deserialize + merge));
                double broadcastLevel = network.Latency + (fan * (double)jsonBytes / network.BytesPerSecond);
                double tree = (depth * (level + broadcastLevel)) + mStep + Shard(deserialize, mStep);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{silos,5}  {rowsPerSilo,10:E2}  {compute,9:F2} | {up,9:E2}  {down,9:E2}  {flat,7:F3}  {flat / (flat + compute),6:P2} | {raw,7:F3}  {raw / (raw + compute),6:P2}   | {depth,5}  {jsonBytes,10}  {tree,6:F3}  {tree / (tree + compute),6:P2}"));
            }
        }
    }

    /// <summary>What every shard does with the broadcast before its pass (in parallel on all silos): read the K statistics and run the same M-step.</summary>
    private static double Shard(double deserialize, double mStep) => deserialize + mStep;

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

    /// <summary>Seconds to deserialise one silo's K statistics, to merge them into the running totals, and of one M-step.</summary>
    private static (double Deserialize, double Merge, double MStep) MeasureCoordinator(FullCovarianceFamily family)
    {
        var statistics = Statistics(family);
        var bytes = StatisticsSerializer.SerializeToBytes(statistics, family);
        var totals = Statistics(family);
        const int repeats = 40;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            _ = StatisticsSerializer.Deserialize(bytes, family);
        }

        double deserialize = watch.Elapsed.TotalSeconds / repeats;
        watch.Restart();
        for (int r = 0; r < repeats; r++)
        {
            for (int k = 0; k < Components; k++)
            {
                totals[k].Merge(statistics[k]);
            }
        }

        double merge = watch.Elapsed.TotalSeconds / repeats;
        var components = new GaussianComponent[Components];
        watch.Restart();
        for (int r = 0; r < repeats; r++)
        {
            family.Estimate(totals, components);
        }

        return (deserialize, merge, watch.Elapsed.TotalSeconds / repeats);
    }

    private sealed record Network(string Name, double BytesPerSecond, double Latency);
}
