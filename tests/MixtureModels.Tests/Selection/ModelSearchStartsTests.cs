using MixtureModels.Selection;

namespace MixtureModels.Tests.Selection;

public sealed class ModelSearchStartsTests
{
    private static readonly CovarianceType[] AllTypes = [CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical];

    [Fact]
    public void Every_cell_of_the_recommended_search_is_at_least_as_good_as_each_of_its_starts_alone()
    {
        var data = TestData.Faithful();
        var template = new GaussianMixtureOptions { ComponentCount = 1, InitializationCount = 3, Seed = 2 };
        var search = ModelSearch.Gaussian(data, [2, 3, 4], AllTypes, template);
        search.Rows.Should().HaveCount(12);
        foreach (var row in search.Rows.Where(r => r.Model is not null))
        {
            var cell = template with { ComponentCount = row.Candidate.ComponentCount, CovarianceType = row.Candidate.CovarianceType!.Value };
            var plain = new GaussianMixture(cell with { Initialization = InitializationMethod.KMeans }).Fit(data);
            var standardized = new GaussianMixture(cell with { Initialization = InitializationMethod.KMeansStandardized }).Fit(data);
            var hierarchical = new GaussianMixture(cell with { Initialization = InitializationMethod.ModelBasedHierarchical, InitializationCount = 1 }).Fit(data);
            foreach (var single in new[] { plain, standardized, hierarchical }.Where(m => !m.Report.IsDegenerate))
            {
                row.Model!.Report.IsDegenerate.Should().BeFalse(row.Name);
                row.Model.Report.TrainingLogLikelihood.Should().BeGreaterThanOrEqualTo(single.Report.TrainingLogLikelihood, row.Name);
            }
        }
    }

    [Fact]
    public void The_hierarchical_start_built_once_for_the_grid_equals_the_estimator_s_own()
    {
        var data = TestData.Iris(out _);
        var template = new GaussianMixtureOptions { ComponentCount = 1, Seed = 4 };
        var search = ModelSearch.Gaussian(data, [2, 3], [CovarianceType.Full, CovarianceType.Diagonal], template, starts: [InitializationMethod.ModelBasedHierarchical]);
        foreach (var row in search.Rows)
        {
            var own = new GaussianMixture(template with
            {
                ComponentCount = row.Candidate.ComponentCount,
                CovarianceType = row.Candidate.CovarianceType!.Value,
                Initialization = InitializationMethod.ModelBasedHierarchical,
            }).Fit(data);
            row.Model!.Weights.Should().Equal(own.Weights, row.Name);
            row.Model.Report.TrainingLogLikelihood.Should().Be(own.Report.TrainingLogLikelihood, row.Name);
        }
    }

    [Fact]
    public void A_prior_per_component_count_reaches_each_cell()
    {
        var data = TestData.Faithful();
        var priors = new Dictionary<int, CovariancePrior>();
        var candidates = ModelCandidate.GaussianGrid([1, 2, 3], [CovarianceType.Tied], priorForComponentCount: k => priors[k] = CovariancePrior.FromData(data, k));
        candidates.Should().HaveCount(3);
        foreach (var candidate in candidates)
        {
            ((GaussianMixtureOptions)candidate.Options).CovariancePrior.Should().BeSameAs(priors[candidate.ComponentCount]);
        }
    }

    [Fact]
    public void An_empty_or_undefined_start_list_is_named()
    {
        ((Action)(() => ModelCandidate.GaussianGrid([2], AllTypes, starts: []))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("starts");
        ((Action)(() => ModelCandidate.GaussianGrid([2], AllTypes, starts: [(InitializationMethod)99]))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("starts");
    }
}
