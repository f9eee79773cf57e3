using MixtureModels.Components.Bernoulli;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>The generic EM engine driven by the Bernoulli family, against a brute-force EM written in the test.</summary>
public sealed class BernoulliEmTests
{
    private const int D = 6;

    private static readonly double[][] TrueProbabilities =
    {
        new[] { 0.9, 0.8, 0.1, 0.2, 0.5, 0.05 },
        new[] { 0.1, 0.3, 0.9, 0.7, 0.5, 0.05 },
        new[] { 0.5, 0.9, 0.9, 0.1, 0.1, 0.05 },
    };

    private static readonly double[] StartWeights = { 0.2, 0.3, 0.5 };

    private static readonly double[][] StartProbabilities =
    {
        new[] { 0.6, 0.5, 0.4, 0.4, 0.5, 0.3 },
        new[] { 0.4, 0.5, 0.6, 0.6, 0.5, 0.2 },
        new[] { 0.5, 0.6, 0.5, 0.4, 0.3, 0.1 },
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lower_bound_never_decreases_and_starts_at_the_brute_force_log_likelihood(bool weighted)
    {
        var (x, sampleWeights) = Data(600, weighted);
        var engine = new EmEngine<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(D), MaximumLikelihoodWeights.Instance, DataMatrix.FromRowMajor(x, D), sampleWeights, 3, new EmSettings(0, 25, 1));

        var result = engine.Run((double[])StartWeights.Clone(), Start(), double.NegativeInfinity, 0, null, CancellationToken.None);

        result.LowerBoundHistory.Should().HaveCount(25);
        result.LowerBoundHistory[0].ShouldBeClose(MeanLogLikelihood(x, sampleWeights, StartWeights, StartProbabilities), 1e-12);
        for (int i = 1; i < result.LowerBoundHistory.Length; i++)
        {
            result.LowerBoundHistory[i].Should().BeGreaterThanOrEqualTo(result.LowerBoundHistory[i - 1] - 1e-12, $"iteration {i + 1}");
        }

        result.LowerBoundHistory[^1].Should().BeGreaterThan(result.LowerBoundHistory[0] + 0.05);
        double final = MeanLogLikelihood(x, sampleWeights, result.Weights, result.Components.Select(c => c.Probabilities.ToArray()).ToArray());
        final.Should().BeGreaterThanOrEqualTo(result.LowerBoundHistory[^1] - 1e-12);
        result.Components.Should().AllSatisfy(c => c.Probabilities.ToArray().Should().OnlyContain(p => p >= 1e-10 && p <= 1 - 1e-10));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_iteration_equals_the_brute_force_em_update(bool weighted)
    {
        var (x, sampleWeights) = Data(300, weighted);
        int n = x.Length / D;
        var engine = new EmEngine<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(D), MaximumLikelihoodWeights.Instance, DataMatrix.FromRowMajor(x, D), sampleWeights, 3, new EmSettings(0, 1, -1));

        var result = engine.Run((double[])StartWeights.Clone(), Start(), double.NegativeInfinity, 0, null, CancellationToken.None);

        // Brute force: r_nk ∝ π_k Π_d φ^x (1 − φ)^(1 − x), then weighted means of the rows.
        var rk = new double[3];
        var nk = new double[3];
        var counts = new double[3, D];
        double total = 0;
        for (int row = 0; row < n; row++)
        {
            double w = sampleWeights?[row] ?? 1.0;
            total += w;
            var xr = x.AsSpan(row * D, D);
            double sum = 0;
            for (int k = 0; k < 3; k++)
            {
                rk[k] = StartWeights[k] * Math.Exp(BernoulliTestData.NaiveLogDensity(xr, StartProbabilities[k]));
                sum += rk[k];
            }

            for (int k = 0; k < 3; k++)
            {
                double r = w * rk[k] / sum;
                nk[k] += r;
                for (int i = 0; i < D; i++)
                {
                    counts[k, i] += r * xr[i];
                }
            }
        }

        for (int k = 0; k < 3; k++)
        {
            result.Weights[k].ShouldBeClose(nk[k] / total, 1e-12, $"weight {k}");
            for (int i = 0; i < D; i++)
            {
                result.Components[k].Probabilities[i].ShouldBeClose(counts[k, i] / nk[k], 1e-12, $"component {k}, column {i}");
            }
        }
    }

    private static BernoulliComponent[] Start() => StartProbabilities.Select(p => BernoulliComponent.WithProbabilities(p)).ToArray();

    private static (double[] Rows, double[]? Weights) Data(int rows, bool weighted)
    {
        var random = new Random(2024);
        var x = new double[rows * D];
        for (int n = 0; n < rows; n++)
        {
            var phi = TrueProbabilities[n % 3];
            for (int i = 0; i < D; i++)
            {
                x[(n * D) + i] = random.NextDouble() < phi[i] ? 1 : 0;
            }
        }

        var weights = weighted ? Enumerable.Range(0, rows).Select(_ => 0.25 + (2 * random.NextDouble())).ToArray() : null;
        return (x, weights);
    }

    /// <summary>(1/Σw) Σₙ wₙ log Σ_k π_k Π_d φ_kd^x (1 − φ_kd)^(1 − x), with plain sums of densities.</summary>
    private static double MeanLogLikelihood(double[] x, double[]? weights, IReadOnlyList<double> pi, IReadOnlyList<double[]> phi)
    {
        int n = x.Length / D;
        double sum = 0, total = 0;
        for (int row = 0; row < n; row++)
        {
            double p = 0;
            for (int k = 0; k < pi.Count; k++)
            {
                p += pi[k] * Math.Exp(BernoulliTestData.NaiveLogDensity(x.AsSpan(row * D, D), phi[k]));
            }

            double w = weights?[row] ?? 1.0;
            sum += w * Math.Log(p);
            total += w;
        }

        return sum / total;
    }
}
