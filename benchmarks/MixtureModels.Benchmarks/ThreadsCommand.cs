using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `threads --data PREFIX --covariance full|diag|spherical|tied --iterations N [--pairs P]`: the 1 → 2 thread speed-up
/// of a whole fit (as `peer` times it), from P pairs of fits alternated in one process so that both thread counts
/// see the same machine. Between the fits of a pair it also measures the machine's own ceiling: the speed-up of a
/// register-only Vector FMA loop, which no memory, synchronisation or serial code limits. On a VM whose two vCPUs
/// share a physical core, or whose host steals time, that ceiling is well below 2.
/// </summary>
internal static class ThreadsCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        string? prefix = arguments.String("--data"), cov = arguments.String("--covariance");
        int iterations = arguments.Int("--iterations", 0), pairs = arguments.Int("--pairs", 8);
        arguments.RejectUnknown();

        if (prefix is null || cov is null || iterations < 1 || pairs < 1)
        {
            Console.Error.WriteLine("usage: threads --data PREFIX --covariance full|diag|spherical|tied --iterations N [--pairs P]");
            return 2;
        }

        var problem = PeerProblem.Load(prefix, PeerProblem.ParseCovariance(cov), iterations);
        problem.WarmUp(1);
        problem.WarmUp(2);
        FmaLoop(1 << 20);

        var one = new double[pairs];
        var two = new double[pairs];
        var ceiling = new double[pairs];
        Console.WriteLine("pair  1 thread s/iter  2 threads s/iter  speed-up  FMA-loop ceiling");
        for (int p = 0; p < pairs; p++)
        {
            // Alternate the order, so that neither thread count always runs first.
            if (p % 2 == 0)
            {
                one[p] = SecondsPerIteration(problem, 1, iterations);
                ceiling[p] = FmaCeiling();
                two[p] = SecondsPerIteration(problem, 2, iterations);
            }
            else
            {
                two[p] = SecondsPerIteration(problem, 2, iterations);
                ceiling[p] = FmaCeiling();
                one[p] = SecondsPerIteration(problem, 1, iterations);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p + 1,4}  {one[p],15:F5}  {two[p],16:F5}  {one[p] / two[p],8:F2}  {ceiling[p],16:F2}"));
        }

        var ratios = one.Zip(two, (a, b) => a / b).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median speed-up {Median(ratios):F2} (best 1 thread {one.Min():F5} s/iter, best 2 threads {two.Min():F5} s/iter, best/best {one.Min() / two.Min():F2}); median FMA-loop ceiling {Median(ceiling):F2}"));
        return 0;
    }

    private static double SecondsPerIteration(PeerProblem problem, int threads, int iterations)
    {
        var mixture = new GaussianMixture(problem.Options with { MaxDegreeOfParallelism = threads });
        var watch = Stopwatch.StartNew();
        var model = mixture.Fit(problem.Data);
        return watch.Elapsed.TotalSeconds / model.IterationCount;
    }

    /// <summary>Throughput of the FMA loop on two threads at once over its throughput on one.</summary>
    private static double FmaCeiling()
    {
        const long Rounds = 1 << 24;
        var watch = Stopwatch.StartNew();
        FmaLoop(Rounds);
        double single = watch.Elapsed.TotalSeconds;

        using var start = new Barrier(2);
        var threads = new Thread[2];
        var seconds = new double[2];
        for (int t = 0; t < 2; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                var w = Stopwatch.StartNew();
                FmaLoop(Rounds);
                seconds[index] = w.Elapsed.TotalSeconds;
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        return 2 * single / seconds.Max();
    }

    /// <summary>Eight independent chains of 512-bit multiply-adds: bound by the FMA units' throughput, not by memory.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static double FmaLoop(long rounds)
    {
        var m = Vector512.Create(0.999999);
        var c = Vector512.Create(1e-9);
        var a0 = Vector512.Create(1.0);
        var a1 = Vector512.Create(1.1);
        var a2 = Vector512.Create(1.2);
        var a3 = Vector512.Create(1.3);
        var a4 = Vector512.Create(1.4);
        var a5 = Vector512.Create(1.5);
        var a6 = Vector512.Create(1.6);
        var a7 = Vector512.Create(1.7);
        for (long r = 0; r < rounds; r++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
        }

        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
