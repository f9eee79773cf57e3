using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.StudentT;
using Xunit.Abstractions;

namespace MixtureModels.Tests.Components.StudentT;

public sealed class StudentTGradientTests
{
    private const double Tolerance = 1e-6;
    private readonly ITestOutputHelper _output;

    public StudentTGradientTests(ITestOutputHelper output) => _output = output;

    private static StudentTComponent[] RandomComponents(Random random, int k, int d, CovarianceType type)
    {
        var result = new StudentTComponent[k];
        for (int c = 0; c < k; c++)
        {
            var mean = Enumerable.Range(0, d).Select(_ => (random.NextDouble() * 4) - 2).ToArray();
            var a = Matrix<double>.Build.Dense(d, d, (_, _) => random.NextDouble() - 0.5);
            var scale = type switch
            {
                CovarianceType.Diagonal => Matrix<double>.Build.DenseOfDiagonalArray(Enumerable.Range(0, d).Select(_ => 0.5 + random.NextDouble()).ToArray()),
                CovarianceType.Spherical => Matrix<double>.Build.DenseIdentity(d) * (0.5 + random.NextDouble()),
                _ => (a * a.Transpose()) + (Matrix<double>.Build.DenseIdentity(d) * 0.7),
            };
            result[c] = StudentTComponent.Create(mean, scale, 1.5 + (8 * random.NextDouble()));
        }

        return result;
    }

    private static double[] RandomRows(Random random, int n, int d, double missing)
    {
        var rows = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            // heavy-tailed rows, at least one entry observed per row
            double g = random.NextDouble() < 0.15 ? 0.1 : 1;
            for (int j = 0; j < d; j++)
            {
                rows[(i * d) + j] = ((random.NextDouble() * 4) - 2) / Math.Sqrt(g);
            }

            for (int j = 1; j < d; j++)
            {
                if (random.NextDouble() < missing)
                {
                    rows[(i * d) + j] = double.NaN;
                }
            }
        }

