using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests;

public sealed class MixtureModelTests
{
    private static MixtureModel<GaussianComponent> Mixture()
    {
        var random = new Random(1);
        var components = new GaussianComponent[]
        {
            FullGaussian.WithMeanCovariance(new[] { 0.0, 0.0, 0.0 }, Reference.RandomSpd(3, random)),
            DiagonalGaussian.WithMeanVariances(new[] { 3.0, -2.0, 1.0 }, new[] { 0.5, 2.0, 1.5 }),
            SphericalGaussian.WithMeanVariance(new[] { -4.0, 1.0, 5.0 }, 0.8),
        };
        return new MixtureModel<GaussianComponent>(new[] { 0.5, 0.2, 0.3 }, components);
    }

    private static double[,] Points(int n) => Reference.Blobs(n, 3, 3, 17);

    [Fact]
    public void Log_density_equals_the_naive_log_of_the_weighted_sum_of_densities()
    {
        var m = Mixture();
        var x = Points(600); // several 256-row blocks
        var logDensity = m.LogDensity(x);
        var block = new double[600];
        ((IComponent)m).LogDensity(Reference.ToRowMajor(x), block);

        for (int n = 0; n < 600; n++)
        {
            var row = Reference.Row(x, n);
            double expected = Reference.MixtureLogDensity(row, m.Weights, m.Components);
            logDensity[n].ShouldBeClose(expected, 1e-10, $"row {n}");
            block[n].ShouldBeClose(expected, 1e-10, $"block row {n}");
            m.LogDensity(row).ShouldBeClose(block[n], 1e-12, $"single row {n}");
        }
    }

    [Fact]
    public void Log_density_of_far_rows_is_finite_and_equals_a_log_sum_exp_reference()
    {
        var m = Mixture();
        var x = new double[,] { { 60.0, -80.0, 40.0 }, { -200.0, 150.0, 90.0 } };
        var logDensity = m.LogDensity(x);
        for (int n = 0; n < 2; n++)
        {
            var row = Reference.Row(x, n);
            var terms = Enumerable.Range(0, 3).Select(k => Math.Log(m.Weights[k]) + Reference.GaussianLogDensity(row, m.Components[k].Mean, m.Components[k].GetCovariance())).ToArray();
            double max = terms.Max();
            double expected = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
            double.IsFinite(logDensity[n]).Should().BeTrue();
            logDensity[n].ShouldBeClose(expected, 1e-10);
        }
    }

    [Fact]
    public void Responsibilities_sum_to_one_and_equal_the_naive_posterior()
    {
        var m = Mixture();
        var x = Points(300);
        var p = m.PredictProbabilities(x);
        var labels = m.Predict(x);
        var means = m.Components.Select(c => c.Mean.ToArray()).ToArray();
        var covariances = m.Components.Select(c => c.GetCovariance()).ToArray();

        for (int n = 0; n < 300; n++)
        {
            var expected = Reference.Responsibilities(Reference.Row(x, n), m.Weights, covariances, means);
            double sum = 0;
            for (int k = 0; k < 3; k++)
            {
                p[n, k].Should().BeApproximately(expected[k], 1e-10);
                sum += p[n, k];
            }

            sum.Should().BeApproximately(1.0, 1e-12);
            labels[n].Should().Be(Array.IndexOf(expected, expected.Max()));
        }
    }

    [Fact]
    public void Parameter_count_is_the_weights_plus_the_components()
    {
        Mixture().ParameterCount.Should().Be(2 + (3 + 6) + (3 + 3) + (3 + 1));
    }

    [Fact]
    public void Information_criteria_equal_their_definitions_on_the_naive_log_likelihood()
    {
        var m = Mixture();
        var x = Points(200);
        double total = Enumerable.Range(0, 200).Sum(n => Reference.MixtureLogDensity(Reference.Row(x, n), m.Weights, m.Components));
        int p = m.ParameterCount;

        m.BayesianInformationCriterion(x).ShouldBeClose((-2 * total) + (p * Math.Log(200)), 1e-10);
        m.AkaikeInformationCriterion(x).ShouldBeClose((-2 * total) + (2 * p), 1e-10);
        m.MeanLogLikelihood(x).ShouldBeClose(total / 200, 1e-10);
    }

