using MixtureModels.Numerics;
using MixtureModels.Tests.Components;

namespace MixtureModels.Tests.Numerics;

/// <summary>The element-wise span helpers against plain loops, for lengths around the vector width.</summary>
public sealed class VectorKernelsTests
{
    public static TheoryData<int> Lengths() => new() { 0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 256 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Add_is_the_element_wise_sum(int length)
    {
        var random = new Random(length);
        var values = BlockKernelCheck.Values(random, length + 2, 0, 5); // longer than the destination: the rest is ignored
        var destination = BlockKernelCheck.Values(random, length, 0, 5);
        var expected = destination.Select((d, i) => d + values[i]).ToArray();

        VectorKernels.Add(values, destination);

        destination.Should().Equal(expected);
    }

    [Fact]
    public void Add_refuses_values_shorter_than_the_destination()
    {
        var add = () => VectorKernels.Add(new double[3], new double[4]);
        add.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Constant_minus_scaled_squares_is_bit_identical_to_the_scalar_formula(int length)
    {
        var random = new Random(length + 100);
        var values = BlockKernelCheck.Values(random, length, 3, 10);
        const double centre = 2.75, scale = 0.37, constant = -1.9;
        var destination = new double[length];

        VectorKernels.ConstantMinusScaledSquares(values, centre, scale, constant, destination);

        destination.Should().Equal(values.Select(x => constant - (scale * (x - centre) * (x - centre))));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Weighted_moments_match_plain_sums(int length)
    {
        var random = new Random(length + 200);
        var values = BlockKernelCheck.Values(random, length, 1e4, 3); // far from 0, summed about a nearby reference
        var weights = BlockKernelCheck.Values(random, length, 1, 1);
        const double reference = 1e4 + 0.5;

        VectorKernels.WeightedMoments(values, weights, reference, out double total, out double sum, out double scatter);

        double expectedTotal = 0, expectedSum = 0, expectedScatter = 0;
        for (int n = 0; n < length; n++)
        {
            double d = values[n] - reference;
            expectedTotal += weights[n];
            expectedSum += weights[n] * d;
            expectedScatter += weights[n] * d * d;
        }

        double scale = Math.Max(1, expectedTotal) * 4; // the size of the terms: W times a typical |x − a|
        total.Should().BeApproximately(expectedTotal, 1e-13 * Math.Max(1, expectedTotal));
        sum.Should().BeApproximately(expectedSum, 1e-13 * scale);
        scatter.Should().BeApproximately(expectedScatter, 1e-13 * Math.Max(scale, expectedScatter));
    }
}
