using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class GaussianFamilyTests
{
    private const int D = 3;

    public static TheoryData<CovarianceType, double> TypesAndOffsets()
    {
        var data = new TheoryData<CovarianceType, double>();
        foreach (var type in Enum.GetValues<CovarianceType>())
        {
            data.Add(type, 0.0);
            data.Add(type, 1e6);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndOffsets))]
    public void Estimate_gives_the_brute_force_weighted_mean_and_covariance(CovarianceType type, double offset)
    {
        const double reg = 1e-3;
        var family = GaussianFamily.Create(type, D, reg);
        var random = new Random(7);
        int n = 180;
        var rows = new double[n * D];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = offset + ((1 + (i % D)) * Reference.StandardNormal(random));
        }

        var r = new double[2][];
        r[0] = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        r[1] = r[0].Select(v => 1 - v).ToArray();

        // Accumulate in three uneven blocks, as the engine does, starting from a reference far from the mean.
        var statistics = new GaussianStatistics[2];
        for (int k = 0; k < 2; k++)
        {
            statistics[k] = family.CreateStatistics(null);
            foreach (var (start, count) in new[] { (0, 50), (50, 7), (57, n - 57) })
            {
                statistics[k].Accumulate(rows.AsSpan(start * D, count * D), r[k].AsSpan(start, count));
            }
        }

        var components = new GaussianComponent[2];
        family.Estimate(statistics, components);

        var scatter = new Matrix<double>[2];
        var totals = new double[2];
        for (int k = 0; k < 2; k++)
        {
            totals[k] = r[k].Sum();
            var mean = new double[D];
            for (int j = 0; j < D; j++)
            {
                mean[j] = Enumerable.Range(0, n).Sum(i => r[k][i] * rows[(i * D) + j]) / totals[k];
                components[k].Mean[j].Should().BeApproximately(mean[j], 1e-12 * Math.Max(1, offset), $"mean {k},{j}");
            }

            scatter[k] = Matrix<double>.Build.Dense(D, D);
            for (int i = 0; i < n; i++)
            {
                var diff = Vector<double>.Build.Dense(D, j => rows[(i * D) + j] - mean[j]);
                scatter[k] += r[k][i] * diff.OuterProduct(diff);
            }
        }

        var identity = Matrix<double>.Build.DenseIdentity(D);
        for (int k = 0; k < 2; k++)
        {
            Matrix<double> expected = type switch
            {
                CovarianceType.Full => (scatter[k] / totals[k]) + (reg * identity),
                CovarianceType.Tied => ((scatter[0] + scatter[1]) / (totals[0] + totals[1])) + (reg * identity),
                CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalVector(scatter[k].Diagonal() / totals[k]) + (reg * identity),
                _ => ((scatter[k].Diagonal() / totals[k]).Average() + reg) * identity,
            };

            // A centred scatter is accurate even with a large offset (E[x²] − μ² would lose every digit at 1e6).
            components[k].GetCovariance().ShouldBeClose(expected, 1e-8, $"covariance {k}");
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full, 2, 5, 40)]
    [InlineData(CovarianceType.Tied, 2, 5, 25)]
    [InlineData(CovarianceType.Diagonal, 2, 5, 20)]
    [InlineData(CovarianceType.Spherical, 2, 5, 12)]
    [InlineData(CovarianceType.Full, 3, 1, 6)]
    [InlineData(CovarianceType.Tied, 4, 3, 18)]
    public void Family_parameter_count_excludes_the_mixing_weights(CovarianceType type, int k, int d, int expected)
    {
        GaussianFamily.Create(type, d, 0).ParameterCount(k).Should().Be(expected);
    }
}
