using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

public sealed class ColumnVarianceTests
{
    [Theory]
    [InlineData(1, false, false)]
    [InlineData(4, true, false)]
    [InlineData(7, false, true)]
    [InlineData(16, true, true)]
    public void Per_column_variances_equal_the_scalar_two_pass_loop_bit_for_bit(int columns, bool weighted, bool missing)
    {
        const int rows = 301;
        var random = new Random(columns);
        var x = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = missing && random.NextDouble() < 0.1 ? double.NaN : 1e3 + (random.NextDouble() * (j + 1));
            }
        }

        var weights = weighted ? Enumerable.Range(0, rows).Select(_ => random.NextDouble() * 3).ToArray() : null;
        var variances = ColumnVariance.PerColumn(DataMatrix.FromArray(x), weights, out var used);
        for (int j = 0; j < columns; j++)
        {
            double total = 0, mean = 0, scatter = 0;
            for (int i = 0; i < rows; i++)
            {
                if (!double.IsNaN(x[i, j]))
                {
                    total += weights?[i] ?? 1.0;
                    mean += (weights?[i] ?? 1.0) * x[i, j];
                }
            }

            mean /= total;
            for (int i = 0; i < rows; i++)
            {
                if (!double.IsNaN(x[i, j]))
                {
                    double diff = x[i, j] - mean;
                    scatter += (weights?[i] ?? 1.0) * diff * diff;
                }
            }

            used[j].Should().BeTrue();
            variances[j].Should().Be(scatter / total, $"column {j}");
        }
    }
}
