using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

/// <summary>Bad settings of <see cref="BayesianGaussianMixture"/> are typed exceptions that name the setting, the value and the fix.</summary>
public sealed class BayesianGaussianMixtureValidationTests
{
    private static readonly double[,] Data = BayesianGaussianMixtureTests.ThreeClusters(10, seed: 1);

    [Fact]
    public void Out_of_range_priors_are_refused_when_the_options_are_given()
    {
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, WeightConcentrationPrior = 0 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightConcentrationPrior").WithMessage("*= 0 is out of range*positive*");
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, MeanPrecisionPrior = double.NaN }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("MeanPrecisionPrior");
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, WeightConcentrationPriorType = (WeightConcentrationPriorType)7 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightConcentrationPriorType");
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, CovarianceRegularization = -1 }))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("CovarianceRegularization");
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, MeanPrior = [0, double.PositiveInfinity] }))
            .Should().Throw<ArgumentException>().WithParameterName("MeanPrior").WithMessage("*MeanPrior[1]*not finite*");
    }

    [Fact]
    public void Priors_that_do_not_fit_the_data_are_refused_by_Fit()
    {
        Action Fit(BayesianGaussianMixtureOptions options) => () => new BayesianGaussianMixture(options).Fit(Data);
        Fit(new() { ComponentCount = 2, DegreesOfFreedomPrior = 1 }).Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("DegreesOfFreedomPrior").WithMessage("*= 1 is out of range*greater than D − 1 = 1*");
        Fit(new() { ComponentCount = 2, MeanPrior = [0, 0, 0] }).Should().Throw<ArgumentException>().WithParameterName("MeanPrior").WithMessage("*3 values*2 columns*");
        Fit(new() { ComponentCount = 2, CovariancePrior = Matrix<double>.Build.DenseIdentity(3) }).Should().Throw<ArgumentException>().WithParameterName("CovariancePrior").WithMessage("*3 × 3*2 columns*");
        Fit(new() { ComponentCount = 2, CovariancePrior = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2 }, { 2, 1 } }) })
            .Should().Throw<ArgumentException>().WithParameterName("CovariancePrior").WithMessage("*not positive definite*");
        Fit(new() { ComponentCount = 2, CovariancePrior = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0.5 }, { 0, 1 } }) })
            .Should().Throw<ArgumentException>().WithParameterName("CovariancePrior").WithMessage("*not symmetric*");
        Fit(new() { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal, CovariancePrior = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0.5 }, { 0.5, 1 } }) })
            .Should().Throw<ArgumentException>().WithParameterName("CovariancePrior").WithMessage("*[0, 1] = 0.5*diagonal prior*");
        Fit(new() { ComponentCount = 2, CovarianceType = CovarianceType.Spherical, CovariancePrior = Matrix<double>.Build.DenseOfDiagonalArray([1.0, 2.0]) })
            .Should().Throw<ArgumentException>().WithParameterName("CovariancePrior").WithMessage("*multiple of I*");
    }

    [Fact]
    public void What_the_variational_fit_does_not_offer_is_a_NotSupportedException()
    {
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, Algorithm = FittingAlgorithm.Lbfgs }).Fit(Data))
            .Should().Throw<NotSupportedException>().WithMessage("*Lbfgs*ExpectationMaximization*");
        FluentActions.Invoking(() => new BayesianGaussianMixture(new BayesianGaussianMixtureOptions { ComponentCount = 2, MissingValues = MissingValueHandling.Marginalize }).Fit(Data))
            .Should().Throw<NotSupportedException>().WithMessage("*Marginalize*");
    }

    [Fact]
    public void A_given_prior_is_used_as_given()
    {
        var prior = Matrix<double>.Build.DenseOfArray(new double[,] { { 2, 0.3 }, { 0.3, 1 } });
        var model = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 2,
            CovariancePrior = prior,
            MeanPrior = [1, -1],
            DegreesOfFreedomPrior = 3.5,
            MeanPrecisionPrior = 0.25,
            WeightConcentrationPrior = 2,
        }).Fit(Data);
        model.GetCovariancePrior().Should().Be(prior);
        model.GetMeanPrior().Should().Equal(1, -1);
        model.DegreesOfFreedomPrior.Should().Be(3.5);
        model.MeanPrecisionPrior.Should().Be(0.25);
        model.WeightConcentrationPrior.Should().Be(2);
        FluentActions.Invoking(() => model.GetCovariance(2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("component");
        FluentActions.Invoking(() => model.Predict(new double[2, 3])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new BayesianGaussianMixture(2).FittedModel).Should().Throw<NotFittedException>();
    }
}
