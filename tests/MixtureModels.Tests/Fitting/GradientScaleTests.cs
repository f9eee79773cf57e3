using MixtureModels.Components.Gaussian;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The gradient algorithms on data as it comes, with columns on very different scales: they reach the optimum EM
/// reaches from the same start (L-BFGS to 1e-6 relative, Adam to 1e-3), and their iterates do not depend on the units
/// of the columns (the optimisation runs in standardised coordinates).
/// </summary>
public sealed class GradientScaleTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    [Theory]
    [MemberData(nameof(Types))]
    public void On_unscaled_wine_Lbfgs_reaches_the_EM_optimum_to_1e_6_relative(CovarianceType type)
    {
        var x = TestData.Wine(out _);
        var (em, options) = EmOptimum(x, type);

        var lbfgs = new GaussianMixture(options with { Algorithm = FittingAlgorithm.Lbfgs, MaxIterations = 3000 }).Fit(x);

        lbfgs.Converged.Should().BeTrue();
        double reference = em.MeanLogLikelihood(x);
        Math.Abs(lbfgs.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-6 * Math.Abs(reference));
        Objective(lbfgs, x).Should().BeGreaterThanOrEqualTo(Objective(em, x) - (1e-9 * Math.Abs(reference)), "L-BFGS maximises the same posterior EM does");
        ResponsibilityDistance(em, lbfgs, x).Should().BeLessThan(1e-3);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void On_unscaled_wine_Adam_reaches_the_EM_optimum_to_1e_3_relative(CovarianceType type)
    {
        var x = TestData.Wine(out _);
        var (em, options) = EmOptimum(x, type);

        var adam = new GaussianMixture(options with { Algorithm = FittingAlgorithm.Adam, MaxIterations = 3000 }).Fit(x);

        double reference = em.MeanLogLikelihood(x);
        Math.Abs(adam.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-3 * Math.Abs(reference));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void On_columns_of_scale_1e_minus_3_1_and_1e3_Lbfgs_and_Adam_reach_the_EM_optimum(CovarianceType type)
    {
        var x = ThreeScales(1e-3, 1, 1e3);
        var (em, options) = EmOptimum(x, type);

        var lbfgs = new GaussianMixture(options with { Algorithm = FittingAlgorithm.Lbfgs, MaxIterations = 3000 }).Fit(x);
        var adam = new GaussianMixture(options with { Algorithm = FittingAlgorithm.Adam, MaxIterations = 3000 }).Fit(x);

        double reference = em.MeanLogLikelihood(x);
        lbfgs.Converged.Should().BeTrue();
        Math.Abs(lbfgs.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-6 * Math.Abs(reference));
        Math.Abs(adam.MeanLogLikelihood(x) - reference).Should().BeLessThanOrEqualTo(1e-3 * Math.Abs(reference));
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    public void Lbfgs_takes_the_same_path_whatever_the_units_of_the_columns(CovarianceType type)
    {
        // The same data in two sets of units, from the same start mapped exactly: the log-likelihood differs by the
        // constant Σ log scale_j, and the optimiser (in standardised coordinates) takes the same steps.
        var unit = ThreeScales(1, 1, 1);
        double[] scales = [1e-3, 1, 1e3];
        var scaled = ThreeScales(1e-3, 1, 1e3);
        var start = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 4, MaxIterations = 1, Tolerance = 0, CovarianceRegularization = 0 }).Fit(unit);
        var scaledStart = start.Components.Select(c => Scale(c, scales)).ToArray();
        var family = GaussianFamily.Create(type, 3, 0);
        var settings = new GradientSettings(GradientMethod.Lbfgs, 500, 1e-9, 1e-14, 0, 0, 1, 0);

        var a = GradientFitter.Fit(family, MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(unit), null, [.. start.Weights], [.. start.Components], settings, 0, null, CancellationToken.None);
        var b = GradientFitter.Fit(family, MaximumLikelihoodWeights.Instance, DataMatrix.FromArray(scaled), null, [.. start.Weights], scaledStart, settings, 0, null, CancellationToken.None);

        double shift = scales.Sum(Math.Log);
        b.LowerBound.Should().BeApproximately(a.LowerBound - shift, 1e-9 * Math.Abs(a.LowerBound));
        Math.Abs(b.Iterations - a.Iterations).Should().BeLessThanOrEqualTo(Math.Max(3, a.Iterations / 10));
        for (int i = 0; i < Math.Min(10, Math.Min(a.LowerBoundHistory.Length, b.LowerBoundHistory.Length)); i++)
        {
            b.LowerBoundHistory[i].Should().BeApproximately(a.LowerBoundHistory[i] - shift, 1e-8 * Math.Abs(a.LowerBoundHistory[i]), $"iteration {i + 1}");
        }
    }

    /// <summary>EM to its optimum (tolerance 1e-13) with the prior from the data, no reg_covar, and those options.</summary>
    private static (GaussianMixtureModel Em, GaussianMixtureOptions Options) EmOptimum(double[,] x, CovarianceType type)
    {
        var options = new GaussianMixtureOptions
        {
            ComponentCount = 3,
            CovarianceType = type,
            Seed = 0,
            CovarianceRegularization = 0,
            CovariancePrior = Reference.IsotropicPrior(x, 3),
        };
        var em = new GaussianMixture(options with { MaxIterations = 20000, Tolerance = 1e-13 }).Fit(x);
        em.Converged.Should().BeTrue();
        return (em, options);
    }

    /// <summary>The penalised objective both algorithms maximise: mean log-likelihood + log prior / N.</summary>
    private static double Objective(GaussianMixtureModel model, double[,] x)
    {
        var family = GaussianFamily.Create(model.Components[0] switch
        {
            SphericalGaussian => CovarianceType.Spherical,
            DiagonalGaussian => CovarianceType.Diagonal,
            _ => model.GetCovariance(0).Equals(model.GetCovariance(1)) ? CovarianceType.Tied : CovarianceType.Full,
        }, x.GetLength(1), 0, Reference.IsotropicPrior(x, model.ComponentCount));
        return model.MeanLogLikelihood(x) + (family.LogPrior([.. model.Components]) / x.GetLength(0));
    }

    /// <summary>The largest difference of two models' responsibilities, under the best matching of their labels.</summary>
    private static double ResponsibilityDistance(GaussianMixtureModel a, GaussianMixtureModel b, double[,] x)
    {
        var ra = a.PredictProbabilities(x);
        var rb = b.PredictProbabilities(x);
        int k = a.ComponentCount;
        double best = double.PositiveInfinity;
        foreach (var permutation in Permutations(Enumerable.Range(0, k).ToArray()))
        {
            double worst = 0;
            for (int i = 0; i < x.GetLength(0); i++)
            {
                for (int j = 0; j < k; j++)
                {
                    worst = Math.Max(worst, Math.Abs(ra[i, j] - rb[i, permutation[j]]));
                }
            }

            best = Math.Min(best, worst);
        }

        return best;
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }

        for (int i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var tail in Permutations(rest))
            {
                yield return [items[i], .. tail];
            }
        }
    }

    /// <summary>300 rows × 3 columns, three correlated clusters, column j multiplied by scales[j].</summary>
    private static double[,] ThreeScales(double s0, double s1, double s2)
    {
        var random = new Random(8);
        double[][] centres = [[0, 0, 0], [3, -2, 1], [-2, 3, 4]];
        var x = new double[300, 3];
        for (int i = 0; i < 300; i++)
        {
            var c = centres[i % 3];
            double z0 = Gaussian(random), z1 = Gaussian(random), z2 = Gaussian(random);
            x[i, 0] = s0 * (c[0] + z0);
            x[i, 1] = s1 * (c[1] + (0.6 * z0) + (0.8 * z1));
            x[i, 2] = s2 * (c[2] + (0.3 * z1) + (0.5 * z2) + (0.2 * (i % 3) * z0));
        }

        return x;
    }

    /// <summary>The component of the data with column j multiplied by scales[j].</summary>
    private static GaussianComponent Scale(GaussianComponent component, double[] scales)
    {
        var mean = component.Mean.ToArray().Select((m, j) => m * scales[j]).ToArray();
        var covariance = component.GetCovariance();
        int d = scales.Length;
        if (component is DiagonalGaussian diagonal)
        {
            return DiagonalGaussian.WithMeanVariances(mean, diagonal.Variances.ToArray().Select((v, j) => v * scales[j] * scales[j]).ToArray());
        }

        var scaledCovariance = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                scaledCovariance[i, j] = covariance[i, j] * scales[i] * scales[j];
            }
        }

        FullGaussian.TryCreate(mean, [.. scaledCovariance.Cast<double>()], out var full).Should().BeTrue();
        return full;
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
