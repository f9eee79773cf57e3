using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Benchmarks;

/// <summary>
/// Deterministic synthetic data shared by the suites: N rows from K well-separated Gaussians in D dimensions, and a
/// fixed starting point in the style of gen_data.py (uniform weights, K data rows as means, mean variance × I).
/// </summary>
internal sealed class BenchmarkData
{
    private BenchmarkData(DataMatrix data, double[] values, double[] weights, double[][] means, double variance)
    {
        Data = data;
        Values = values;
        Weights = weights;
        Means = means;
        Variance = variance;
    }

    public DataMatrix Data { get; }

    /// <summary>The rows, N × D row-major.</summary>
    public double[] Values { get; }

    public double[] Weights { get; }

    public double[][] Means { get; }

    public double Variance { get; }

    public static BenchmarkData Create(int n, int d, int k, int seed = 0)
    {
        var random = new Random(seed);
        var centres = new double[k][];
        var scales = new double[k][];
        for (int c = 0; c < k; c++)
        {
            centres[c] = [.. Enumerable.Range(0, d).Select(_ => 4 * Normal(random))];
            scales[c] = [.. Enumerable.Range(0, d * d).Select(_ => Normal(random) / Math.Sqrt(d))];
        }

        var values = new double[n * d];
        var z = new double[d];
        for (int row = 0; row < n; row++)
        {
            int c = random.Next(k);
            for (int j = 0; j < d; j++)
            {
                z[j] = Normal(random);
            }

            for (int i = 0; i < d; i++)
            {
                double v = centres[c][i] + (Math.Sqrt(0.5) * Normal(random));
                for (int j = 0; j < d; j++)
                {
                    v += scales[c][(i * d) + j] * z[j];
                }

                values[(row * d) + i] = v;
            }
        }

        double variance = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0, square = 0;
            for (int row = 0; row < n; row++)
            {
                double v = values[(row * d) + j];
                mean += v;
                square += v * v;
            }

            mean /= n;
            variance += (square / n) - (mean * mean);
        }

        variance /= d;
        var means = new double[k][];
        for (int c = 0; c < k; c++)
        {
            int row = (int)((long)c * n / k) + random.Next(Math.Max(1, n / k));
            means[c] = values.AsSpan(row * d, d).ToArray();
        }

        var weights = Enumerable.Repeat(1.0 / k, k).ToArray();
        return new BenchmarkData(DataMatrix.FromRowMajor(values, d), values, weights, means, variance);
    }

    /// <summary>Options that start EM from the fixed start and run exactly <paramref name="iterations"/> iterations.</summary>
    public GaussianMixtureOptions Options(CovarianceType type, int iterations, int threads = -1)
    {
        int k = Weights.Length, d = Means[0].Length;
        var precision = Matrix<double>.Build.DenseIdentity(d) * (1.0 / Variance);
        return new GaussianMixtureOptions
        {
            ComponentCount = k,
            CovarianceType = type,
            Tolerance = 0,
            MaxIterations = iterations,
            CovarianceRegularization = 1e-6,
            InitialWeights = Weights,
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays(Means),
            InitialPrecisions = type == CovarianceType.Tied ? [precision] : [.. Enumerable.Repeat(precision, k)],
            MaxDegreeOfParallelism = threads,
        };
    }

    /// <summary>A model a couple of EM iterations away from the start, so that covariances are not all alike.</summary>
    public GaussianMixtureModel Model(CovarianceType type) => new GaussianMixture(Options(type, 2)).Fit(Data);

    private static double Normal(Random random)
    {
        double u = 1.0 - random.NextDouble();
        double v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
