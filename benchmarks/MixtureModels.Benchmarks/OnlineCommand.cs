using System.Diagnostics;
using System.Globalization;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `online [--rows N] [--columns D] [--components K] [--covariance full|diag] [--block B] [--alpha A] [--offset T0] [--epochs E] [--spread S] [--seed S]`:
/// online (stepwise) EM against the batch fit on generated data (K Gaussian clusters with correlated covariances). It
/// fits the batch optimum (k-means start, tolerance 1e-6), then online EM over blocks of B rows (views of the same
/// memory, no copy) for E passes, and prints both mean log-likelihoods on the whole data, their gap, and the times.
/// </summary>
internal static class OnlineCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        int rows = arguments.Int("--rows", 1_000_000), columns = arguments.Int("--columns", 16), k = arguments.Int("--components", 8);
        var covariance = arguments.String("--covariance") == "diag" ? CovarianceType.Diagonal : CovarianceType.Full;
        int block = arguments.Int("--block", 20_000);
        double alpha = arguments.Double("--alpha", 0.6), offset = arguments.Double("--offset", 2);
        int epochs = arguments.Int("--epochs", 2);
        double spread = arguments.Double("--spread", 6);
        int seed = arguments.Int("--seed", 1);
        arguments.RejectUnknown();

        var values = Generate(rows, columns, k, spread, seed);
        var data = DataMatrix.FromRowMajor(values, columns);
        var blocks = new List<DataMatrix>();
        for (int start = 0; start < rows; start += block)
        {
            int count = Math.Min(block, rows - start);
            blocks.Add(DataMatrix.FromRowMajor(values.AsMemory(start * columns, count * columns), columns));
        }

        var options = new GaussianMixtureOptions { ComponentCount = k, CovarianceType = covariance, Seed = seed };
        var watch = Stopwatch.StartNew();
        var batch = new GaussianMixture(options with { Tolerance = 1e-6, MaxIterations = 1000 }).Fit(data);
        double batchSeconds = watch.Elapsed.TotalSeconds;
        double batchMean = batch.MeanLogLikelihood(data);

        watch.Restart();
        var online = new OnlineGaussianMixture(options, new OnlineMixtureOptions { StepSizeExponent = alpha, StepSizeOffset = offset }).Fit(blocks, epochs);
        double onlineSeconds = watch.Elapsed.TotalSeconds;
        double onlineMean = online.MeanLogLikelihood(data);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"N = {rows}, D = {columns}, K = {k}, {covariance}, spread {spread}, blocks of {block}, α = {alpha}, t0 = {offset}, {epochs} passes"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch EM : mean log-likelihood {batchMean:F6} ({batch.IterationCount} iterations, converged {batch.Converged}) in {batchSeconds:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"online EM: mean log-likelihood {onlineMean:F6} ({online.IterationCount} blocks) in {onlineSeconds:F1} s, {rows * (double)epochs / onlineSeconds:F0} rows/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gap (batch − online): {batchMean - onlineMean:E3}"));
        return 0;
    }

    /// <summary>N × D rows, row-major: K clusters, means uniform in [−spread, spread]^D (default 6; smaller overlaps more), each with its own correlated covariance.</summary>
    private static double[] Generate(int rows, int columns, int k, double spread, int seed)
    {
        var random = new Random(seed);
        var means = new double[k][];
        var factors = new double[k][];
        for (int c = 0; c < k; c++)
        {
            means[c] = [.. Enumerable.Range(0, columns).Select(_ => ((random.NextDouble() * 2) - 1) * spread)];

            // A lower-triangular factor L with Σ = L·Lᵀ: diagonal in [0.5, 1.5], off-diagonal in [−0.3, 0.3].
            factors[c] = new double[columns * columns];
            for (int i = 0; i < columns; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    factors[c][(i * columns) + j] = (random.NextDouble() * 0.6) - 0.3;
                }

                factors[c][(i * columns) + i] = 0.5 + random.NextDouble();
            }
        }

        var values = new double[rows * columns];
        var z = new double[columns];
        for (int n = 0; n < rows; n++)
        {
            int c = random.Next(k);
            for (int i = 0; i < columns; i++)
            {
                z[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }

            for (int i = 0; i < columns; i++)
            {
                double v = means[c][i];
                for (int j = 0; j <= i; j++)
                {
                    v += factors[c][(i * columns) + j] * z[j];
                }

                values[(n * columns) + i] = v;
            }
        }

        return values;
    }
}
