using System.Diagnostics;
using System.Globalization;
using MixtureModels.Fitting;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `kmeans --rows N --columns D --components K [--repeats R] [--threads T] [--seed S] [--data PREFIX]`: k-means
/// on <see cref="BenchmarkData"/>'s data (or PREFIX.x.npy, K from PREFIX.weights.npy, as the fit command reads them), the <see cref="KMeansBenchmarks"/> cases without BenchmarkDotNet's start-up, for
/// quick alternated before/after runs: the k-means++ seeding, one Lloyd iteration (with the final labelling) and the
/// public <see cref="KMeans.Fit"/>, each the median and best of R runs in ms; then a check line (a hash of the seeds,
/// the inertia's bits, iterations) that must not change between builds. With KM_FIRST=1 in the environment, instead,
/// the parts of one first call after a warm-up on 8 192 rows, as the fit command times it (tiering not yet done).
/// </summary>
internal static class KMeansCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        int n = arguments.Int("--rows", 200_000), d = arguments.Int("--columns", 16), k = arguments.Int("--components", 8);
        int repeats = arguments.Int("--repeats", 10), threads = arguments.Int("--threads", -1), seed = arguments.Int("--seed", 0);
        string? prefix = arguments.String("--data");
        arguments.RejectUnknown();

        double[] values;
        if (prefix is not null)
        {
            var (shape, read) = NpyReader.Read(prefix + ".x.npy");
            (n, d, k, values) = (shape[0], shape[1], NpyReader.Read(prefix + ".weights.npy").Values.Length, read);
        }
        else
        {
            values = BenchmarkData.Create(n, d, k).Values;
        }

        var data = DataMatrix.FromRowMajor(values, d);

        if (Environment.GetEnvironmentVariable("KM_FIRST") == "1")
        {
            var warm = DataMatrix.FromRowMajor(values.AsMemory(0, Math.Min(n, 8192) * d), d);
            new KMeans(new KMeansOptions { ClusterCount = k }).Fit(warm);
            var fresh = DataMatrix.FromRowMajor(values, d);
            var w = Stopwatch.StartNew();
            var validated = InputValidation.TrainingData(fresh, k, "K");
            double a = w.Elapsed.TotalMilliseconds;
            MixtureModels.Numerics.ColumnVariance.Mean(validated, null, out _);
            double b = w.Elapsed.TotalMilliseconds;
            var first = new KMeansAlgorithm(validated, null, k, threads);
            var s0 = first.PlusPlusSeeds(new Random(0), CancellationToken.None);
            double c = w.Elapsed.TotalMilliseconds;
            var cs = new double[k * d];
            for (int i = 0; i < k; i++)
            {
                validated.Row(s0[i]).CopyTo(cs.AsSpan(i * d, d));
            }

            var r = first.Lloyd(cs, 300, 1e-4, CancellationToken.None);
            double e = w.Elapsed.TotalMilliseconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first call: validation {a:F1} ms, variance {b - a:F1}, seeding {c - b:F1}, lloyd {e - c:F1} ({r.Iterations} iterations)"));
            return 0;
        }
        var algorithm = new KMeansAlgorithm(data, null, k, threads);
        var seeds = algorithm.PlusPlusSeeds(new Random(seed), CancellationToken.None);
        var centres = new double[k * d];
        for (int c = 0; c < k; c++)
        {
            data.Row(seeds[c]).CopyTo(centres.AsSpan(c * d, d));
        }

        var options = new KMeansOptions { ClusterCount = k, Seed = seed, MaxDegreeOfParallelism = threads };
        var seeding = Time(repeats, () => algorithm.PlusPlusSeeds(new Random(seed), CancellationToken.None));
        var lloyd = Time(repeats, () => algorithm.Lloyd(centres, 1, 0, CancellationToken.None));
        var fit = Time(repeats, () => new KMeans(options).Fit(data));
        var model = new KMeans(options).Fit(data);
        if (Environment.GetEnvironmentVariable("KM_PARTS") == "1")
        {
            var validation = Time(repeats, () => InputValidation.TrainingData(data, k, "K"));
            var variance = Time(repeats, () => MixtureModels.Numerics.ColumnVariance.Mean(data, null, out _));
            var fresh = Time(repeats, () => new KMeansAlgorithm(data, null, k, threads).PlusPlusSeeds(new Random(seed), CancellationToken.None));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"validation {validation.Median:F2}, variance {variance.Median:F2}, fresh seeding {fresh.Median:F2}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"N={n} D={d} K={k}: seeding {seeding.Median:F2} ms (best {seeding.Best:F2}), lloyd {lloyd.Median:F2} ({lloyd.Best:F2}), fit {fit.Median:F2} ({fit.Best:F2})"));
        long hash = 17;
        foreach (int s in seeds)
        {
            hash = (hash * 31) + s;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"check: seeds {hash:X}, inertia {BitConverter.DoubleToInt64Bits(model.Inertia):X}, iterations {model.IterationCount}"));
        return 0;
    }

    private static (double Median, double Best) Time(int repeats, Action action)
    {
        action();
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times[r] = watch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[repeats / 2], times[0]);
    }
}
