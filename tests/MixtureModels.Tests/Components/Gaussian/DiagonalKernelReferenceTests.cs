using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// The diagonal-covariance E-step and moments, batched (512-bit, where it exists) and per component (256-bit or scalar,
/// as the machine and DOTNET_EnableAVX2 allow), against naive loops: log N(x) = −½ Σ_d (log 2π + log σ²_d + (x_d − μ_d)²/σ²_d),
/// responsibilities by exp(l − log Σ exp l), and Σₙ rₙ(x_nd − a_d), Σₙ rₙ(x_nd − a_d)² column by column. The sizes leave
/// partial vectors and tiles of rows and columns.
/// </summary>
public sealed class DiagonalKernelReferenceTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int d in new[] { 1, 2, 3, 7, 16, 17, 33 })
        {
            foreach (int count in new[] { 1, 13, 37, 255, 301 })
            {
                data.Add(d, count, d % 2 == 0 ? 5 : 4);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Batched_kernel_equals_naive_loops(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var (components, variances, logWeights, rows) = Problem(d, count, k);
        CheckBatchedKernels(components, variances, logWeights, rows, count, spherical: false);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Batched_spherical_kernel_equals_naive_loops(int d, int count, int k)
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel();
            return;
        }

        var (diagonal, _, logWeights, rows) = Problem(d, count, k);
        var random = new Random((d * 7) + count);
        var components = new SphericalGaussian[k];
        var variances = new double[k][];
        for (int c = 0; c < k; c++)
        {
            double variance = 0.3 + (2 * random.NextDouble());
            components[c] = SphericalGaussian.WithMeanVariance(diagonal[c].Mean, variance);
            variances[c] = Enumerable.Repeat(variance, d).ToArray();
        }

        CheckBatchedKernels(components, variances, logWeights, rows, count, spherical: true);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Per_component_path_equals_naive_loops(int d, int count, int k)
    {
        var (components, variances, logWeights, rows) = Problem(d, count, k);
        var expected = NaiveJointLogDensities(components, variances, logWeights, rows, count);
        var logProb = new double[k * count];
        for (int c = 0; c < k; c++)
        {
            components[c].LogDensity(rows, logProb.AsSpan(c * count, count));
            for (int n = 0; n < count; n++)
            {
                logProb[(c * count) + n] += logWeights[c];
                logProb[(c * count) + n].Should().BeApproximately(expected[c][n], 1e-12 * Math.Max(1, Math.Abs(expected[c][n])), $"log-density of row {n}, component {c}");
            }
        }

        var logLikelihood = new double[count];
        EStepKernel.Responsibilities(logProb, count, k, count, default, logLikelihood);
        var family = new DiagonalCovarianceFamily(d, 1e-6);
        var statistics = components.Select(c => (DiagonalScatterStatistics)family.CreateStatistics(c)).ToArray();
        for (int c = 0; c < k; c++)
        {
            statistics[c].Accumulate(rows, logProb.AsSpan(c * count, count));
        }

        CheckAgainstNaive(expected, rows, count, d, logLikelihood, statistics);
    }

    /// <summary>
    /// Every supported width's diagonal (or spherical) block kernel against the naive loops: joint log-densities into a
    /// destination with a stride past the rows, then the fused pass's log-likelihoods and moments.
    /// </summary>
    private static void CheckBatchedKernels(GaussianComponent[] components, double[][] variances, double[] logWeights, double[] rows, int count, bool spherical)
    {
        int k = components.Length, d = components[0].Dimension;
        var expected = NaiveJointLogDensities(components, variances, logWeights, rows, count);
        GaussianFamily family = spherical ? new SphericalCovarianceFamily(d, 1e-6) : new DiagonalCovarianceFamily(d, 1e-6);
        foreach (var kernel in GaussianBlockKernels.Diagonal(d, k, spherical))
        {
            kernel.Prepare(components, logWeights).Should().BeTrue();
            var densities = new double[k * (count + 1)];
            kernel.JointLogDensity(rows, count, densities, count + 1);
            for (int c = 0; c < k; c++)
            {
                for (int n = 0; n < count; n++)
                {
                    densities[(c * (count + 1)) + n].Should().BeApproximately(expected[c][n], 1e-12 * Math.Max(1, Math.Abs(expected[c][n])), $"log-density of row {n}, component {c}");
                }
            }

            var statistics = components.Select(c => (DiagonalScatterStatistics)family.CreateStatistics(c)).ToArray();
            var logLikelihood = new double[count];
            kernel.Accumulate(rows, count, default, logLikelihood, statistics.Cast<GaussianStatistics>().ToArray());
            CheckAgainstNaive(expected, rows, count, d, logLikelihood, statistics);
        }
    }

    private static (DiagonalGaussian[] Components, double[][] Variances, double[] LogWeights, double[] Rows) Problem(int d, int count, int k)
    {
        var random = new Random((d * 131) + (count * 17) + k);
        const double offset = 100; // far from the origin: the centring matters
        var components = new DiagonalGaussian[k];
        var variances = new double[k][];
        for (int c = 0; c < k; c++)
        {
            var mean = Enumerable.Range(0, d).Select(_ => offset + (2 * random.NextDouble()) - 1).ToArray();
            variances[c] = Enumerable.Range(0, d).Select(_ => 0.3 + (2 * random.NextDouble())).ToArray();
            components[c] = DiagonalGaussian.WithMeanVariances(mean, variances[c]);
        }

        var logWeights = Enumerable.Range(0, k).Select(_ => Math.Log(0.2 + random.NextDouble())).ToArray();
        var rows = Enumerable.Range(0, count * d).Select(_ => offset + (3 * ((2 * random.NextDouble()) - 1))).ToArray();
        return (components, variances, logWeights, rows);
    }

    private static double[][] NaiveJointLogDensities(GaussianComponent[] components, double[][] variances, double[] logWeights, double[] rows, int count)
    {
        int d = components[0].Dimension;
        var result = new double[components.Length][];
        for (int c = 0; c < components.Length; c++)
        {
            var mean = components[c].Mean;
            result[c] = new double[count];
            for (int n = 0; n < count; n++)
            {
                double sum = 0;
                for (int i = 0; i < d; i++)
                {
                    double diff = rows[(n * d) + i] - mean[i];
                    sum += Math.Log(2 * Math.PI) + Math.Log(variances[c][i]) + (diff * diff / variances[c][i]);
                }

                result[c][n] = logWeights[c] - (0.5 * sum);
            }
        }

        return result;
    }

    private static void CheckAgainstNaive(double[][] densities, double[] rows, int count, int d, double[] logLikelihood, DiagonalScatterStatistics[] statistics)
    {
        int k = densities.Length;
        for (int c = 0; c < k; c++)
        {
            var a = statistics[c].Reference;
            double weight = 0;
            var sum = new double[d];
            var square = new double[d];
            for (int n = 0; n < count; n++)
            {
                double max = Enumerable.Range(0, k).Max(j => densities[j][n]);
                double total = max + Math.Log(Enumerable.Range(0, k).Sum(j => Math.Exp(densities[j][n] - max)));
                if (c == 0)
                {
                    logLikelihood[n].Should().BeApproximately(total, 1e-12 * Math.Max(1, Math.Abs(total)), $"log-likelihood of row {n}");
                }

                double r = Math.Exp(densities[c][n] - total);
                weight += r;
                for (int i = 0; i < d; i++)
                {
                    double centred = rows[(n * d) + i] - a[i];
                    sum[i] += r * centred;
                    square[i] += r * centred * centred;
                }
            }

            double scale = Math.Max(1, weight) * 16;
            statistics[c].TotalWeight.Should().BeApproximately(weight, 1e-12 * Math.Max(1, weight), $"W of component {c}");
            for (int i = 0; i < d; i++)
            {
                statistics[c].WeightedSum[i].Should().BeApproximately(sum[i], 1e-12 * scale, $"s[{i}] of component {c}");
                statistics[c].Scatter[i].Should().BeApproximately(square[i], 1e-12 * scale, $"squares[{i}] of component {c}");
            }
        }
    }
}
