using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `fit --data PREFIX --covariance full|diag|spherical|tied --inits N [--threads T]`: the MixtureModels side of
/// ../shared/peers/e2e.sh, the whole fit as a user runs it. Reads PREFIX.x.npy (K from PREFIX.weights.npy), warms up on
/// a few thousand rows (untimed), then times once each, in this order: KMeans alone (K clusters, one initialisation,
/// defaults), GaussianMixture.Fit with default options, N initialisations and seed 0, then LogDensity,
/// PredictProbabilities and Predict on the whole data; prints one JSON line with the fields of sk_e2e.py.
/// </summary>
internal static class FitCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        string? prefix = arguments.String("--data"), cov = arguments.String("--covariance");
        int inits = arguments.Int("--inits", 1), threads = arguments.Int("--threads", -1);
        arguments.RejectUnknown();

        if (prefix is null || cov is null || inits < 1)
        {
            Console.Error.WriteLine("usage: fit --data PREFIX --covariance full|diag|spherical|tied --inits N [--threads T]");
            return 2;
        }

        var type = PeerProblem.ParseCovariance(cov);
        var (shape, values) = NpyReader.Read(prefix + ".x.npy");
        var (_, weights) = NpyReader.Read(prefix + ".weights.npy");
        int n = shape[0], d = shape[1], k = weights.Length;
        var data = DataMatrix.FromRowMajor(values, d);
        var options = new GaussianMixtureOptions { ComponentCount = k, CovarianceType = type, InitializationCount = inits, Seed = 0, MaxDegreeOfParallelism = threads };
        var kmeansOptions = new KMeansOptions { ClusterCount = k, Seed = 0 };

        // Untimed warm-up on a slice: JIT, tiering and the thread pool, as for the precompiled peer.
        var warm = DataMatrix.FromRowMajor(values.AsMemory(0, Math.Min(n, 8192) * d), d);
        for (int round = 0; round < 3; round++)
        {
            new KMeans(kmeansOptions).Fit(warm);
            var warmModel = new GaussianMixture(options with { InitializationCount = 1 }).Fit(warm);
            warmModel.LogDensity(warm);
            warmModel.PredictProbabilities(warm);
            warmModel.Predict(warm);
            Thread.Sleep(200);
        }

        QuietParent.Wait(TimeSpan.FromSeconds(10));
        var watch = Stopwatch.StartNew();
        var kmeans = new KMeans(kmeansOptions).Fit(data);
        double secondsKMeans = Lap(watch);
        var model = new GaussianMixture(options).Fit(data);
        double secondsFit = Lap(watch);
        model.LogDensity(data);
        double secondsScoreSamples = Lap(watch);
        model.PredictProbabilities(data);
        double secondsPredictProba = Lap(watch);
        model.Predict(data);
        double secondsPredict = Lap(watch);

        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Console.WriteLine(
            $"{{\"impl\": \"MixtureModels\", \"cov\": {JsonSerializer.Serialize(cov)}, \"n\": {n}, \"d\": {d}, \"k\": {k}, \"inits\": {inits}, " +
            $"\"seconds_fit\": {Num(secondsFit)}, \"iters\": {model.IterationCount}, \"mean_loglik\": {Num(model.MeanLogLikelihood(data))}, " +
            $"\"seconds_kmeans\": {Num(secondsKMeans)}, \"kmeans_inertia\": {Num(kmeans.Inertia)}, " +
            $"\"seconds_score_samples\": {Num(secondsScoreSamples)}, \"seconds_predict_proba\": {Num(secondsPredictProba)}, \"seconds_predict\": {Num(secondsPredict)}}}");
        return 0;
    }

    private static double Lap(Stopwatch watch)
    {
        double seconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        return seconds;
    }
}
