using MixtureModels.Components.Bernoulli;

namespace MixtureModels.Tests.Components.Bernoulli;

/// <summary>The Bernoulli kernels against naive sums, vector path against scalar path, for awkward D and row counts.</summary>
public sealed class BernoulliKernelTests
{
    public static TheoryData<int, int> Shapes()
    {
        var data = new TheoryData<int, int>();
        foreach (int d in new[] { 1, 3, 4, 7, 8, 16, 33 })
        {
            foreach (int rows in new[] { 1, 3, 5, 7, 13, 130 })
            {
                data.Add(d, rows);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Log_density_vector_path_equals_scalar_path_and_the_naive_dot_product(int d, int count)
    {
        var random = new Random((d * 37) + count);
        var rows = Enumerable.Range(0, count * d).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
        var logOdds = Enumerable.Range(0, d).Select(_ => 20 * (random.NextDouble() - 0.5)).ToArray();
        const double constant = -4.75;

        var vector = new double[count];
        var scalar = new double[count];
        var dispatched = new double[count];
        BernoulliKernel.LogDensityVector(rows, logOdds, constant, vector);
        BernoulliKernel.LogDensityScalar(rows, logOdds, constant, scalar);
        BernoulliKernel.LogDensity(rows, logOdds, constant, dispatched);
        for (int n = 0; n < count; n++)
        {
            double expected = constant;
            for (int i = 0; i < d; i++)
            {
                if (rows[(n * d) + i] == 1)
                {
                    expected += logOdds[i];
                }
            }

            double tolerance = 1e-12 * Math.Max(1, Math.Abs(expected));
            vector[n].Should().BeApproximately(expected, tolerance, $"vector row {n}");
            scalar[n].Should().BeApproximately(expected, tolerance, $"scalar row {n}");
            vector[n].Should().BeApproximately(scalar[n], tolerance, $"vector vs scalar row {n}");
            dispatched[n].Should().BeApproximately(scalar[n], tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Weighted_column_sums_vector_path_equals_scalar_path_and_the_naive_sums(int d, int count)
    {
        var random = new Random((d * 13) + count);
        var rows = Enumerable.Range(0, count * d).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
        var weights = Enumerable.Range(0, count).Select(_ => random.NextDouble()).ToArray();
        var start = Enumerable.Range(0, d).Select(i => 0.5 * i).ToArray(); // accumulates on top of what is there

        var vector = (double[])start.Clone();
        var scalar = (double[])start.Clone();
        var dispatched = (double[])start.Clone();
        int vectorColumns = d / 4 * 4;
        if (vectorColumns > 0)
        {
            BernoulliKernel.WeightedColumnSumsVector(rows, weights, vector, vectorColumns);
        }

        BernoulliKernel.WeightedColumnSumsScalar(rows, weights, vector, vectorColumns);
        BernoulliKernel.WeightedColumnSumsScalar(rows, weights, scalar, 0);
        BernoulliKernel.WeightedColumnSums(rows, weights, dispatched);
        for (int i = 0; i < d; i++)
        {
            double expected = start[i];
            for (int n = 0; n < count; n++)
            {
                expected += weights[n] * rows[(n * d) + i];
            }

            vector[i].Should().BeApproximately(expected, 1e-12 * Math.Max(1, expected), $"vector column {i}");
            scalar[i].Should().BeApproximately(expected, 1e-12 * Math.Max(1, expected), $"scalar column {i}");
            dispatched[i].Should().BeApproximately(expected, 1e-12 * Math.Max(1, expected), $"dispatched column {i}");
        }
    }
}
