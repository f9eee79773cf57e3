using System.Diagnostics;
using System.Globalization;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `tolerance [N D K]`: a quick table of time to tolerance, iterations and the mean log-likelihood reached by EM,
/// L-BFGS and EM-then-L-BFGS from the same start (best of three runs each), for full and diagonal covariance.
/// </summary>
internal static class ToleranceCommand
{
    public static int Run(string[] args)
    {
        int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        int d = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        int k = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var set = BenchmarkData.Create(n, d, k);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = {n}, D = {d}, K = {k}; best of 3 runs"));
        Console.WriteLine($"{"covariance",-10} {"algorithm",-34} {"seconds",9} {"iterations",10} {"mean log-likelihood",22}");
        var algorithms = new[] { FittingAlgorithm.ExpectationMaximization, FittingAlgorithm.Lbfgs, FittingAlgorithm.ExpectationMaximizationThenLbfgs };
        foreach (var covariance in new[] { CovarianceType.Full, CovarianceType.Diagonal })
        {
            foreach (var algorithm in algorithms)
            {
                TimeToToleranceBenchmarks.Fit(set, covariance, algorithm); // warm-up: tier-1 code before timing
            }

            // Interleave the runs so that machine noise does not favour whichever algorithm runs first.
            var best = new double[algorithms.Length];
            var models = new GaussianMixtureModel[algorithms.Length];
            Array.Fill(best, double.PositiveInfinity);
            for (int run = 0; run < 3; run++)
            {
                for (int a = 0; a < algorithms.Length; a++)
                {
                    var watch = Stopwatch.StartNew();
                    models[a] = TimeToToleranceBenchmarks.Fit(set, covariance, algorithms[a]);
                    best[a] = Math.Min(best[a], watch.Elapsed.TotalSeconds);
                }
            }

            for (int a = 0; a < algorithms.Length; a++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{covariance,-10} {algorithms[a],-34} {best[a],9:F4} {models[a].IterationCount,10} {models[a].MeanLogLikelihood(set.Data),22:R}"));
            }
        }

        return 0;
    }
}
