namespace MixtureModels.Tests.Fitting;

/// <summary>A fit depends only on the ratios of the sample weights: multiplying them all by c changes nothing.</summary>
public sealed class SampleWeightScaleTests
{
    public static TheoryData<CovarianceType, double> GaussianCases()
    {
        var data = new TheoryData<CovarianceType, double>();
        foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
        {
            foreach (double c in new[] { 1e-20, 3.0, 1e250, 1e-300 })
            {
                data.Add(type, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GaussianCases))]
    public void Gaussian_fits_with_weights_times_c_equal_the_fit_with_the_weights(CovarianceType type, double c)
    {
        var x = TestData.Iris(out _);
        var weights = Enumerable.Range(0, 150).Select(i => 0.5 + ((i * 7) % 5)).ToArray();
        var scaled = weights.Select(w => w * c).ToArray();
        var untouched = (double[])scaled.Clone();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Seed = 3, InitializationCount = 2 };

        var reference = new GaussianMixture(options).Fit(x, weights);
        var model = new GaussianMixture(options).Fit(x, scaled);

        scaled.Should().Equal(untouched, "the caller's weights are not modified");
        model.IterationCount.Should().Be(reference.IterationCount);
        model.TrainingLabels.Should().Equal(reference.TrainingLabels);
        model.LowerBound.Should().BeApproximately(reference.LowerBound, 1e-12 * Math.Abs(reference.LowerBound));
        for (int k = 0; k < 3; k++)
        {
            model.Weights[k].Should().BeApproximately(reference.Weights[k], 1e-12);
            for (int j = 0; j < 4; j++)
            {
                model.Components[k].Mean[j].Should().BeApproximately(reference.Components[k].Mean[j], 1e-11 * Math.Max(1, Math.Abs(reference.Components[k].Mean[j])));
            }

            var a = model.GetCovariance(k);
            var b = reference.GetCovariance(k);
            (a - b).FrobeniusNorm().Should().BeLessThan(1e-11 * b.FrobeniusNorm());
        }

        // The data-weighted queries see the caller's weights: the mean log-likelihood is scale-free too.
        model.MeanLogLikelihood(x, scaled).Should().BeApproximately(reference.MeanLogLikelihood(x, weights), 1e-12 * Math.Abs(reference.LowerBound));
    }

    [Fact]
    public void Tiny_weights_no_longer_pull_every_mean_to_one_point()
    {
        var x = Reference.Blobs(300, 2, 3, seed: 9);
        var tiny = Enumerable.Repeat(1e-20, 300).ToArray();
        var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, Seed = 1 }).Fit(x, tiny);
        var unweighted = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, Seed = 1 }).Fit(x);

        // Weights that are all equal are no weights at all (up to rounding: the weighted path multiplies by them).
        (model.GetMeans() - unweighted.GetMeans()).FrobeniusNorm().Should().BeLessThan(1e-12 * unweighted.GetMeans().FrobeniusNorm());
        for (int k = 0; k < 3; k++)
        {
            model.Weights[k].Should().BeApproximately(unweighted.Weights[k], 1e-13);
        }
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(7.0)]
    public void Bernoulli_and_product_fits_are_scale_free_too(double c)
    {
        var random = new Random(4);
        var table = new double[200, 3];
        for (int n = 0; n < 200; n++)
        {
            int k = n % 2;
            table[n, 0] = random.NextDouble() < (k == 0 ? 0.8 : 0.2) ? 1 : 0;
            table[n, 1] = random.NextDouble() < (k == 0 ? 0.3 : 0.9) ? 1 : 0;
            table[n, 2] = (3 * k) + Reference.StandardNormal(random);
        }

        var weights = Enumerable.Range(0, 200).Select(i => 1.0 + (i % 4)).ToArray();
        var scaled = weights.Select(w => w * c).ToArray();
        var options = new ProductMixtureOptions { ComponentCount = 2, Seed = 2, Marginals = [Marginal.Bernoulli([0, 1]), Marginal.Normal(2)] };
        var reference = new ProductMixture(options).Fit(table, weights);
        var model = new ProductMixture(options).Fit(table, scaled);
        model.LowerBound.Should().BeApproximately(reference.LowerBound, 1e-12 * Math.Abs(reference.LowerBound));
        model.TrainingLabels.Should().Equal(reference.TrainingLabels);

        var binary = new double[200, 2];
        for (int n = 0; n < 200; n++)
        {
            binary[n, 0] = table[n, 0];
            binary[n, 1] = table[n, 1];
        }

        var bernoulliReference = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, Seed = 2 }).Fit(binary, weights);
        var bernoulli = new BernoulliMixture(new BernoulliMixtureOptions { ComponentCount = 2, Seed = 2 }).Fit(binary, scaled);
        (bernoulli.GetProbabilities() - bernoulliReference.GetProbabilities()).FrobeniusNorm().Should().BeLessThan(1e-12);
    }
}
