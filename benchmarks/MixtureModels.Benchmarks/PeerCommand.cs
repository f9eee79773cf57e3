using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;

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
        string? prefix = null, cov = null;
        int iterations = 0, threads = -1;
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": prefix = Next(); break;
                case "--covariance": cov = Next(); break;
                case "--iterations": iterations = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument {args[i]}.");
            }
        }

        if (prefix is null || cov is null || iterations < 1)
        {
            Console.Error.WriteLine("usage: peer --data PREFIX --covariance full|diag|spherical|tied --iterations N [--threads T]");
            return 2;
        }

        var type = cov switch
        {
            "full" => CovarianceType.Full,
            "diag" => CovarianceType.Diagonal,
            "spherical" => CovarianceType.Spherical,
            "tied" => CovarianceType.Tied,
            _ => throw new ArgumentException($"--covariance {cov}: use full, diag, spherical or tied."),
        };

        var (xShape, xValues) = NpyReader.Read(prefix + ".x.npy");
        var (_, weights) = NpyReader.Read(prefix + ".weights.npy");
        var (meanShape, meanValues) = NpyReader.Read(prefix + ".means.npy");
        var (covShape, covValues) = NpyReader.Read(prefix + ".covariances.npy");
        int n = xShape[0], d = xShape[1], k = meanShape[0];
        if (meanShape[1] != d || covShape[0] != k || covShape[1] != d || covShape[2] != d || weights.Length != k)
        {
            throw new InvalidDataException("The shapes of x, weights, means and covariances disagree.");
        }

        var data = DataMatrix.FromRowMajor(xValues, d);
        var means = Matrix<double>.Build.Dense(k, d, (r, c) => meanValues[(r * d) + c]);
        Matrix<double> Covariance(int c) => Matrix<double>.Build.Dense(d, d, (i, j) => covValues[(c * d * d) + (i * d) + j]);
        List<Matrix<double>> precisions = type switch
        {
            CovarianceType.Full => [.. Enumerable.Range(0, k).Select(c => Covariance(c).Inverse())],
            CovarianceType.Tied => [Covariance(0).Inverse()],
            CovarianceType.Diagonal => [.. Enumerable.Range(0, k).Select(c => Matrix<double>.Build.DenseOfDiagonalVector(Covariance(c).Diagonal().Map(v => 1.0 / v)))],
            _ => [.. Enumerable.Range(0, k).Select(c => Matrix<double>.Build.DenseIdentity(d) * (1.0 / Covariance(c)[0, 0]))],
        };

        var options = new GaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = type,
            Tolerance = 0,
            MaxIterations = iterations,
            CovarianceRegularization = 1e-6,
            InitialWeights = weights,
            InitialMeans = means,
            InitialPrecisions = precisions,
            MaxDegreeOfParallelism = threads,
        };
        // Warm-up on a slice (JIT, tiering, thread pool) so that the timed Fit measures steady-state EM, as for the
        // precompiled peers. Not timed.
        // Enough calls for every hot method to be promoted to optimised tier-1 code, then a pause for the background
        // compiler to install it.
        int warmRows = Math.Min(n, Math.Max(k, 16384));
        var warmData = DataMatrix.FromRowMajor(xValues.AsMemory(0, warmRows * d), d);
        for (int round = 0; round < 3; round++)
        {
            new GaussianMixture(options with { MaxIterations = 3 }).Fit(warmData);
            Thread.Sleep(200);
        }

        var mixture = new GaussianMixture(options);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var model = mixture.Fit(data);
        watch.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        using (var process = Process.GetCurrentProcess())
        {
            // Memory goes to stderr so that the JSON line keeps exactly sk_fit.py's fields.
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
