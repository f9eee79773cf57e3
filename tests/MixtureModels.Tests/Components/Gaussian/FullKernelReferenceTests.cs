using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Numerics;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// The full-covariance E-step and M-step kernels against naive triple loops: the quadratic forms ‖(x − μ)ᵀP‖² summed
/// over every entry of the precision factor P (zeros included), responsibilities by exp(l − log Σ exp l), and the scatter
/// Σₙ rₙ(xₙ − a)(xₙ − a)ᵀ entry by entry. The batched 512-bit kernel runs where it exists; the per-component path (its
/// 256-bit tiles, or the scalar code with the 256-bit intrinsics switched off, e.g. DOTNET_EnableAVX2=0) runs everywhere.
/// The sizes leave partial register tiles: D not a multiple of 4 or 8, rows not a multiple of 8 or 16, blocks of more
/// than one piece.
/// </summary>
public sealed class FullKernelReferenceTests
{
    public static TheoryData<int, int, int> Sizes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int d in new[] { 1, 2, 3, 7, 16, 17, 33 })
        {
            foreach (int count in new[] { 1, 13, 37, 255, 301 })
            {
                data.Add(d, count, d % 3 == 0 ? 1 : 3);
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

        var (components, logWeights, rows) = Problem(d, count, k);
        foreach (var kernel in GaussianBlockKernels.Full(d, k))
        {
            kernel.Prepare(components, logWeights).Should().BeTrue();

            var densities = new double[k * (count + 2)];
            kernel.JointLogDensity(rows, count, densities, count + 2);
            var expectedDensities = NaiveJointLogDensities(components, logWeights, rows, count);
            for (int c = 0; c < k; c++)
            {
                for (int n = 0; n < count; n++)
                {
                    double e = expectedDensities[c][n];
                    densities[(c * (count + 2)) + n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"log-density of row {n}, component {c}");
                }
            }

            var family = new FullCovarianceFamily(d, 1e-6);
            var statistics = components.Select(c => (FullScatterStatistics)family.CreateStatistics(c)).ToArray();
            var logLikelihood = new double[count];
            kernel.Accumulate(rows, count, default, logLikelihood, statistics.Cast<GaussianStatistics>().ToArray());
            CheckAgainstNaive(components, expectedDensities, rows, count, logLikelihood, statistics);
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Per_component_path_equals_naive_loops(int d, int count, int k)
    {
        var (components, logWeights, rows) = Problem(d, count, k);
        var expectedDensities = NaiveJointLogDensities(components, logWeights, rows, count);
        var logProb = new double[k * count];
        for (int c = 0; c < k; c++)
        {
            components[c].LogDensity(rows, logProb.AsSpan(c * count, count));
            for (int n = 0; n < count; n++)
            {
                logProb[(c * count) + n] += logWeights[c];
                double e = expectedDensities[c][n];
                logProb[(c * count) + n].Should().BeApproximately(e, 1e-12 * Math.Max(1, Math.Abs(e)), $"log-density of row {n}, component {c}");
            }
        }

        var logLikelihood = new double[count];
        EStepKernel.Responsibilities(logProb, count, k, count, default, logLikelihood);
        var family = new FullCovarianceFamily(d, 1e-6);
        var statistics = components.Select(c => (FullScatterStatistics)family.CreateStatistics(c)).ToArray();
        for (int c = 0; c < k; c++)
        {
            statistics[c].Accumulate(rows, logProb.AsSpan(c * count, count));
        }

        CheckAgainstNaive(components, expectedDensities, rows, count, logLikelihood, statistics);
    }

    private static (GaussianComponent[] Components, double[] LogWeights, double[] Rows) Problem(int d, int count, int k)
    {
        var random = new Random((d * 7919) + (count * 31) + k);
        const double offset = 100; // far from the origin: the centring matters
        var components = new GaussianComponent[k];
        for (int c = 0; c < k; c++)
        {
            var mean = Enumerable.Range(0, d).Select(_ => offset + (2 * random.NextDouble()) - 1).ToArray();
            var a = Matrix<double>.Build.Dense(d, d, (_, _) => (2 * random.NextDouble()) - 1);
            var covariance = (a * a.Transpose() / d) + Matrix<double>.Build.DenseDiagonal(d, d, _ => 0.5 + random.NextDouble());
            components[c] = FullGaussian.WithMeanCovariance(mean, covariance);
        }

        var logWeights = Enumerable.Range(0, k).Select(_ => Math.Log(0.2 + random.NextDouble())).ToArray();
        var rows = Enumerable.Range(0, count * d).Select(_ => offset + (3 * ((2 * random.NextDouble()) - 1))).ToArray();
        return (components, logWeights, rows);
    }

    /// <summary>log π_k − ½ D log 2π + log det P − ½ Σ_j (Σ_i (x_i − μ_i) P_ij)², every sum in full.</summary>
    private static double[][] NaiveJointLogDensities(GaussianComponent[] components, double[] logWeights, double[] rows, int count)
    {
        int d = components[0].Dimension;
        var result = new double[components.Length][];
        for (int c = 0; c < components.Length; c++)
        {
            var component = (FullGaussian)components[c];
            var factor = component.PrecisionCholeskySpan;
            var mean = component.Mean;
            result[c] = new double[count];
            for (int n = 0; n < count; n++)
            {
                double q = 0;
                for (int j = 0; j < d; j++)
                {
                    double y = 0;
                    for (int i = 0; i < d; i++)
                    {
                        y += (rows[(n * d) + i] - mean[i]) * factor[(i * d) + j];
                    }

                    q += y * y;
                }

                result[c][n] = logWeights[c] - (0.5 * d * Math.Log(2 * Math.PI)) + component.LogDeterminantPrecisionCholesky - (0.5 * q);
            }
        }

        return result;
    }

    private static void CheckAgainstNaive(GaussianComponent[] components, double[][] densities, double[] rows, int count, double[] logLikelihood, FullScatterStatistics[] statistics)
    {
        int d = components[0].Dimension, k = components.Length;
        var responsibilities = new double[k, count];
        for (int n = 0; n < count; n++)
        {
            double max = Enumerable.Range(0, k).Max(c => densities[c][n]);
            double total = Enumerable.Range(0, k).Sum(c => Math.Exp(densities[c][n] - max));
            double expected = max + Math.Log(total);
            logLikelihood[n].Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)), $"log-likelihood of row {n}");
            for (int c = 0; c < k; c++)
            {
                responsibilities[c, n] = Math.Exp(densities[c][n] - expected);
            }
        }

        for (int c = 0; c < k; c++)
        {
            var a = statistics[c].Reference;
            double weight = 0;
            var sum = new double[d];
            var scatter = new double[d, d];
            for (int n = 0; n < count; n++)
            {
                double r = responsibilities[c, n];
                weight += r;
                for (int i = 0; i < d; i++)
                {
                    sum[i] += r * (rows[(n * d) + i] - a[i]);
                    for (int j = i; j < d; j++)
                    {
                        scatter[i, j] += r * (rows[(n * d) + i] - a[i]) * (rows[(n * d) + j] - a[j]);
                    }
                }
            }

            // Terms are of size r·|x − a|² ≤ W·(offset spread)²: compare on that scale (the sums may be near zero).
            double scale = Math.Max(1, weight) * 16;
            statistics[c].TotalWeight.Should().BeApproximately(weight, 1e-12 * Math.Max(1, weight), $"W of component {c}");
            for (int i = 0; i < d; i++)
            {
                statistics[c].WeightedSum[i].Should().BeApproximately(sum[i], 1e-12 * scale, $"s[{i}] of component {c}");
                for (int j = i; j < d; j++)
                {
                    statistics[c].Scatter[(i * d) + j].Should().BeApproximately(scatter[i, j], 1e-12 * scale, $"scatter[{i}, {j}] of component {c}");
                }
            }
        }
    }
}
