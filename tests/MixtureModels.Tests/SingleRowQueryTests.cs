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
}
