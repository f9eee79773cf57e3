using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The engine's merge of the chunks' statistics, which runs component by component in parallel once the chunks'
/// statistics are large (here 36 chunks × 4 components × 8.8 KB): the merged statistics are bit-identical for any
/// degree of parallelism and equal a naive double loop over the rows (responsibilities by brute-force log-sum-exp).
/// </summary>
public sealed class EmEngineMergeTests
{
    private const int D = 32;
    private const int K = 4;
    private const int N = 9000;

    [Fact]
    public void Merged_statistics_are_bit_identical_for_any_degree_of_parallelism_and_match_a_naive_loop()
    {
        var random = new Random(11);
        var components = Components(random);
        var weights = new[] { 0.1, 0.2, 0.3, 0.4 };
        var rows = new double[N * D];
        for (int n = 0; n < N; n++)
        {
            var mean = components[n % K].Mean;
            for (int j = 0; j < D; j++)
            {
                rows[(n * D) + j] = mean[j] + ((2 * random.NextDouble()) - 1) * 2;
            }
        }

        var data = DataMatrix.FromRowMajor(rows, D);
        var results = new[] { 1, 2, -1 }.Select(threads => Statistics(data, weights, components, threads)).ToArray();
        results[0].Plan.ChunkCount.Should().BeGreaterThan(8, "the merge should run in parallel");
        foreach (var other in results.Skip(1))
        {
            other.Mean.Should().Be(results[0].Mean);
            for (int k = 0; k < K; k++)
            {
                other.Statistics[k].TotalWeight.Should().Be(results[0].Statistics[k].TotalWeight);
                other.Statistics[k].WeightedSum.ToArray().Should().Equal(results[0].Statistics[k].WeightedSum.ToArray());
                other.Statistics[k].Scatter.ToArray().Should().Equal(results[0].Statistics[k].Scatter.ToArray());
            }
        }

        // Naive: r_nk by log-sum-exp of log π_k + log N(x | θ_k), then Σ r, Σ r(x − μ_k) and Σ r(x − μ_k)(x − μ_k)ᵀ.
        var total = new double[K];
        var sum = new double[K, D];
        var scatter = new double[K, D, D];
        var log = new double[K];
        double logLikelihood = 0;
        for (int n = 0; n < N; n++)
        {
            var x = rows.AsSpan(n * D, D);
            double max = double.NegativeInfinity;
            for (int k = 0; k < K; k++)
            {
                log[k] = Math.Log(weights[k]) + components[k].LogDensity(x);
                max = Math.Max(max, log[k]);
            }

            double z = 0;
            for (int k = 0; k < K; k++)
            {
                z += Math.Exp(log[k] - max);
            }

            logLikelihood += max + Math.Log(z);
            for (int k = 0; k < K; k++)
            {
                double r = Math.Exp(log[k] - max) / z;
                var mean = components[k].Mean;
                total[k] += r;
                for (int i = 0; i < D; i++)
                {
                    sum[k, i] += r * (x[i] - mean[i]);
                    for (int j = i; j < D; j++)
                    {
                        scatter[k, i, j] += r * (x[i] - mean[i]) * (x[j] - mean[j]);
                    }
                }
            }
        }

        results[0].Mean.Should().BeApproximately(logLikelihood / N, 1e-9 * Math.Abs(logLikelihood / N));
        for (int k = 0; k < K; k++)
        {
            var merged = results[0].Statistics[k];
            merged.TotalWeight.Should().BeApproximately(total[k], 1e-9 * N, $"W of component {k}");
            double scale = Math.Max(1, total[k]) * 4;
            for (int i = 0; i < D; i++)
            {
                merged.WeightedSum[i].Should().BeApproximately(sum[k, i], 1e-9 * scale, $"s[{i}] of component {k}");
                for (int j = i; j < D; j++)
                {
                    merged.Scatter[(i * D) + j].Should().BeApproximately(scatter[k, i, j], 1e-9 * scale * 4, $"scatter[{i}, {j}] of component {k}");
                }
            }
        }
    }

    private static (double Mean, FullScatterStatistics[] Statistics, BlockPlan Plan) Statistics(DataMatrix data, double[] weights, GaussianComponent[] components, int threads)
    {
        var family = GaussianFamily.Create(CovarianceType.Full, D, 1e-6);
        var engine = new EmEngine<GaussianComponent, GaussianStatistics>(family, MaximumLikelihoodWeights.Instance, data, null, K, new EmSettings(0, 1, threads));
        var (mean, statistics) = engine.Statistics(weights, components, CancellationToken.None);

        // The engine's accumulators are reused by its next call: copy what the test compares.
        var copies = statistics.Select(s => (FullScatterStatistics)s).Select(s => FullScatterStatistics.FromValues(s.TotalWeight, s.Reference, s.WeightedSum, s.Scatter)).ToArray();
        return (mean, copies, engine.Plan);
    }

    private static GaussianComponent[] Components(Random random)
    {
        var result = new GaussianComponent[K];
        for (int k = 0; k < K; k++)
        {
            var mean = Enumerable.Range(0, D).Select(_ => (random.NextDouble() * 6) - 3).ToArray();
            var a = Matrix<double>.Build.Dense(D, D, (_, _) => (2 * random.NextDouble()) - 1);
            var covariance = (a * a.Transpose() / D) + Matrix<double>.Build.DenseDiagonal(D, D, _ => 0.5 + random.NextDouble());
            result[k] = FullGaussian.WithMeanCovariance(mean, covariance);
        }

        return result;
    }
}
