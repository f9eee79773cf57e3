using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class FullGaussianTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 37)]
    [InlineData(5, 64)]
    [InlineData(8, 301)]
    public void Block_log_density_equals_the_naive_formula(int d, int rows)
    {
        var random = new Random(100 + d);
        var mean = Reference.RandomVector(d, random, 3);
        var covariance = Reference.RandomSpd(d, random);
        var g = FullGaussian.WithMeanCovariance(mean, covariance);
        var x = Reference.Gaussian(rows, d, 200 + d);
        var values = Reference.ToRowMajor(x);

        var block = new double[rows];
        ((IComponent)g).LogDensity(values, block);

        for (int n = 0; n < rows; n++)
        {
            double expected = Reference.GaussianLogDensity(Reference.Row(x, n), mean, covariance);
            block[n].ShouldBeClose(expected, 1e-10, $"row {n}");
            g.LogDensity(Reference.Row(x, n)).ShouldBeClose(block[n], 1e-12, $"single row {n} vs block");
        }
    }

    [Fact]
    public void Block_log_density_does_not_depend_on_how_rows_are_split_into_blocks()
    {
        var random = new Random(3);
        var covariance = Reference.RandomSpd(4, random);
        var g = FullGaussian.WithMeanCovariance(Reference.RandomVector(4, random), covariance);
        var values = Reference.ToRowMajor(Reference.Gaussian(50, 4, 4));
        var whole = new double[50];
        g.LogDensity(values, whole);

        var parts = new double[50];
        g.LogDensity(values.AsSpan(0, 13 * 4), parts.AsSpan(0, 13));
        g.LogDensity(values.AsSpan(13 * 4, 37 * 4), parts.AsSpan(13, 37));

        for (int n = 0; n < 50; n++)
        {
            parts[n].ShouldBeClose(whole[n], 1e-13);
        }
    }

    [Fact]
    public void Covariance_times_precision_is_identity_and_the_precision_cholesky_factors_the_precision()
    {
        var random = new Random(5);
        var covariance = Reference.RandomSpd(5, random);
        var g = FullGaussian.WithMeanCovariance(Reference.RandomVector(5, random), covariance);

        g.GetCovariance().ShouldBeClose(covariance, 1e-15);
        (g.GetCovariance() * g.GetPrecision()).ShouldBeClose(Matrix<double>.Build.DenseIdentity(5), 1e-10);
        var p = g.GetPrecisionCholesky();
        (p * p.Transpose()).ShouldBeClose(covariance.Inverse(), 1e-10);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < i; j++)
            {
                p[i, j].Should().Be(0, "the precision Cholesky factor of a full covariance is upper triangular");
            }
        }

        g.LogDeterminantPrecisionCholesky.ShouldBeClose(-0.5 * Math.Log(covariance.Determinant()), 1e-12);
    }

    [Fact]
    public void WithMeanPrecision_is_the_same_distribution_as_WithMeanCovariance_of_the_inverse()
    {
        var random = new Random(6);
        var precision = Reference.RandomSpd(3, random);
        var mean = Reference.RandomVector(3, random);
        var g = FullGaussian.WithMeanPrecision(mean, precision);

        g.GetCovariance().ShouldBeClose(precision.Inverse(), 1e-11);
        g.GetPrecision().ShouldBeClose(precision, 1e-10);
        var x = new[] { 0.3, -1.2, 2.0 };
        g.LogDensity(x).ShouldBeClose(Reference.GaussianLogDensity(x, mean, precision.Inverse()), 1e-10);
    }

    [Fact]
    public void Parameter_count_is_mean_plus_upper_triangle()
    {
        var g = FullGaussian.WithMeanCovariance(new double[5], Matrix<double>.Build.DenseIdentity(5));
        g.ParameterCount.Should().Be(5 + 15);
        g.Dimension.Should().Be(5);
    }

    [Fact]
    public void Samples_have_the_components_mean_and_covariance()
    {
        var random = new Random(8);
        var covariance = Reference.RandomSpd(3, random);
        var mean = Reference.RandomVector(3, random, 5);
        var g = FullGaussian.WithMeanCovariance(mean, covariance);
        const int n = 20000;
        var draws = Matrix<double>.Build.Dense(n, 3);
        var row = new double[3];
        var rng = new Random(9);
        for (int i = 0; i < n; i++)
        {
            g.Sample(rng, row);
            draws.SetRow(i, row);
        }

        var sampleMean = draws.ColumnSums() / n;
        var centred = draws - Matrix<double>.Build.Dense(n, 3, (_, j) => sampleMean[j]);
        var sampleCovariance = centred.TransposeThisAndMultiply(centred) / (n - 1);
        for (int i = 0; i < 3; i++)
        {
            sampleMean[i].Should().BeApproximately(mean[i], 5 * Math.Sqrt(covariance[i, i] / n));
            for (int j = 0; j < 3; j++)
            {
                double se = Math.Sqrt(((covariance[i, i] * covariance[j, j]) + (covariance[i, j] * covariance[i, j])) / n);
                sampleCovariance[i, j].Should().BeApproximately(covariance[i, j], 5 * se, $"covariance [{i}, {j}]");
            }
        }
    }
}
