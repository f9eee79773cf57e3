using MixtureModels.Selection;

namespace MixtureModels.ConsumerTests;

/// <summary>The README's model-search and comparison snippet through the packed library's public API only.</summary>
public sealed class ModelSearchTests
{
    [Fact]
    public void The_readme_snippet_searches_and_compares()
    {
        // Two Gaussian clusters (uniform squares would be better fitted by more Gaussians, and the search finds that).
        var random = new Random(3);
        var data = new double[240, 2];
        for (int i = 0; i < 240; i++)
        {
            data[i, 0] = (i % 2 == 0 ? 0 : 8) + (0.5 * Normal(random));
            data[i, 1] = (i % 2 == 0 ? 0 : 5) + (0.5 * Normal(random));
        }

        ModelSearchResult<GaussianMixtureModel> search = ModelSearch.Gaussian(
            data,
            componentCounts: Enumerable.Range(1, 4),
            covarianceTypes: [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical],
            template: new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = 3, Seed = 42 },
            options: new ModelSearchOptions { Criterion = InformationCriterion.Bayesian });

        search.Rows.Should().HaveCount(16);
        GaussianMixtureModel best = search.BestModel;
        best.ComponentCount.Should().Be(2);
        search.Best!.CriterionValue.Should().Be(best.BayesianInformationCriterion());
        best.Report.IsDegenerate.Should().BeFalse();

        var one = search.Rows.First(r => r.ComponentCount == 1 && r.CovarianceType == CovarianceType.Full).Model!;
        KullbackLeiblerEstimate kl = MixtureComparison.KullbackLeibler(best, one, sampleCount: 2000, seed: 1);
        kl.Value.Should().BeGreaterThan(3 * kl.StandardError);
        LogLikelihoodRatioEstimate ratio = MixtureComparison.LogLikelihoodRatio(best, one, data);
        ratio.MeanPerRow.Should().BeGreaterThan(0);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
