using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.StudentT;

namespace MixtureModels.Tests.Components.StudentT;

/// <summary>The batched t kernel against the component's own row-by-row density and statistics.</summary>
public sealed class StudentTBlockKernelTests
{
    private static StudentTComponent[] Components(Random random, int k, int d) =>
        [.. Enumerable.Range(0, k).Select(_ =>
        {
            var a = Matrix<double>.Build.Dense(d, d, (_, _) => random.NextDouble() - 0.5);
            var mean = BlockKernelCheck.Values(random, d, 0, 2);
            return StudentTComponent.Create(mean, (a * a.Transpose()) + (Matrix<double>.Build.DenseIdentity(d) * 0.5), 0.8 + (10 * random.NextDouble()));
        })];

    [Theory]
    [InlineData(1, 3, 7)]
    [InlineData(3, 2, 64)]
    [InlineData(4, 3, 33)]
    [InlineData(9, 4, 100)]
    public void Kernel_equals_the_component_path(int d, int k, int count)
    {
        var random = new Random((d * 100) + count);
        var components = Components(random, k, d);
        var logWeights = BlockKernelCheck.LogWeights(random, k);
        var rows = BlockKernelCheck.Values(random, count * d, 0, 6);
        var family = new StudentTFamily(d, 1e-6, 5);
        var kernel = ((IBlockKernelSource<StudentTComponent, StudentTStatistics>)family).CreateBlockKernel(k)!;
        BlockKernelCheck.JointLogDensitiesMatch(kernel, components, logWeights, rows, count, $"D={d}");

        var rowWeights = BlockKernelCheck.Values(random, count, 1, 0.8);
        rowWeights[0] = 0;
        var (expected, actual) = BlockKernelCheck.Accumulate(kernel, c => new StudentTStatistics(d, c), components, logWeights, rows, count, rowWeights);
        for (int c = 0; c < k; c++)
        {
            Close(actual[c].TotalWeight, expected[c].TotalWeight);
            Close(actual[c].ExpectedWeightSum, expected[c].ExpectedWeightSum);
            Close(actual[c].LogWeightTerm, expected[c].LogWeightTerm);
            for (int i = 0; i < d; i++)
            {
                Close(actual[c].WeightedSum[i], expected[c].WeightedSum[i]);
                for (int j = i; j < d; j++)
                {
                    Close(actual[c].Scatter[(i * d) + j], expected[c].Scatter[(i * d) + j]);
                }
            }
        }
    }

    private static void Close(double actual, double expected) =>
        actual.Should().BeApproximately(expected, 1e-11 * Math.Max(1, Math.Abs(expected)));
}
