using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests;

public sealed class SmokeTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Fits_iris(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var model = new GaussianMixture(3, type).Fit(x);
        model.Weights.Sum().Should().BeApproximately(1.0, 1e-12);
        model.Report.LowerBoundHistory.Should().NotBeEmpty();
        double.IsFinite(model.MeanLogLikelihood(x)).Should().BeTrue();
        model.Predict(x).Should().Equal(model.TrainingLabels);
    }
}
