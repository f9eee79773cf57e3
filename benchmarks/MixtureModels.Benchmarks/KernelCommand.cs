using System.Diagnostics;
using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `kernel --rows N --columns D --components K --covariance full|diag [--repeats R] [--cached] [--prefetch ROWS] [--ahead]`: the batched block
/// kernel alone on one thread, as one worker of the EM engine runs it (blocks of <c>BlockPlan.BlockRows</c> rows):
/// the fused E+M pass (<c>Accumulate</c>) and the E-step alone (<c>JointLogDensity</c>), in ms per pass over N rows
/// (best of R). With --cached, the same 4 096 rows are passed over repeatedly (N/4 096 times), so that memory plays
/// no part; with --prefetch, the first ROWS rows of the next block are prefetched before each block, as the engine
/// does; with --ahead, a kernel that can fetches the next block while it computes one (as the engine calls it). The data and model are <see cref="BenchmarkData"/>'s.
/// </summary>
internal static class KernelCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        int n = arguments.Int("--rows", 200_000), d = arguments.Int("--columns", 16), k = arguments.Int("--components", 8), repeats = arguments.Int("--repeats", 10);
        string? covariance = arguments.String("--covariance");
        bool cached = arguments.Flag("--cached");
        int prefetchRows = arguments.Int("--prefetch", 0);
        bool ahead = arguments.Flag("--ahead");
        arguments.RejectUnknown();
        var type = covariance is null ? CovarianceType.Full : PeerProblem.ParseCovariance(covariance);

        var set = BenchmarkData.Create(n, d, k);
        var model = set.Model(type);
        var family = GaussianFamily.Create(type, d, 1e-6);
        var kernel = ((IBlockKernelSource<GaussianComponent, GaussianStatistics>)family).CreateBlockKernel(k)
            ?? throw new InvalidOperationException("No block kernel on this machine.");
        var logWeights = model.Weights.Select(w => Math.Log(w)).ToArray();
        if (!kernel.Prepare(model.Components, logWeights))
        {
            throw new InvalidOperationException("Prepare failed.");
        }

        var statistics = model.Components.Select(c => family.CreateStatistics(c)).ToArray();
        var plan = new BlockPlan(n, d);
        int b = plan.BlockRows;
        var logLikelihood = new double[b];
        var logProb = new double[k * b];
        int span = cached ? Math.Min(4096, n) : n;
        int passes = cached ? Math.Max(1, n / span) : 1;
        var values = set.Values;

        double Fused()
        {
            var watch = Stopwatch.StartNew();
            for (int pass = 0; pass < passes; pass++)
            {
                for (int start = 0; start < span; start += b)
                {
                    int count = Math.Min(b, span - start);
                    if (prefetchRows > 0 && start + count < span)
                    {
                        BlockVectorMath.Prefetch(values.AsSpan((start + count) * d, Math.Min(prefetchRows, span - start - count) * d));
                    }

                    if (ahead && kernel is IFetchAheadKernel<GaussianStatistics> fetching)
                    {
                        // As the engine: the next block is fetched while this one is computed.
                        var next = start + count < span ? values.AsSpan((start + count) * d, Math.Min(b, span - start - count) * d) : default;
                        fetching.Accumulate(values.AsSpan(start * d, count * d), count, default, logLikelihood, statistics, next);
                    }
                    else
                    {
                        kernel.Accumulate(values.AsSpan(start * d, count * d), count, default, logLikelihood, statistics);
                    }
                }
            }

            return watch.Elapsed.TotalMilliseconds * n / ((double)passes * span);
        }

        double EStep()
        {
            var watch = Stopwatch.StartNew();
            for (int pass = 0; pass < passes; pass++)
            {
                for (int start = 0; start < span; start += b)
                {
                    int count = Math.Min(b, span - start);
                    kernel.JointLogDensity(values.AsSpan(start * d, count * d), count, logProb, b);
                }
            }

            return watch.Elapsed.TotalMilliseconds * n / ((double)passes * span);
        }

        double bestFused = double.MaxValue, bestE = double.MaxValue;
        for (int r = 0; r < repeats + 2; r++)
        {
            double f = Fused(), e = EStep();
            if (r >= 2)
            {
                bestFused = Math.Min(bestFused, f);
                bestE = Math.Min(bestE, e);
            }
        }

        double check = statistics.Sum(s => s.TotalWeight);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{type} N={n} D={d} K={k} block={b}{(cached ? " cached" : "")}: fused {bestFused:F3} ms, E-step alone {bestE:F3} ms, rest (normalise + statistics) {bestFused - bestE:F3} ms per pass (weight {check:G6})"));
        return 0;
    }
}
