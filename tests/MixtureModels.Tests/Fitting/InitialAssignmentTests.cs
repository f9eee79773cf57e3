using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// A hard start held as labels gives the M-step the same row weights, bit for bit, as the same start written out as
/// N × K ones and zeros; so a fit from labels is the fit from their one-hot responsibilities.
/// </summary>
public sealed class InitialAssignmentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Labels_give_the_row_weights_of_their_one_hot_responsibilities(bool weighted)
    {
        const int N = 300, K = 4;
        var random = new Random(3);
        var labels = Enumerable.Range(0, N - 20).Select(_ => random.Next(K)).ToArray(); // the last 20 rows belong to no component
        var oneHot = new double[N * K];
        for (int i = 0; i < labels.Length; i++)
        {
            oneHot[(i * K) + labels[i]] = 1;
        }

        var sampleWeights = weighted ? Enumerable.Range(0, N).Select(i => i % 5 == 0 ? 0.0 : random.NextDouble() * 4).ToArray() : null;
        var hard = InitialAssignment.Hard(labels, K);
        var soft = InitialAssignment.Soft(oneHot, K);
        var fromLabels = new double[37];
        var fromOneHot = new double[37];
        for (int k = 0; k < K; k++)
        {
            for (int start = 0; start < N; start += fromLabels.Length)
            {
                int count = Math.Min(fromLabels.Length, N - start);
                hard.WeightsOf(k, start, sampleWeights, fromLabels.AsSpan(0, count));
                soft.WeightsOf(k, start, sampleWeights, fromOneHot.AsSpan(0, count));
                for (int n = 0; n < count; n++)
                {
                    int row = start + n;
                    double naive = (row < labels.Length && labels[row] == k ? 1.0 : 0.0) * (sampleWeights?[row] ?? 1.0);
                    BitConverter.DoubleToInt64Bits(fromLabels[n]).Should().Be(BitConverter.DoubleToInt64Bits(naive), $"row {row}, component {k}: labels");
                    BitConverter.DoubleToInt64Bits(fromOneHot[n]).Should().Be(BitConverter.DoubleToInt64Bits(naive), $"row {row}, component {k}: one-hot");
                }
            }
        }
    }

    [Theory]
    [InlineData(CovarianceType.Full)]
    [InlineData(CovarianceType.Diagonal)]
    public void A_fit_from_initial_labels_equals_the_fit_from_their_one_hot_responsibilities(CovarianceType covarianceType)
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0);
        var labels = Enumerable.Range(0, n).Select(i => (i * 7 / 5) % 3).ToArray();
        var oneHot = new double[n * 3];
        for (int i = 0; i < n; i++)
        {
            oneHot[(i * 3) + labels[i]] = 1;
        }

        var weights = Enumerable.Range(0, n).Select(i => 0.5 + (i % 4)).ToArray();
        var options = new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = covarianceType, Tolerance = 0, MaxIterations = 7 };
        var fromLabels = new GaussianMixture(options with { InitialLabels = labels }).Fit(x, weights);
        var fromOneHot = new GaussianMixture(options with { InitialResponsibilities = DataMatrix.FromRowMajor(oneHot, 3) }).Fit(x, weights);

        fromLabels.Report.LowerBoundHistory.Should().Equal(fromOneHot.Report.LowerBoundHistory);
        fromLabels.GetMeans().ToRowMajorArray().Should().Equal(fromOneHot.GetMeans().ToRowMajorArray());
        for (int k = 0; k < 3; k++)
        {
            fromLabels.GetCovariance(k).ToRowMajorArray().Should().Equal(fromOneHot.GetCovariance(k).ToRowMajorArray());
        }
    }
}
