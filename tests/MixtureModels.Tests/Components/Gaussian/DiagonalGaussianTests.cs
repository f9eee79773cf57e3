using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Components.Gaussian;

public sealed class DiagonalGaussianTests
{
    [Theory]
    [InlineData(1, 9)]
    [InlineData(4, 37)]
    [InlineData(7, 130)]
    public void Block_log_density_equals_the_naive_formula(int d, int rows)
    {
        var random = new Random(10 + d);
        var mean = Reference.RandomVector(d, random, 3);
        var variances = Enumerable.Range(0, d).Select(_ => 0.1 + (3 * random.NextDouble())).ToArray();
        var g = DiagonalGaussian.WithMeanVariances(mean, variances);
        var covariance = Matrix<double>.Build.DenseOfDiagonalArray(variances);
        var x = Reference.Gaussian(rows, d, 20 + d);
        var block = new double[rows];
        ((IComponent)g).LogDensity(Reference.ToRowMajor(x), block);

        for (int n = 0; n < rows; n++)
        {
            block[n].ShouldBeClose(Reference.GaussianLogDensity(Reference.Row(x, n), mean, covariance), 1e-10, $"row {n}");
            g.LogDensity(Reference.Row(x, n)).ShouldBeClose(block[n], 1e-12, $"single row {n} vs block");
        }
    }

    [Fact]
    public void Covariance_precision_and_precision_cholesky_agree_with_the_variances()
    {
        var variances = new[] { 0.5, 2.0, 7.5, 1e-3 };
        var g = DiagonalGaussian.WithMeanVariances(new double[4], variances);
        var covariance = Matrix<double>.Build.DenseOfDiagonalArray(variances);

        g.GetCovariance().ShouldBeClose(covariance, 1e-15);
        g.Variances.ToArray().Should().Equal(variances);
        (g.GetCovariance() * g.GetPrecision()).ShouldBeClose(Matrix<double>.Build.DenseIdentity(4), 1e-12);
        var p = g.GetPrecisionCholesky();
        (p * p.Transpose()).ShouldBeClose(covariance.Inverse(), 1e-12);
        g.ParameterCount.Should().Be(8);
    }
}
