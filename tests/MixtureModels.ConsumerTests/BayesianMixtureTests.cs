namespace MixtureModels.ConsumerTests;

/// <summary>The README's variational Bayesian mixture snippet through the packed library's public API only.</summary>
public sealed class BayesianMixtureTests
{
    [Fact]
    public void The_readme_snippet_switches_surplus_components_off()
    {
        var random = new Random(7);
        var data = new double[600, 2];
        for (int i = 0; i < 600; i++)
        {
            int c = i % 3;
            data[i, 0] = (8 * c) + (random.NextDouble() - 0.5);
            data[i, 1] = (c == 1 ? 6 : 0) + (random.NextDouble() - 0.5);
        }

        var vb = new BayesianGaussianMixture(new BayesianGaussianMixtureOptions
        {
            ComponentCount = 10,
            WeightConcentrationPriorType = WeightConcentrationPriorType.DirichletProcess,
            WeightConcentrationPrior = 0.01,
            CovarianceType = CovarianceType.Full,
        });
        BayesianGaussianMixtureModel posterior = vb.Fit(data);
        int active = posterior.Weights.Count(w => w > 0.01);
        double[] elbo = [.. posterior.Report.LowerBoundHistory];
        int[] clusters = posterior.Predict(data);

        active.Should().Be(3);
        elbo.Should().BeInAscendingOrder();
        clusters.Distinct().Should().HaveCount(3);
        posterior.TrainingLabels.Should().Equal(clusters);
    }
}
