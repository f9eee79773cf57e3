using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>The diagonal kernels against naive sums, vector path against scalar path, for awkward D and row counts.</summary>
public sealed class DiagonalCovarianceKernelTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 9 }, { 4, 4 }, { 5, 13 }, { 8, 256 }, { 11, 6 }, { 16, 255 }, { 33, 31 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Log_density_equals_the_naive_sum_on_both_paths(int d, int count)
    {
        var random = new Random((d * 31) + count);
        var rows = Values(random, count * d, 100);
        var mean = Values(random, d, 100);
        var precisions = Values(random, d, 0).Select(v => 0.1 + Math.Abs(v)).ToArray();
        const double constant = -3.25;

        var vector = new double[count];
        var scalar = new double[count];
        DiagonalCovarianceKernel.LogDensityVector(rows, mean, precisions, constant, vector);
        DiagonalCovarianceKernel.LogDensityScalar(rows, mean, precisions, constant, scalar);
        for (int n = 0; n < count; n++)
        {
            double quad = 0;
            for (int i = 0; i < d; i++)
            {
                quad += precisions[i] * Math.Pow(rows[(n * d) + i] - mean[i], 2);
            }

            double expected = constant - (0.5 * quad);
            vector[n].Should().BeApproximately(expected, 1e-11 * Math.Max(1, Math.Abs(expected)));
            scalar[n].Should().BeApproximately(expected, 1e-11 * Math.Max(1, Math.Abs(expected)));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Moments_equal_the_naive_weighted_sums(int d, int count)
    {
        var random = new Random((d * 17) + count);
        var rows = Values(random, count * d, -1e5);
        var reference = Values(random, d, -1e5);
        var weights = Values(random, count, 0).Select(Math.Abs).ToArray();
        var sum = Enumerable.Repeat(1.0, d).ToArray(); // accumulates on top of what is there
        var scatter = Enumerable.Repeat(2.0, d).ToArray();

        DiagonalCovarianceKernel.Moments(rows, weights, reference, sum, scatter);
        for (int i = 0; i < d; i++)
        {
            double s1 = 1, s2 = 2;
            for (int n = 0; n < count; n++)
            {
                double diff = rows[(n * d) + i] - reference[i];
                s1 += weights[n] * diff;
                s2 += weights[n] * diff * diff;
            }

            sum[i].Should().BeApproximately(s1, 1e-10 * Math.Max(1, Math.Abs(s1)));
            scatter[i].Should().BeApproximately(s2, 1e-10 * Math.Max(1, Math.Abs(s2)));
        }
    }

    private static double[] Values(Random random, int length, double offset) =>
        Enumerable.Range(0, length).Select(_ => offset + (6 * random.NextDouble()) - 3).ToArray();
}
