using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `peer --data PREFIX --covariance full|diag|spherical|tied --iterations N [--threads T]`: the MixtureModels side of
/// /work/shared/peers/compare.sh. Reads PREFIX.{x,weights,means,covariances}.npy, runs exactly N EM iterations from
/// that start with reg_covar 1e-6, times only Fit, and prints one JSON line with the fields of sk_fit.py.
/// </summary>
internal static class PeerCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        string? prefix = arguments.String("--data"), cov = arguments.String("--covariance");
        int iterations = arguments.Int("--iterations", 0), threads = arguments.Int("--threads", -1);
        arguments.RejectUnknown();

        if (prefix is null || cov is null || iterations < 1)
        {
            Console.Error.WriteLine("usage: peer --data PREFIX --covariance full|diag|spherical|tied --iterations N [--threads T]");
            return 2;
        }

        var problem = PeerProblem.Load(prefix, PeerProblem.ParseCovariance(cov), iterations);
        var data = problem.Data;
        int n = data.Rows, d = data.Columns, k = problem.Options.ComponentCount;
        var options = problem.Options with { MaxDegreeOfParallelism = threads };
        problem.WarmUp(threads);

        var mixture = new GaussianMixture(options);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var model = mixture.Fit(data);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using (var process = Process.GetCurrentProcess())
        {
            // Memory goes to stderr so that the JSON line keeps exactly sk_fit.py's fields.
            // The process's processor time during Fit (all threads): on a shared machine it moves less than the wall time.
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"processor time during Fit {cpu.TotalSeconds:F4} s ({cpu.TotalSeconds / model.IterationCount:F5} s per iteration), wall {watch.Elapsed.TotalSeconds:F4} s"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: data {(long)n * d * sizeof(double) / 1048576.0:F1} MB, allocated during Fit {allocated / 1048576.0:F1} MB, peak working set {process.PeakWorkingSet64 / 1048576.0:F1} MB"));
        }
        double meanLogLikelihood = model.MeanLogLikelihood(data);
        double seconds = watch.Elapsed.TotalSeconds;
        int iters = model.IterationCount;

        // JSON by hand so that the log-likelihood keeps its round-trip ("R") precision.
        string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        Console.WriteLine(
            $"{{\"impl\": \"MixtureModels\", \"cov\": {JsonSerializer.Serialize(cov)}, \"n\": {n}, \"d\": {d}, \"k\": {k}, " +
            $"\"iters\": {iters}, \"seconds\": {Num(seconds)}, \"seconds_per_iter\": {Num(seconds / iters)}, " +
            $"\"mean_loglik\": {Num(meanLogLikelihood)}}}");
        return 0;
    }
}
