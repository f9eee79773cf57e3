using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

/// <summary>
/// The register-blocked full-covariance kernels against a naive formula written here, and the vector path against
/// the scalar path, for dimensions that do and do not fill whole vectors and row counts that do and do not fill tiles.
/// </summary>
public sealed class FullCovarianceKernelTests
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 3, 7 }, { 4, 4 }, { 5, 13 }, { 8, 256 }, { 9, 33 }, { 16, 255 }, { 17, 6 }, { 32, 64 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Quadratic_forms_equal_the_naive_formula_on_both_paths(int d, int count)
    {
        var random = new Random(d * 1000 + count);
        var rows = RandomValues(random, count * d, offset: 50);
        var mean = RandomValues(random, d, offset: 50);
        int dp = FullCovarianceKernel.PaddedDimension(d);
        var p = UpperTriangular(random, d, dp);

        var vector = new double[count];
        var scalar = new double[count];
        FullCovarianceKernel.QuadraticFormsVector(rows, count, mean, dp, p, vector);
        FullCovarianceKernel.QuadraticFormsScalar(rows, count, mean, dp, p, scalar);

        for (int n = 0; n < count; n++)
        {
            // Naive: y = (x − μ)ᵀ P, q = yᵀy, with every term of the product written out.
            double expected = 0;
            for (int j = 0; j < d; j++)
            {
                double y = 0;
                for (int i = 0; i < d; i++)
                {
                    y += (rows[(n * d) + i] - mean[i]) * p[(i * dp) + j];
                }

                expected += y * y;
            }

            vector[n].Should().BeApproximately(expected, 1e-11 * Math.Max(1, expected));
            scalar[n].Should().BeApproximately(expected, 1e-11 * Math.Max(1, expected));
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Scatter_equals_the_brute_force_weighted_sums_on_both_paths(int d, int count)
    {
        var random = new Random(d * 7 + count);
        var rows = RandomValues(random, count * d, offset: -20);
        var center = RandomValues(random, d, offset: -20);
        var weights = RandomValues(random, count, offset: 0).Select(Math.Abs).ToArray();
        weights[0] = 0; // a zero weight contributes nothing
        int dp = FullCovarianceKernel.PaddedDimension(d);

        // Both paths take rows of stride dp centred on a dp-long centre: pad the rows as the statistics do.
        var padded = new double[count * dp];
        var paddedCenter = new double[dp];
        FullCovarianceKernel.Centre(rows, count, center, dp, padded);

        foreach (bool vectorPath in new[] { true, false })
        {
            var scatter = new double[dp * dp];
            var sum = new double[dp];
            var weighted = new double[count * dp];
            if (vectorPath)
            {
                FullCovarianceKernel.WeightRowsVector(padded, paddedCenter, weights, count, dp, weighted, sum);
                FullCovarianceKernel.ScatterVector(padded, paddedCenter, weighted, count, dp, scatter, 0, dp);
            }
            else
            {
                FullCovarianceKernel.WeightRowsScalar(padded, paddedCenter, weights, count, dp, weighted, sum);
                FullCovarianceKernel.ScatterScalar(padded, paddedCenter, weighted, count, dp, scatter, 0, dp);
            }

            for (int i = 0; i < d; i++)
            {
                double expectedSum = 0;
                for (int n = 0; n < count; n++)
                {
                    expectedSum += weights[n] * (rows[(n * d) + i] - center[i]);
                }

                sum[i].Should().BeApproximately(expectedSum, 1e-10 * Math.Max(1, Math.Abs(expectedSum)));
                for (int j = i; j < d; j++)
                {
                    double expected = 0;
                    for (int n = 0; n < count; n++)
                    {
                        expected += weights[n] * (rows[(n * d) + i] - center[i]) * (rows[(n * d) + j] - center[j]);
                    }

                    scatter[(i * dp) + j].Should().BeApproximately(expected, 1e-10 * Math.Max(1, Math.Abs(expected)), $"entry ({i}, {j}), vector path {vectorPath}");
                }
            }
        }
    }

    [Fact]
    public void Raw_rows_centred_in_registers_give_the_same_scatter_as_a_centred_copy()
    {
        const int d = 8, count = 37;
        var random = new Random(5);
        var rows = RandomValues(random, count * d, offset: 1e6);
        var center = RandomValues(random, d, offset: 1e6);
        var weights = RandomValues(random, count, offset: 0).Select(Math.Abs).ToArray();

        var direct = new double[d * d];
        var directSum = new double[d];
        FullCovarianceKernel.Scatter(rows, center, weights, count, d, new double[count * d], direct, directSum);

        var centred = new double[count * d];
        FullCovarianceKernel.Centre(rows, count, center, d, centred);
        var viaCopy = new double[d * d];
        var viaCopySum = new double[d];
        FullCovarianceKernel.Scatter(centred, new double[d], weights, count, d, new double[count * d], viaCopy, viaCopySum);

        for (int i = 0; i < d; i++)
        {
            directSum[i].Should().BeApproximately(viaCopySum[i], 1e-9 * Math.Max(1, Math.Abs(viaCopySum[i])));
            for (int j = i; j < d; j++)
            {
                direct[(i * d) + j].Should().BeApproximately(viaCopy[(i * d) + j], 1e-9 * Math.Max(1, Math.Abs(viaCopy[(i * d) + j])));
            }
        }
    }

    private static double[] RandomValues(Random random, int length, double offset)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = offset + (4 * random.NextDouble()) - 2;
        }

        return values;
    }

    private static double[] UpperTriangular(Random random, int d, int dp)
    {
        var p = new double[dp * dp];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                p[(i * dp) + j] = (i == j ? 1.5 : 0) + random.NextDouble() - 0.5;
            }
        }

        return p;
    }
}
