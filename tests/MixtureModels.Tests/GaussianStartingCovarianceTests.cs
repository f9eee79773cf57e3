using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>
/// The four ways to give starting covariances (D × D precisions, D × D covariances, scikit-learn's K × D diagonal and K
/// spherical precisions) describe the same start, so they give the same fit; each is validated with a named message.
/// </summary>
public sealed class GaussianStartingCovarianceTests
{
    private static readonly double[,] Data = TestData.Faithful();

    private static Matrix<double> Means() => Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 55.0 }, { 4.5, 80.0 } });

    private static GaussianMixtureModel Fit(CovarianceType type, Func<GaussianMixtureOptions, GaussianMixtureOptions> start) =>
        new GaussianMixture(start(new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceType = type,
            InitialWeights = [0.4, 0.6],
            InitialMeans = Means(),
        })).Fit(Data);

    private static void ShouldBeTheSameFit(GaussianMixtureModel actual, GaussianMixtureModel expected, double tolerance)
    {
        actual.IterationCount.Should().Be(expected.IterationCount);
        actual.LowerBound.Should().BeApproximately(expected.LowerBound, tolerance * Math.Abs(expected.LowerBound));
        for (int k = 0; k < 2; k++)
        {
            actual.Weights[k].Should().BeApproximately(expected.Weights[k], tolerance);
            var a = actual.GetCovariance(k);
            var e = expected.GetCovariance(k);
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    a[i, j].Should().BeApproximately(e[i, j], tolerance * Math.Max(1, Math.Abs(e[i, j])));
                }
            }
        }
    }

    [Fact]
    public void Diagonal_precisions_in_scikit_learn_shape_start_where_the_diagonal_matrices_start()
    {
        double[,] precisions = { { 4.0, 0.02 }, { 2.0, 0.03 } };
        var matrices = Enumerable.Range(0, 2).Select(k => Matrix<double>.Build.DenseOfDiagonalArray([precisions[k, 0], precisions[k, 1]])).ToArray();
        var fromMatrices = Fit(CovarianceType.Diagonal, o => o with { InitialPrecisions = matrices, MaxIterations = 3 });
        var fromRows = Fit(CovarianceType.Diagonal, o => o with { InitialDiagonalPrecisions = Matrix<double>.Build.DenseOfArray(precisions), MaxIterations = 3 });
        fromRows.Report.LowerBoundHistory.Should().Equal(fromMatrices.Report.LowerBoundHistory);
        ShouldBeTheSameFit(fromRows, fromMatrices, 0);

        // The same start as variances: 1 / p is exactly what the precision routes compute.
        var covariances = Enumerable.Range(0, 2).Select(k => Matrix<double>.Build.DenseOfDiagonalArray([1 / precisions[k, 0], 1 / precisions[k, 1]])).ToArray();
        var fromCovariances = Fit(CovarianceType.Diagonal, o => o with { InitialCovariances = covariances, MaxIterations = 3 });
        ShouldBeTheSameFit(fromCovariances, fromMatrices, 0);
    }

    [Fact]
    public void Spherical_precisions_as_K_values_start_where_the_multiples_of_identity_start()
    {
        var matrices = new[] { 0.05, 0.08 }.Select(p => Matrix<double>.Build.DenseIdentity(2) * p).ToArray();
        var fromMatrices = Fit(CovarianceType.Spherical, o => o with { InitialPrecisions = matrices });
        var fromValues = Fit(CovarianceType.Spherical, o => o with { InitialSphericalPrecisions = [0.05, 0.08] });
        ShouldBeTheSameFit(fromValues, fromMatrices, 0);
        var fromCovariances = Fit(CovarianceType.Spherical, o => o with { InitialCovariances = [Matrix<double>.Build.DenseIdentity(2) * 20.0, Matrix<double>.Build.DenseIdentity(2) * 12.5] });
        ShouldBeTheSameFit(fromCovariances, fromMatrices, 0);
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    public void Full_covariances_start_where_their_inverse_precisions_start(CovarianceType type)
    {
        var covariances = new[]
        {
            Matrix<double>.Build.DenseOfArray(new[,] { { 0.2, 0.5 }, { 0.5, 30.0 } }),
            Matrix<double>.Build.DenseOfArray(new[,] { { 0.3, 0.9 }, { 0.9, 40.0 } }),
        };
        var given = type == CovarianceType.Tied ? covariances[..1] : covariances;
        var fromCovariances = Fit(type, o => o with { InitialCovariances = given });
        var fromPrecisions = Fit(type, o => o with { InitialPrecisions = given.Select(c => c.Inverse()).ToArray() });

        // The precision route inverts twice, so the starts differ in the last bits; the converged fits agree closely.
        ShouldBeTheSameFit(fromCovariances, fromPrecisions, 1e-9);
    }

    [Fact]
    public void The_shaped_options_are_validated_with_named_messages()
    {
        var diagonal = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal };
        ShouldReject(diagonal with { InitialDiagonalPrecisions = Matrix<double>.Build.Dense(3, 2, 1.0) }, "InitialDiagonalPrecisions", "*3 × 2*2 × 2*");
        ShouldReject(diagonal with { InitialDiagonalPrecisions = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 0.0 }, { 1.0, 1.0 } }) }, "InitialDiagonalPrecisions", "*[0, 1] = 0*positive*");
        ShouldReject(diagonal with { InitialSphericalPrecisions = [1.0, 2.0] }, "InitialSphericalPrecisions", "*CovarianceType is Diagonal*");

        var spherical = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Spherical };
        ShouldReject(spherical with { InitialSphericalPrecisions = [1.0] }, "InitialSphericalPrecisions", "*1 values*ComponentCount is 2*");
        ShouldReject(spherical with { InitialSphericalPrecisions = [1.0, double.NaN] }, "InitialSphericalPrecisions", "*[1] = NaN*");
        ShouldReject(spherical with { InitialDiagonalPrecisions = Matrix<double>.Build.Dense(2, 2, 1.0) }, "InitialDiagonalPrecisions", "*CovarianceType is Spherical*");

        var full = new GaussianMixtureOptions { ComponentCount = 2 };
        var identity = Matrix<double>.Build.DenseIdentity(2);
        ShouldReject(full with { InitialCovariances = [identity, identity], InitialPrecisions = [identity, identity] }, "InitialCovariances", "*InitialPrecisions and InitialCovariances*only one*");
        ShouldReject(full with { InitialCovariances = [identity] }, "InitialCovariances", "*1 matrices*one covariance matrix per component*");
        var notPositive = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, 2.0 }, { 2.0, 1.0 } });
        ShouldReject(full with { InitialCovariances = [identity, notPositive] }, "InitialCovariances", "*InitialCovariances[1]*not positive definite*");
    }

    private static void ShouldReject(GaussianMixtureOptions options, string parameter, string message)
    {
        var act = () => new GaussianMixture(options).Fit(Data);
        act.Should().Throw<ArgumentException>().WithMessage(message).Which.ParamName.Should().Be(parameter);
    }
}
