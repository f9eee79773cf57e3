using System.Runtime.Intrinsics;
using MixtureModels.Numerics;
using MixtureModels.Tests.Components;

namespace MixtureModels.Tests.Numerics;

/// <summary>The block kernels' inlined exp and log against <see cref="Math"/> (where 512-bit vectors are accelerated).</summary>
public sealed class BlockVectorMathTests
{
    [Fact]
    public void Exp_matches_Math_Exp_over_the_range_of_kept_terms()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        var random = new Random(7);
        var inputs = new List<double> { 0, -0.0, -1e-300, -1e-17, -0.5 * Math.Log(2), -1, -708.39, -708.3964185322, -700 };
        for (int i = 0; i < 4000; i++)
        {
            inputs.Add(-708.39 * Math.Pow(random.NextDouble(), 3));
        }

        // Near the edges of the reduction intervals (odd multiples of (ln 2)/32), where |r| is largest.
        for (int i = 0; i < 2000; i++)
        {
            double edge = -((2 * random.Next(16350)) + 1) * Math.Log(2) / 32;
            inputs.Add(edge + ((random.NextDouble() - 0.5) * 1e-12));
        }

        while (inputs.Count % 8 != 0)
        {
            inputs.Add(-1);
        }

        for (int i = 0; i < inputs.Count; i += 8)
        {
            var result = BlockVectorMath.ExpNonPositive(Vector512.Create(inputs.ToArray(), i));
            for (int lane = 0; lane < 8; lane++)
            {
                double expected = Math.Exp(inputs[i + lane]);
                result.GetElement(lane).Should().BeApproximately(expected, 3e-16 * expected, $"exp({inputs[i + lane]:R})");
            }
        }
    }

    [Fact]
    public void Log_matches_Math_Log_for_positive_values()
    {
        if (!BlockVectorMath.IsSupported)
        {
            BlockKernelCheck.NoFamilyOffersABlockKernel(); // then nothing uses this code
            return;
        }

        var random = new Random(11);
        var inputs = new List<double> { 1, 1 + 1e-16, 1 - 1e-16, 0.75, 1.5, 1.4999999999999998, 2, 3, 8, 1e-300, 1e300, double.Epsilon * 1e10 };
        for (int i = 0; i < 2000; i++)
        {
            inputs.Add(1 + (63 * random.NextDouble()));
            inputs.Add(Math.Exp((random.NextDouble() - 0.5) * 1400));
        }

        while (inputs.Count % 8 != 0)
        {
            inputs.Add(2);
        }

        for (int i = 0; i < inputs.Count; i += 8)
        {
            var result = BlockVectorMath.LogPositive(Vector512.Create(inputs.ToArray(), i));
            for (int lane = 0; lane < 8; lane++)
            {
                double expected = Math.Log(inputs[i + lane]);
                result.GetElement(lane).Should().BeApproximately(expected, 4e-16 * Math.Max(1, Math.Abs(expected)), $"log({inputs[i + lane]:R})");
            }
        }
    }

    [Fact]
    public void Prefetching_past_the_end_of_the_values_neither_faults_nor_changes_anything()
    {
        var values = Enumerable.Range(0, 37).Select(i => i * 0.5).ToArray();
        var copy = values.ToArray();
        BlockVectorMath.PrefetchFrom(values, 30, 4096);
        BlockVectorMath.PrefetchFrom(values, 37, 1 << 20);
        BlockVectorMath.PrefetchFrom(values, 0, 0);
        BlockVectorMath.PrefetchFrom(default, 5, 100);
        values.Should().Equal(copy);
    }
}
