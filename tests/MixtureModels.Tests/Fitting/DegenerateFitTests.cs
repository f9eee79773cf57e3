using MathNet.Numerics.Distributions;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Fitting;

/// <summary>Degenerate components are detected per component, and restarts keep a sound fit over a degenerate one.</summary>
public sealed class DegenerateFitTests
{
    /// <summary>A broad cloud of <paramref name="cloudRows"/> 2-D rows around the origin plus <paramref name="duplicates"/> copies of one far row.</summary>
    private static double[,] CloudWithDuplicates(int cloudRows, int duplicates, double far, int seed = 1)
    {
        var random = new Random(seed);
        var data = new double[cloudRows + duplicates, 2];
        for (int i = 0; i < cloudRows; i++)
        {
            data[i, 0] = Normal.Sample(random, 0, 1);
            data[i, 1] = Normal.Sample(random, 0, 1);
        }

        for (int i = cloudRows; i < cloudRows + duplicates; i++)
        {
            data[i, 0] = far;
            data[i, 1] = far;
        }

        return data;
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void A_component_collapsed_onto_repeated_rows_is_flagged_at_the_floor_and_the_cloud_is_not(CovarianceType type)
    {
        var data = CloudWithDuplicates(200, 6, 20);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = type }).Fit(data);

        int collapsed = model.GetMeans()[0, 0] > 10 ? 0 : 1;
        model.GetCovariance(collapsed)[0, 0].Should().BeLessThan(1e-5, "the component sits on identical rows, so only reg_covar holds its variance up");
        model.Report.ComponentDegeneracies[collapsed].Should().HaveFlag(ComponentDegeneracy.VarianceAtFloor);
        model.Report.ComponentDegeneracies[1 - collapsed].Should().Be(ComponentDegeneracy.None);
        model.Report.IsDegenerate.Should().BeTrue();
        model.Report.ComponentRowCounts[collapsed].Should().BeApproximately(6, 1e-6);
        model.Report.ComponentRowCounts.Sum().Should().BeApproximately(206, 1e-9);
    }

    [Fact]
    public void A_component_on_a_single_row_has_too_few_rows_as_well()
    {
        var data = CloudWithDuplicates(100, 1, 30);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal }).Fit(data);

        int single = model.GetMeans()[0, 0] > 10 ? 0 : 1;
        model.Report.ComponentDegeneracies[single].Should().Be(ComponentDegeneracy.VarianceAtFloor | ComponentDegeneracy.TooFewRows);
    }

    [Fact]
    public void Full_covariance_on_collinear_rows_is_singular_in_one_direction()
    {
        // Three distinct far rows on a line: the scatter has rank 1 < D, though no variance on the diagonal is small.
        var data = CloudWithDuplicates(150, 0, 0);
        var rows = new double[153, 2];
        for (int i = 0; i < 150; i++)
        {
            rows[i, 0] = data[i, 0];
            rows[i, 1] = data[i, 1];
        }

        for (int i = 0; i < 3; i++)
        {
            rows[150 + i, 0] = 40 + i;
            rows[150 + i, 1] = 40 + (2 * i);
        }

        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2 }).Fit(rows);
        int line = model.GetMeans()[0, 0] > 10 ? 0 : 1;
        model.GetCovariance(line)[0, 0].Should().BeGreaterThan(0.5);
        model.Report.ComponentDegeneracies[line].Should().HaveFlag(ComponentDegeneracy.VarianceAtFloor);
        model.Report.ComponentRowCounts[line].Should().BeApproximately(3, 1e-6, "three rows, the fewest a full 2-D covariance can rest on, so only the floor flags it");
    }

    [Fact]
    public void Well_separated_clusters_give_a_sound_fit()
    {
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 3 }).Fit(TestData.Faithful());
        model.Report.IsDegenerate.Should().BeFalse();
        model.Report.ComponentDegeneracies.Should().HaveCount(2).And.OnlyContain(d => d == ComponentDegeneracy.None);
        model.Report.DegenerateInitializations.Should().HaveCount(3).And.OnlyContain(d => !d);
    }

    [Fact]
    public void Restarts_keep_a_sound_fit_although_a_degenerate_one_has_a_larger_likelihood()
    {
        // A 1-D cloud and ten copies of one far value. A restart whose random start row is one of the copies collapses a
        // component onto them (variance at reg_covar, a likelihood spike); the others split the cloud. Some seed gives both.
        var random = new Random(3);
        var data = new double[210, 1];
        for (int i = 0; i < 200; i++)
        {
            data[i, 0] = Normal.Sample(random, 0, 1);
        }

        for (int i = 200; i < 210; i++)
        {
            data[i, 0] = 8;
        }

        GaussianMixtureModel? mixed = null;
        for (int seed = 0; seed < 20 && mixed is null; seed++)
        {
            var model = new GaussianMixture(new GaussianMixtureOptions
            {
                ComponentCount = 2,
                InitializationCount = 12,
                Initialization = InitializationMethod.RandomFromData,
                Seed = seed,
            }).Fit(data);
            var degenerate = model.Report.DegenerateInitializations;
            if (degenerate.Contains(true) && degenerate.Contains(false))
            {
                mixed = model;
            }
        }

        mixed.Should().NotBeNull("some seed gives both a collapsed and a sound restart");
        var report = mixed!.Report;
        report.IsDegenerate.Should().BeFalse();
        report.DegenerateInitializations[report.BestInitialization].Should().BeFalse();
        double bestDegenerate = Enumerable.Range(0, report.InitializationLowerBounds.Count)
            .Where(i => report.DegenerateInitializations[i])
            .Max(i => report.InitializationLowerBounds[i]);
        bestDegenerate.Should().BeGreaterThan(report.LowerBound, "the collapsed restart has the larger likelihood, which the old rule would have kept");
        double bestSound = Enumerable.Range(0, report.InitializationLowerBounds.Count)
            .Where(i => !report.DegenerateInitializations[i])
            .Max(i => report.InitializationLowerBounds[i]);
        report.InitializationLowerBounds[report.BestInitialization].Should().Be(bestSound);
        Math.Sqrt(mixed.GetCovariance(0)[0, 0]).Should().BeGreaterThan(0.1);
        Math.Sqrt(mixed.GetCovariance(1)[0, 0]).Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void Every_restart_degenerate_keeps_the_best_of_them_and_says_so()
    {
        var data = CloudWithDuplicates(200, 6, 20);
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 2, InitializationCount = 3 }).Fit(data);
        model.Report.DegenerateInitializations.Should().OnlyContain(d => d);
        model.Report.IsDegenerate.Should().BeTrue();
        model.Report.InitializationLowerBounds[model.Report.BestInitialization].Should().Be(model.Report.InitializationLowerBounds.Max());
    }

    [Fact]
    public void A_prior_keeps_the_collapsed_component_off_the_floor()
    {
        var data = CloudWithDuplicates(200, 6, 20);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 2,
            CovarianceType = CovarianceType.Diagonal,
            CovariancePrior = CovariancePrior.FromData(data, 2),
        }).Fit(data);
        model.Report.ComponentDegeneracies.Should().OnlyContain(d => (d & ComponentDegeneracy.VarianceAtFloor) == 0);
    }

    [Fact]
    public void Families_without_the_capability_get_the_generic_rule()
    {
        // Bernoulli has a bounded likelihood: only a component with less than one effective row is flagged.
        double[,] images = { { 1, 0, 1, 1 }, { 1, 0, 1, 0 }, { 0, 1, 0, 0 }, { 0, 1, 1, 0 }, { 1, 0, 1, 1 }, { 0, 1, 0, 0 } };
        var model = new BernoulliMixture(2).Fit(images);
        model.Report.ComponentDegeneracies.Should().HaveCount(2);
        for (int k = 0; k < 2; k++)
        {
            bool expected = model.Report.ComponentRowCounts[k] < 1;
            model.Report.ComponentDegeneracies[k].Should().Be(expected ? ComponentDegeneracy.TooFewRows : ComponentDegeneracy.None);
        }
    }

    [Fact]
    public void The_check_names_a_span_of_the_wrong_length()
    {
        var family = GaussianFamily.Create(CovarianceType.Full, 1, 1e-6);
        var component = FullGaussian.WithMeanCovariance([0.0], MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(1));
        var act = () => family.CheckDegeneracy([component], [1.0, 2.0], new ComponentDegeneracy[1]);
        act.Should().Throw<ArgumentException>().WithParameterName("effectiveRowCounts").WithMessage("*one row count per component*");
    }

    [Fact]
    public void Student_t_and_product_families_answer_too()
    {
        var data = CloudWithDuplicates(200, 6, 20);
        var t = new StudentTMixture(new StudentTMixtureOptions { ComponentCount = 2 }).Fit(data);
        t.Report.ComponentDegeneracies.Should().ContainSingle(d => (d & ComponentDegeneracy.VarianceAtFloor) != 0);

        var product = new ProductMixture(new ProductMixtureOptions { ComponentCount = 2, Marginals = [Marginal.Normal(0), Marginal.Normal(1)] }).Fit(data);
        product.Report.ComponentDegeneracies.Should().ContainSingle(d => (d & ComponentDegeneracy.VarianceAtFloor) != 0);
    }
}
