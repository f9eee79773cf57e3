namespace MixtureModels.Tests;

public sealed class SingleRowQueryTests
{
    [Fact]
    public void Single_row_queries_equal_the_batch_queries_row_by_row()
    {
        var x = TestData.Iris(out _);
        var model = new GaussianMixture(3).Fit(x);
        var labels = model.Predict(x);
        var probabilities = model.PredictProbabilities(x);
        for (int i = 0; i < x.GetLength(0); i += 7)
        {
            double[] row = [x[i, 0], x[i, 1], x[i, 2], x[i, 3]];
            model.Predict(row).Should().Be(labels[i], $"row {i}");
            var single = model.PredictProbabilities(row);
            single.Should().HaveCount(3);
            for (int k = 0; k < 3; k++)
            {
                single[k].Should().BeApproximately(probabilities[i, k], 1e-14 * Math.Max(probabilities[i, k], 1e-300), $"row {i}, component {k}");
            }
        }
    }

    [Fact]
    public void A_row_of_the_wrong_length_or_with_NaN_is_named()
    {
        var model = new GaussianMixture(2).Fit(TestData.Faithful());
        ((Action)(() => model.Predict([1.0, 2.0, 3.0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => model.PredictProbabilities([1.0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => model.Predict([double.NaN, 2.0]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Variational_single_row_queries_equal_the_batch_queries_row_by_row()
    {
        var x = TestData.Iris(out _);
        var model = new BayesianGaussianMixture(3).Fit(x);
        var labels = model.Predict(x);
        var probabilities = model.PredictProbabilities(x);
        var densities = model.LogDensity(x);
        for (int i = 0; i < x.GetLength(0); i += 11)
        {
            double[] row = [x[i, 0], x[i, 1], x[i, 2], x[i, 3]];
            model.Predict(row).Should().Be(labels[i], $"row {i}");
            model.LogDensity(row).Should().BeApproximately(densities[i], 1e-12 * Math.Abs(densities[i]), $"row {i}");
            var single = model.PredictProbabilities(row);
            single.Sum().Should().BeApproximately(1, 1e-12);
            for (int k = 0; k < 3; k++)
            {
                single[k].Should().BeApproximately(probabilities[i, k], 1e-14 * Math.Max(probabilities[i, k], 1e-300), $"row {i}, component {k}");
            }
        }

        ((Action)(() => model.Predict([1.0, 2.0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => model.LogDensity([1.0, double.PositiveInfinity, 3.0, 4.0]))).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void A_k_means_single_row_gets_its_nearest_centre()
    {
        var x = TestData.Iris(out _);
        var model = new KMeans(3).Fit(x);
        var centres = model.GetCenters();
        var labels = model.Predict(x);
        for (int i = 0; i < x.GetLength(0); i += 5)
        {
            double[] row = [x[i, 0], x[i, 1], x[i, 2], x[i, 3]];
            int label = model.Predict(row);
            label.Should().Be(labels[i], $"row {i}");

            // Brute force: no centre is strictly nearer than the chosen one.
            var distances = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 4).Sum(j => (row[j] - centres[c, j]) * (row[j] - centres[c, j]))).ToArray();
            distances.Should().OnlyContain(distance => distance >= distances[label] - 1e-12, $"row {i}");
        }

        ((Action)(() => model.Predict([1.0, 2.0, 3.0]))).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("row");
        ((Action)(() => model.Predict([1.0, double.NaN, 3.0, 4.0]))).Should().Throw<ArgumentException>();
    }
}
