using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

public sealed class CentreDistancesTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 2, 5)]
    [InlineData(7, 16, 8)]
    [InlineData(9, 5, 11)]
    [InlineData(17, 33, 20)]
    public void Every_lane_equals_the_textbook_sum_bit_for_bit(int rows, int columns, int centres)
    {
        var random = new Random(rows * 100 + columns);
        var x = Enumerable.Range(0, rows * columns).Select(_ => (random.NextDouble() * 200) - 100).ToArray();
        var c = Enumerable.Range(0, centres * columns).Select(_ => (random.NextDouble() * 200) - 100).ToArray();
        int padded = CentreDistances.Padded(centres);
        padded.Should().BeGreaterThanOrEqualTo(centres).And.Match(p => p % CentreDistances.LaneMultiple == 0);
        var transposed = new double[columns * padded];
        CentreDistances.Transpose(c, columns, transposed);
        var distances = new double[rows * padded];
        CentreDistances.Compute(x, columns, transposed, padded, distances);
        for (int i = 0; i < rows; i++)
        {
            for (int k = 0; k < centres; k++)
            {
                double s = 0;
                for (int j = 0; j < columns; j++)
                {
                    double diff = x[(i * columns) + j] - c[(k * columns) + j];
                    s += diff * diff;
                }

                distances[(i * padded) + k].Should().Be(s, $"row {i}, centre {k}");
            }
        }
    }

    [Fact]
    public void Distances_are_formed_from_differences_so_a_large_offset_does_not_cancel()
    {
        // ‖x‖² − 2x·c + ‖c‖² at an offset of 1e8 loses every digit of a distance of 1e-6; the direct form keeps it.
        double[] x = [1e8 + 1e-3, 1e8];
        double[] c = [1e8, 1e8];
        int padded = CentreDistances.Padded(1);
        var transposed = new double[2 * padded];
        CentreDistances.Transpose(c, 2, transposed);
        var distances = new double[padded];
        CentreDistances.Compute(x, 2, transposed, padded, distances);
        double diff = x[0] - c[0];
        distances[0].Should().Be(diff * diff).And.BeGreaterThan(0);
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0, 1.0 }, 4, 1)]
    [InlineData(new[] { 0.0, 0.0, 0.0 }, 3, 0)]
    [InlineData(new[] { 5.0, 4.0, 3.0, 2.0, 1.0, 1.0, 7.0, 0.5 }, 8, 7)]
    [InlineData(new[] { 5.0, 4.0, 3.0, 2.0, 1.0, 1.0, 7.0, 0.5 }, 6, 4)]
    [InlineData(new[] { double.PositiveInfinity, double.PositiveInfinity }, 2, 0)]
    [InlineData(new[] { 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.5 }, 11, 9)]
    public void Nearest_is_the_first_smallest_of_the_used_lanes(double[] values, int count, int expected)
    {
        var lanes = new double[CentreDistances.Padded(values.Length)];
        Array.Fill(lanes, -1.0); // padding lanes smaller than every used lane must be ignored
        values.CopyTo(lanes, 0);
        for (int c = count; c < lanes.Length; c++)
        {
            lanes[c] = -1.0;
        }

        CentreDistances.Nearest(lanes, count).Should().Be(expected);
    }
}
