using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.ConsumerTests;

/// <summary>The README's conditioning and mixture-regression snippet through the packed library's public API only.</summary>
public sealed class ConditioningTests
{
    [Fact]
    public void The_readme_snippet_conditions_marginalises_and_regresses()
    {
        var random = new Random(5);
        var data = new double[300, 4];
        for (int i = 0; i < 300; i++)
        {
            double z = i % 3;
            for (int j = 0; j < 4; j++)
            {
                data[i, j] = (3 * z) + (0.5 * j * z) + random.NextDouble();
            }
        }

        var inputs = new double[,] { { 0.5, 0.5 }, { 5.0, 6.0 } };
        GaussianMixtureModel model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3 }).Fit(data);

        GaussianMixtureDistribution marginal = model.Marginalize([0, 2]);
        GaussianMixtureDistribution given = model.Condition([1, 3], [3.1, 1.4]);
        Vector<double> mean = given.GetMixtureMean();
        Matrix<double> covariance = given.GetMixtureCovariance();
        MixtureRegression fit = model.Regress([1, 3], inputs, includeCovariances: true);
        Matrix<double> predicted = fit.GetMeans();

        marginal.Dimension.Should().Be(2);
        mean.Count.Should().Be(2);
        covariance.RowCount.Should().Be(2);
        fit.OutputColumns.Should().Equal(0, 2);
        predicted.RowCount.Should().Be(2);
        var again = model.Condition([1, 3], [5.0, 6.0]).GetMixtureMean();
        predicted.Row(1).Should().Equal(again);
    }
}