        return rows;
    }

    public static TheoryData<CovarianceType, DegreesOfFreedomEstimation, bool> Cases()
    {
        var data = new TheoryData<CovarianceType, DegreesOfFreedomEstimation, bool>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Diagonal, CovarianceType.Spherical, CovarianceType.Tied })
        {
            foreach (var mode in new[] { DegreesOfFreedomEstimation.PerComponent, DegreesOfFreedomEstimation.Shared, DegreesOfFreedomEstimation.Fixed })
            {
                data.Add(type, mode, false);
            }

            data.Add(type, DegreesOfFreedomEstimation.PerComponent, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences_of_the_log_likelihood(CovarianceType type, DegreesOfFreedomEstimation mode, bool incomplete)
    {
        var random = new Random(((int)type * 10) + (int)mode + (incomplete ? 100 : 0));
        const int d = 3, k = 2;
        var family = new StudentTFamily(d, 1e-6, 5, mode, type);
        var components = RandomComponents(random, k, d, type);
        if (type == CovarianceType.Tied)
        {
            // one shared scale, as the family builds it
            components[1] = StudentTComponent.Create(components[1].Mean, components[0].GetScale(), components[1].DegreesOfFreedom);
        }

        var rows = RandomRows(random, 60, d, incomplete ? 0.3 : 0);
        var c = ReparameterizationCheck.Weights(random, 60, k);
        double error = ReparameterizationCheck.MaxRelativeGradientError(family, components, rows, d, c, incomplete, withReference: true);
        _output.WriteLine($"{type} {mode} incomplete={incomplete}: max relative error {error:E2}");
        error.Should().BeLessThan(Tolerance);
    }

    [Theory]
    [InlineData(CovarianceType.Full, DegreesOfFreedomEstimation.PerComponent)]
    [InlineData(CovarianceType.Diagonal, DegreesOfFreedomEstimation.Shared)]
    [InlineData(CovarianceType.Spherical, DegreesOfFreedomEstimation.PerComponent)]
    [InlineData(CovarianceType.Tied, DegreesOfFreedomEstimation.Shared)]
    public void Round_trip_is_exact_to_rounding(CovarianceType type, DegreesOfFreedomEstimation mode)
    {
        var random = new Random(7);
        var family = new StudentTFamily(3, 1e-6, 5, mode, type);
        IReparameterization<StudentTComponent, StudentTStatistics> re = family;
        var components = RandomComponents(random, 2, 3, type);
        if (type == CovarianceType.Tied)
        {
            components[1] = StudentTComponent.Create(components[1].Mean, components[0].GetScale(), components[1].DegreesOfFreedom);
        }

        if (mode == DegreesOfFreedomEstimation.Shared)
        {
            components[1] = StudentTComponent.Create(components[1].Mean, components[1].GetScale(), components[0].DegreesOfFreedom);
        }

        var u = new double[re.UnconstrainedLength(2)];
        u.Length.Should().Be(family.ParameterCount(2));
        re.ToUnconstrained(components, u);
        var back = new StudentTComponent[2];
        re.TryFromUnconstrained(u, back).Should().BeTrue();
        for (int c = 0; c < 2; c++)
        {
            back[c].DegreesOfFreedom.Should().BeApproximately(components[c].DegreesOfFreedom, 1e-13 * components[c].DegreesOfFreedom);
            for (int i = 0; i < 3; i++)
            {
                back[c].Mean[i].Should().Be(components[c].Mean[i]);
                for (int j = 0; j < 3; j++)
                {
                    back[c].GetScale()[i, j].Should().BeApproximately(components[c].GetScale()[i, j], 1e-12);
                }
            }
        }

        re.TryFromUnconstrained(u.Select(_ => double.NaN).ToArray(), back).Should().BeFalse();
    }

    private static double[,] Clusters(int seed)
    {
        var random = new Random(seed);
        var x = new double[240, 2];
        for (int n = 0; n < 240; n++)
        {
            double g = n % 10 == 0 ? 0.05 : 1;
            double cx = n % 2 == 0 ? 0 : 7;
            x[n, 0] = cx + (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) / Math.Sqrt(g));
            x[n, 1] = (Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) / Math.Sqrt(g)) - (0.3 * cx);
        }

        return x;
    }

    [Theory]
    [InlineData(FittingAlgorithm.Lbfgs, DegreesOfFreedomEstimation.PerComponent)]
    [InlineData(FittingAlgorithm.ExpectationMaximizationThenLbfgs, DegreesOfFreedomEstimation.Shared)]
    public void Lbfgs_reaches_the_likelihood_EM_converges_to(FittingAlgorithm algorithm, DegreesOfFreedomEstimation mode)
    {
        var x = Clusters(3);
        var options = new StudentTMixtureOptions { ComponentCount = 2, DegreesOfFreedomEstimation = mode, Seed = 1, Tolerance = 1e-12, MaxIterations = 2000, CovarianceRegularization = 0 };
        var em = new StudentTMixture(options).Fit(x);
        var gradient = new StudentTMixture(options with { Algorithm = algorithm, MaxIterations = 500 }).Fit(x);
        _output.WriteLine($"EM {em.LowerBound:R}, {algorithm} {gradient.LowerBound:R}; ν EM {string.Join(", ", em.GetDegreesOfFreedom())}, gradient {string.Join(", ", gradient.GetDegreesOfFreedom())}");
        gradient.LowerBound.Should().BeApproximately(em.LowerBound, 1e-6);
        gradient.Report.TrainingLogLikelihood.Should().BeApproximately(gradient.MeanLogLikelihood(x), 1e-12);
        var order = gradient.GetMeans()[0, 0] < gradient.GetMeans()[1, 0] == em.GetMeans()[0, 0] < em.GetMeans()[1, 0] ? new[] { 0, 1 } : [1, 0];
        for (int c = 0; c < 2; c++)
        {
            gradient.GetDegreesOfFreedom()[order[c]].Should().BeApproximately(em.GetDegreesOfFreedom()[c], 1e-2 * em.GetDegreesOfFreedom()[c]);
        }
    }

    [Fact]
    public void A_fixed_nu_stays_fixed_under_Adam()
    {
        var x = Clusters(4);
        var model = new StudentTMixture(new StudentTMixtureOptions
        {
            ComponentCount = 2,
            DegreesOfFreedom = 3.5,
            DegreesOfFreedomEstimation = DegreesOfFreedomEstimation.Fixed,
            Algorithm = FittingAlgorithm.Adam,
            MaxIterations = 30,
            Seed = 2,
        }).Fit(x);
        model.GetDegreesOfFreedom().Should().AllBeEquivalentTo(3.5);
        double.IsFinite(model.LowerBound).Should().BeTrue();
    }

    [Fact]
    public void Gradient_fits_run_on_data_with_missing_entries()
    {
        var x = Clusters(5);
        var random = new Random(5);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            if (random.NextDouble() < 0.2)
            {
                x[n, random.Next(2)] = double.NaN;
            }
        }

        var options = new StudentTMixtureOptions { ComponentCount = 2, Seed = 1, Tolerance = 1e-12, MaxIterations = 2000, MissingValues = MissingValueHandling.Marginalize };
        var em = new StudentTMixture(options).Fit(x);
        var lbfgs = new StudentTMixture(options with { Algorithm = FittingAlgorithm.ExpectationMaximizationThenLbfgs, MaxIterations = 300 }).Fit(x);
        lbfgs.LowerBound.Should().BeGreaterThanOrEqualTo(em.LowerBound - 1e-7);
    }
}
