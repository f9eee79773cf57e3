using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components.Gaussian;
using MixtureModels.Selection;

namespace MixtureModels.Tests.Selection;

/// <summary>Monte Carlo KL divergence and the held-out log-likelihood ratio.</summary>
public sealed class MixtureComparisonTests
{
    /// <summary>KL(N0‖N1) = ½[tr(Σ1⁻¹Σ0) + (μ1 − μ0)ᵀΣ1⁻¹(μ1 − μ0) − D + ln det Σ1 − ln det Σ0].</summary>
    private static double ClosedForm(double[] mean0, Matrix<double> cov0, double[] mean1, Matrix<double> cov1)
    {
        var inverse = cov1.Inverse();
        var diff = Vector<double>.Build.DenseOfArray(mean1) - Vector<double>.Build.DenseOfArray(mean0);
        return 0.5 * ((inverse * cov0).Trace() + (diff * inverse * diff) - mean0.Length + Math.Log(cov1.Determinant()) - Math.Log(cov0.Determinant()));
    }

    [Fact]
    public void Kl_of_a_model_against_itself_and_against_its_saved_copy_is_zero_within_its_error()
    {
        var model = new GaussianMixture(3).Fit(TestData.Faithful());
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var copy = GaussianMixtureModel.Load(stream);
        foreach (var other in new[] { model, copy })
        {
            var kl = MixtureComparison.KullbackLeibler(model, other, 4000, seed: 9);
            Math.Abs(kl.Value).Should().BeLessThanOrEqualTo(kl.StandardError);
            kl.SampleCount.Should().Be(4000);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Kl_of_single_gaussians_matches_the_closed_form_within_three_standard_errors(int seed)
    {
        double[] mean0 = [0.5, -1.0, 2.0], mean1 = [1.0, 0.0, 1.5];
        var cov0 = Matrix<double>.Build.DenseOfArray(new[,] { { 2.0, 0.3, 0.1 }, { 0.3, 1.0, -0.2 }, { 0.1, -0.2, 0.5 } });
        var cov1 = Matrix<double>.Build.DenseOfArray(new[,] { { 1.0, -0.1, 0.0 }, { -0.1, 1.5, 0.4 }, { 0.0, 0.4, 1.2 } });
        var p = new MixtureModel<FullGaussian>([1.0], [FullGaussian.WithMeanCovariance(mean0, cov0)]);
        var q = new MixtureModel<FullGaussian>([1.0], [FullGaussian.WithMeanCovariance(mean1, cov1)]);
        double exact = ClosedForm(mean0, cov0, mean1, cov1);

        var kl = MixtureComparison.KullbackLeibler(p, q, 20_000, seed);
        kl.StandardError.Should().BeGreaterThan(0);
        Math.Abs(kl.Value - exact).Should().BeLessThan(3 * kl.StandardError);

        // A bare component is a distribution too, and the reverse direction differs.
        var reverse = MixtureComparison.KullbackLeibler(q.Components[0], p.Components[0], 20_000, seed);
        Math.Abs(reverse.Value - ClosedForm(mean1, cov1, mean0, cov0)).Should().BeLessThan(3 * reverse.StandardError);
    }

    [Fact]
    public void Kl_depends_only_on_the_seed_and_the_sample_count()
    {
        var data = TestData.Faithful();
        var p = new GaussianMixture(2).Fit(data);
        var q = new GaussianMixture(2, CovarianceType.Spherical).Fit(data);
        MixtureComparison.KullbackLeibler(p, q, 3000, 4).Should().Be(MixtureComparison.KullbackLeibler(p, q, 3000, 4));
        MixtureComparison.KullbackLeibler(p, q, 3000, 5).Value.Should().NotBe(MixtureComparison.KullbackLeibler(p, q, 3000, 4).Value);
        MixtureComparison.KullbackLeibler(p, q, 3000, 4).Value.Should().BeGreaterThan(0);
    }

    [Fact]
    public void The_log_likelihood_ratio_is_the_mean_difference_of_log_densities_with_its_standard_error()
    {
        var data = TestData.Faithful();
        int n = data.GetLength(0);
        var train = new double[n / 2, 2];
        var test = new double[n - (n / 2), 2];
        for (int i = 0; i < n; i++)
        {
            var target = i % 2 == 0 ? train : test;
            target[i / 2, 0] = data[i, 0];
            target[i / 2, 1] = data[i, 1];
        }

        var p = new GaussianMixture(2).Fit(train);
        var q = new GaussianMixture(1).Fit(train);
        var result = MixtureComparison.LogLikelihoodRatio(p, q, test);

        var d = p.LogDensity(test).Zip(q.LogDensity(test), (a, b) => a - b).ToArray();
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        result.RowCount.Should().Be(test.GetLength(0));
        result.MeanPerRow.Should().BeApproximately(mean, 1e-12 * Math.Abs(mean));
        result.Total.Should().BeApproximately(d.Sum(), 1e-10 * Math.Abs(d.Sum()));
        result.StandardError.Should().BeApproximately(sd / Math.Sqrt(d.Length), 1e-12);
        result.MeanPerRow.Should().BeGreaterThan(0, "two components describe Old Faithful's held-out eruptions far better than one");
        result.ZScore.Should().BeGreaterThan(3);
        result.MeanPerRow.Should().BeApproximately(p.MeanLogLikelihood(test) - q.MeanLogLikelihood(test), 1e-10);

        var self = MixtureComparison.LogLikelihoodRatio(p, p, test);
        self.MeanPerRow.Should().Be(0);
        self.StandardError.Should().Be(0);
    }

    [Fact]
    public void Weights_scale_rows_as_repetition_does_for_the_mean()
    {
        var data = TestData.Faithful();
        var p = new GaussianMixture(2).Fit(data);
        var q = new GaussianMixture(2, CovarianceType.Diagonal).Fit(data);
        var rows = new double[,] { { 2.0, 55 }, { 4.5, 80 }, { 3.5, 70 } };
        var repeated = new double[,] { { 2.0, 55 }, { 4.5, 80 }, { 4.5, 80 }, { 3.5, 70 } };
        var weighted = MixtureComparison.LogLikelihoodRatio(p, q, rows, [1, 2, 1]);
        var plain = MixtureComparison.LogLikelihoodRatio(p, q, repeated);
        weighted.MeanPerRow.Should().BeApproximately(plain.MeanPerRow, 1e-12);
        weighted.Total.Should().BeApproximately(plain.Total, 1e-11);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var data = TestData.Faithful();
        var p = new GaussianMixture(1).Fit(data);
        var q1 = new MixtureModel<FullGaussian>([1.0], [FullGaussian.WithMeanCovariance([0.0], Matrix<double>.Build.DenseIdentity(1))]);
        ((Action)(() => MixtureComparison.KullbackLeibler(p, q1))).Should().Throw<ArgumentException>().WithParameterName("q").WithMessage("*dimension 1*");
        ((Action)(() => MixtureComparison.KullbackLeibler(p, p, 1))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("sampleCount");
        ((Action)(() => MixtureComparison.KullbackLeibler(null!, p))).Should().Throw<ArgumentNullException>();
        ((Action)(() => MixtureComparison.LogLikelihoodRatio(p, p, new double[,] { { 1, 2, 3 } }))).Should().Throw<ArgumentException>().WithParameterName("heldOut");
        ((Action)(() => MixtureComparison.LogLikelihoodRatio(p, p, new double[,] { { 1, 2 } }))).Should().Throw<ArgumentException>().WithParameterName("heldOut").WithMessage("*at least 2*");
        ((Action)(() => MixtureComparison.LogLikelihoodRatio(p, p, data, [1.0]))).Should().Throw<ArgumentException>().WithParameterName("sampleWeights");
    }
}
