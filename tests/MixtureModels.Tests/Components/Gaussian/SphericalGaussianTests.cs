using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class SphericalGaussianTests
{
    [Theory]
    [InlineData(1, 0.3, 11)]
    [InlineData(3, 2.5, 37)]
    [InlineData(6, 0.05, 100)]
    public void Block_log_density_equals_the_naive_formula(int d, double variance, int rows)
    {
        var random = new Random(30 + d);
        var mean = Reference.RandomVector(d, random, 2);
        var g = SphericalGaussian.WithMeanVariance(mean, variance);
        var covariance = Matrix<double>.Build.DenseDiagonal(d, d, variance);
        var x = Reference.Gaussian(rows, d, 40 + d);
        var block = new double[rows];
        ((IComponent)g).LogDensity(Reference.ToRowMajor(x), block);

        for (int n = 0; n < rows; n++)
        {
            block[n].ShouldBeClose(Reference.GaussianLogDensity(Reference.Row(x, n), mean, covariance), 1e-10, $"row {n}");
            g.LogDensity(Reference.Row(x, n)).ShouldBeClose(block[n], 1e-12, $"single row {n} vs block");
        }
    }

    [Fact]
    public void Covariance_precision_and_precision_cholesky_agree_with_the_variance()
    {
        var g = SphericalGaussian.WithMeanVariance(new double[3], 0.7);
        var covariance = Matrix<double>.Build.DenseDiagonal(3, 3, 0.7);

        g.GetCovariance().ShouldBeClose(covariance, 1e-15);
        (g.GetCovariance() * g.GetPrecision()).ShouldBeClose(Matrix<double>.Build.DenseIdentity(3), 1e-12);
        var p = g.GetPrecisionCholesky();
        (p * p.Transpose()).ShouldBeClose(covariance.Inverse(), 1e-12);
        g.ParameterCount.Should().Be(4);
    }
}
