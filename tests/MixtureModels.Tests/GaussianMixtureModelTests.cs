using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests;

public sealed class GaussianMixtureModelTests
{
    public static TheoryData<CovarianceType> Types() => new() { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical };

    private static GaussianMixtureModel FitIris(CovarianceType type) => new GaussianMixture(3, type).Fit(TestData.Iris(out _));

    [Theory]
    [MemberData(nameof(Types))]
    public void Covariance_times_precision_is_identity_and_the_precision_cholesky_factors_the_inverse_covariance(CovarianceType type)
    {
        var model = FitIris(type);
        var identity = Matrix<double>.Build.DenseIdentity(4);
        for (int k = 0; k < 3; k++)
        {
            var covariance = model.GetCovariance(k);
            (covariance * model.GetPrecision(k)).ShouldBeClose(identity, 1e-9, $"Σ·Σ⁻¹ of component {k}");
            model.GetPrecision(k).ShouldBeClose(covariance.Inverse(), 1e-8, $"precision of component {k}");
            var p = model.GetPrecisionCholesky(k);
            (p * p.Transpose()).ShouldBeClose(covariance.Inverse(), 1e-8, $"P·Pᵀ of component {k}");
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    if (i > j || (i != j && type is CovarianceType.Diagonal or CovarianceType.Spherical))
                    {
                        p[i, j].Should().Be(0, $"P[{i}, {j}] of a {type} component");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Covariances_have_the_shape_of_their_type(CovarianceType type)
    {
        var model = FitIris(type);
        model.CovarianceType.Should().Be(type);
        for (int k = 0; k < 3; k++)
        {
            var c = model.GetCovariance(k);
            (c - c.Transpose()).Enumerate().Should().OnlyContain(v => v == 0, "a covariance is symmetric");
            switch (type)
            {
                case CovarianceType.Tied:
                    c.Equals(model.GetCovariance(0)).Should().BeTrue("tied components share one covariance");
                    break;
                case CovarianceType.Diagonal:
                    (c - Matrix<double>.Build.DenseOfDiagonalVector(c.Diagonal())).Enumerate().Should().OnlyContain(v => v == 0);
                    break;
                case CovarianceType.Spherical:
                    c.Equals(c[0, 0] * Matrix<double>.Build.DenseIdentity(4)).Should().BeTrue();
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Weights_and_every_row_of_the_responsibilities_sum_to_one(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var model = FitIris(type);
        model.Weights.Sum().Should().BeApproximately(1.0, 1e-12);
        model.Weights.Should().OnlyContain(w => w > 0);
        var p = model.PredictProbabilities(x);
        var means = model.Components.Select(c => c.Mean.ToArray()).ToArray();
        var covariances = model.Components.Select(c => c.GetCovariance()).ToArray();
        for (int n = 0; n < x.GetLength(0); n++)
        {
            double sum = 0;
            var expected = Reference.Responsibilities(Reference.Row(x, n), model.Weights, covariances, means);
            for (int k = 0; k < 3; k++)
            {
                p[n, k].Should().BeInRange(0, 1);
                p[n, k].Should().BeApproximately(expected[k], 1e-9);
                sum += p[n, k];
            }

            sum.Should().BeApproximately(1.0, 1e-12, $"row {n}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Log_density_equals_the_naive_mixture_density(CovarianceType type)
    {
        var x = TestData.Iris(out _);
        var model = FitIris(type);
        var logDensity = model.LogDensity(x);
        for (int n = 0; n < x.GetLength(0); n++)
        {
            var row = Reference.Row(x, n);
            logDensity[n].ShouldBeClose(Reference.MixtureLogDensity(row, model.Weights, model.Components), 1e-9, $"row {n}");
            model.LogDensity(row).ShouldBeClose(logDensity[n], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Bic_and_aic_equal_their_definitions(CovarianceType type)
    {
        var x = TestData.Faithful();
        int n = x.GetLength(0);
        var model = new GaussianMixture(2, type).Fit(x);
        double meanLogLikelihood = Enumerable.Range(0, n).Sum(i => Reference.MixtureLogDensity(Reference.Row(x, i), model.Weights, model.Components)) / n;
        int p = model.ParameterCount;

        model.MeanLogLikelihood(x).ShouldBeClose(meanLogLikelihood, 1e-10);
        model.BayesianInformationCriterion(x).ShouldBeClose((-2 * n * meanLogLikelihood) + (p * Math.Log(n)), 1e-10);
        model.AkaikeInformationCriterion(x).ShouldBeClose((-2 * n * meanLogLikelihood) + (2 * p), 1e-10);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Samples_of_a_fitted_model_approach_its_mean_and_covariance(CovarianceType type)
    {
        var model = FitIris(type);
        const int count = 20000;
        var sample = model.Sample(count, new Random(2024));
        sample.Rows.GetLength(0).Should().Be(count);
        sample.Rows.GetLength(1).Should().Be(4);
        sample.Labels.Should().HaveCount(count).And.OnlyContain(l => l >= 0 && l < 3);
        MixtureModelTests.AssertMoments(model.Weights, model.Components, sample, count);
    }
}