    [Fact]
    public void Weighted_information_criteria_use_the_weighted_log_likelihood_and_the_weight_total()
    {
        var m = Mixture();
        var x = Points(120);
        var weights = Enumerable.Range(0, 120).Select(i => (i % 4) * 0.75).ToArray();
        double total = 0, n = 0;
        for (int i = 0; i < 120; i++)
        {
            total += weights[i] * Reference.MixtureLogDensity(Reference.Row(x, i), m.Weights, m.Components);
            n += weights[i];
        }

        int p = m.ParameterCount;
        m.BayesianInformationCriterion(x, weights).ShouldBeClose((-2 * total) + (p * Math.Log(n)), 1e-10);
        m.AkaikeInformationCriterion(x, weights).ShouldBeClose((-2 * total) + (2 * p), 1e-10);
        m.MeanLogLikelihood(x, weights).ShouldBeClose(total / n, 1e-10);
    }

    [Fact]
    public void Sample_has_the_right_shape_and_its_moments_approach_the_mixtures()
    {
        var m = Mixture();
        const int count = 20000;
        var sample = m.Sample(count, new Random(123));

        sample.Rows.GetLength(0).Should().Be(count);
        sample.Rows.GetLength(1).Should().Be(3);
        sample.Labels.Should().HaveCount(count).And.OnlyContain(l => l >= 0 && l < 3);
        AssertMoments(m.Weights, m.Components, sample, count);
    }

    [Fact]
    public void The_same_random_seed_gives_the_same_sample()
    {
        var m = Mixture();
        var a = m.Sample(50, new Random(7));
        var b = m.Sample(50, new Random(7));
        a.Rows.Should().BeEquivalentTo(b.Rows, o => o.WithStrictOrdering());
        a.Labels.Should().Equal(b.Labels);
    }

    /// <summary>Sample mean → Σπμ, sample covariance → Σπ(Σ_k + μμᵀ) − mmᵀ, label frequencies → π (5 standard errors).</summary>
    internal static void AssertMoments(IReadOnlyList<double> weights, IReadOnlyList<GaussianComponent> components, MixtureSample sample, int count)
    {
        int d = components[0].Dimension;
        var mean = Vector<double>.Build.Dense(d);
        var second = Matrix<double>.Build.Dense(d, d);
        for (int k = 0; k < weights.Count; k++)
        {
            var mu = Vector<double>.Build.DenseOfArray(components[k].Mean.ToArray());
            mean += weights[k] * mu;
            second += weights[k] * (components[k].GetCovariance() + mu.OuterProduct(mu));
        }

        var covariance = second - mean.OuterProduct(mean);
        var rows = Matrix<double>.Build.DenseOfArray(sample.Rows);
        var sampleMean = rows.ColumnSums() / count;
        var centred = rows - Matrix<double>.Build.Dense(count, d, (_, j) => sampleMean[j]);
        var sampleCovariance = centred.TransposeThisAndMultiply(centred) / (count - 1);

        // Fourth moments of the mixture for the standard error of the covariance entries, estimated from the sample.
        for (int i = 0; i < d; i++)
        {
            sampleMean[i].Should().BeApproximately(mean[i], 5 * Math.Sqrt(covariance[i, i] / count), $"mean {i}");
            for (int j = 0; j < d; j++)
            {
                var products = centred.Column(i).PointwiseMultiply(centred.Column(j));
                double variance = products.Select(v => (v - sampleCovariance[i, j]) * (v - sampleCovariance[i, j])).Sum() / count;
                sampleCovariance[i, j].Should().BeApproximately(covariance[i, j], 5 * Math.Sqrt(variance / count), $"covariance [{i}, {j}]");
            }
        }

        for (int k = 0; k < weights.Count; k++)
        {
            double frequency = sample.Labels.Count(l => l == k) / (double)count;
            frequency.Should().BeApproximately(weights[k], 5 * Math.Sqrt(weights[k] * (1 - weights[k]) / count), $"frequency of component {k}");
        }
    }
}
