using Xunit.Abstractions;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The memory a fit allocates is bounded by the data, a few copies of the model and a constant, whatever D and the
/// core count: per-chunk accumulators are capped by a memory budget, accumulators and kernels are reused for the whole
/// fit, and each iteration allocates only the new components.
/// </summary>
[Collection(nameof(AllocationCollection))]
public sealed class FitAllocationTests(ITestOutputHelper output)
{
    private const int N = 4000;
    private const int D = 500;
    private const int K = 4;
    private const long Mebibyte = 1 << 20;

    [Fact]
    public void A_full_covariance_fit_with_large_D_allocates_at_most_the_data_four_models_and_64_MB_beyond_its_iterations()
    {
        var data = Clusters(new Random(11));
        long dataBytes = (long)N * D * sizeof(double);
        long modelBytes = (long)K * D * D * sizeof(double); // one D × D matrix per component
        Fit(data, 1); // JIT and the threads' scratch, outside the measurement

        long two = Allocated(data, 2);
        long six = Allocated(data, 6);
        long perIteration = (six - two) / 4;
        long fixedPart = two - (2 * perIteration);
        output.WriteLine($"data {dataBytes / Mebibyte} MiB, model {modelBytes / Mebibyte} MiB; 2 iterations {two / Mebibyte} MiB, 6 iterations {six / Mebibyte} MiB, per iteration {perIteration / Mebibyte} MiB, fixed {fixedPart / Mebibyte} MiB");

        fixedPart.Should().BeLessThan(dataBytes + (4 * modelBytes) + (64 * Mebibyte), "set-up (k-means, initial M-step, accumulators, kernels, final E-step) stays within data + 4 × model + 64 MB");
        perIteration.Should().BeLessThan((5 * modelBytes / 2) + (4 * Mebibyte), "an iteration allocates the new components (Σ and its precision Cholesky factor) and little else");
    }

    private static long Allocated(DataMatrix data, int iterations)
    {
        GC.Collect();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var model = Fit(data, iterations);
        long after = GC.GetTotalAllocatedBytes(precise: true);
        model.IterationCount.Should().Be(iterations);
        return after - before;
    }

    private static GaussianMixtureModel Fit(DataMatrix data, int iterations) =>
        new GaussianMixture(new GaussianMixtureOptions { ComponentCount = K, CovarianceType = CovarianceType.Full, MaxIterations = iterations, Tolerance = 0, Seed = 1 }).Fit(data);

    /// <summary>K clusters of N / K rows: unit-variance noise about well-separated centres.</summary>
    private static DataMatrix Clusters(Random random)
    {
        var values = new double[N * D];
        for (int n = 0; n < N; n++)
        {
            int k = n % K;
            for (int j = 0; j < D; j++)
            {
                values[(n * D) + j] = (j % K == k ? 6.0 : 0.0) + MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1);
            }
        }

        return DataMatrix.FromRowMajor(values, D);
    }
}
