using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// When EM's lower bound never decreases, and when it may: the M-step is an exact maximisation without regularisation
/// (and with a prior, of the posterior); CovarianceRegularization adds reg·I after the maximisation, which is not, so
/// the bound can fall where a variance is of the order of reg — a column observed in a single row, for example.
/// </summary>
public sealed class LowerBoundMonotonicityTests
{
    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Tied)]
    [InlineData(CovarianceType.Diagonal)]
    [InlineData(CovarianceType.Spherical)]
    public void Without_regularisation_the_bound_never_decreases_with_missing_entries(CovarianceType type)
    {
        var data = WithMissing(observedOnceColumn: false);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 2, CovarianceType = type, CovarianceRegularization = 0, Tolerance = 0, MaxIterations = 40, Seed = 1,
            MissingValues = MissingValueHandling.Marginalize,
        }).Fit(data);

        var history = model.Report.LowerBoundHistory;
        for (int i = 1; i < history.Count; i++)
        {
            history[i].Should().BeGreaterThanOrEqualTo(history[i - 1] - (1e-12 * Math.Abs(history[i - 1])), $"iteration {i + 1}");
        }
    }

    [Fact]
    public void With_a_prior_and_no_regularisation_the_posterior_never_decreases_even_for_a_column_observed_once()
    {
        var data = WithMissing(observedOnceColumn: true);
        var prior = new CovariancePrior(1, 0.5);
        var family = GaussianFamily.Create(CovarianceType.Full, 3, 0, prior);
        var options = new MixtureOptions { ComponentCount = 2, Tolerance = 0, MaxIterations = 1, Seed = 2, MissingValues = MissingValueHandling.Marginalize };
        var current = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options).Fit(data);
        double previous = double.NegativeInfinity;
        for (int i = 0; i < 40; i++)
        {
            double posterior = (current.MeanLogLikelihood(data) * 60) + family.LogPrior([.. current.Components]);
            posterior.Should().BeGreaterThanOrEqualTo(previous - (1e-10 * Math.Abs(posterior)), $"iteration {i + 1}");
            previous = posterior;
            current = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options)
            {
                Start = new MixtureStart<GaussianComponent>([.. current.Weights], [.. current.Components]),
            }.Fit(data);
        }
    }

    [Fact]
    public void Regularisation_can_lower_the_bound_where_a_variance_is_of_its_order()
    {
        // The documented exception: the variance of the column observed once shrinks towards reg_covar, and adding
        // reg·I after each M-step moves the parameters off the maximiser, so the likelihood falls a little every time.
        var data = WithMissing(observedOnceColumn: true);
        var model = new GaussianMixture(new GaussianMixtureOptions
        {
            ComponentCount = 1, CovarianceType = CovarianceType.Full, Tolerance = 0, MaxIterations = 30, MissingValues = MissingValueHandling.Marginalize,
        }).Fit(data);

        var history = model.Report.LowerBoundHistory;
        history.Zip(history.Skip(1)).Any(p => p.Second < p.First - (1e-12 * Math.Abs(p.First))).Should().BeTrue("reg·I is added after the exact M-step");
        history.All(double.IsFinite).Should().BeTrue();
    }

    /// <summary>60 rows of three correlated columns, about 15 % of entries missing (never a whole row); optionally column 2 observed in row 0 only.</summary>
    private static double[,] WithMissing(bool observedOnceColumn)
    {
        var random = new Random(8);
        var x = new double[60, 3];
        for (int n = 0; n < 60; n++)
        {
            double z = Reference.StandardNormal(random) + (n % 2 == 0 ? 3 : -3);
            x[n, 0] = z + (0.3 * Reference.StandardNormal(random));
            x[n, 1] = (0.5 * z) + Reference.StandardNormal(random);
            x[n, 2] = (-z) + (0.7 * Reference.StandardNormal(random));
            int missing = random.Next(20);
            if (missing < 3)
            {
                x[n, missing] = double.NaN;
            }

            if (observedOnceColumn && n > 0)
            {
                x[n, 2] = double.NaN;
            }

            if (double.IsNaN(x[n, 0]) && double.IsNaN(x[n, 1]) && double.IsNaN(x[n, 2]))
            {
                x[n, 0] = z;
            }
        }

        return x;
    }
}
