using MixtureModels.Components;

namespace MixtureModels.Tests.Data;

/// <summary>Bit-for-bit comparison of two fitted models: parameters (through the weights and every row's log-density), the report and the training labels.</summary>
internal static class SourceFitAssert
{
    public static void BitIdentical<TComponent>(FittedMixtureModel<TComponent> actual, FittedMixtureModel<TComponent> expected, DataMatrix data)
        where TComponent : class, IComponent
    {
        actual.Weights.Should().Equal(expected.Weights);
        actual.LogDensity(data).Should().Equal(expected.LogDensity(data));
        actual.TrainingLabels.Should().Equal(expected.TrainingLabels);
        var a = actual.Report;
        var e = expected.Report;
        a.IterationCount.Should().Be(e.IterationCount);
        a.Converged.Should().Be(e.Converged);
        a.LowerBound.Should().Be(e.LowerBound);
        a.LowerBoundHistory.Should().Equal(e.LowerBoundHistory);
        a.InitializationLowerBounds.Should().Equal(e.InitializationLowerBounds);
        a.BestInitialization.Should().Be(e.BestInitialization);
        a.TrainingLogLikelihood.Should().Be(e.TrainingLogLikelihood);
        a.TrainingWeight.Should().Be(e.TrainingWeight);
        a.ResponsibilityEntropy.Should().Be(e.ResponsibilityEntropy);
        a.ComponentRowCounts.Should().Equal(e.ComponentRowCounts);
        a.ObjectiveHistory.Should().Equal(e.ObjectiveHistory);
    }

    public static void BitIdentical(GaussianMixtureModel actual, GaussianMixtureModel expected, DataMatrix data)
    {
        BitIdentical<MixtureModels.Components.Gaussian.GaussianComponent>(actual, expected, data);
        actual.GetMeans().ToRowMajorArray().Should().Equal(expected.GetMeans().ToRowMajorArray());
        for (int k = 0; k < actual.ComponentCount; k++)
        {
            actual.GetPrecisionCholesky(k).ToRowMajorArray().Should().Equal(expected.GetPrecisionCholesky(k).ToRowMajorArray());
        }
    }

    /// <summary>A source that cuts its rows differently on every pass: block sizes drawn from a seeded generator that continues from pass to pass.</summary>
    public static RowSource UnevenBlocks(DataMatrix data, int seed, int maxBlock)
    {
        var random = new Random(seed);
        return RowSource.FromBlocks(() => Cut(data, random, maxBlock));
    }

    private static IEnumerable<DataMatrix> Cut(DataMatrix data, Random random, int maxBlock)
    {
        var values = data.Values.ToArray();
        for (int start = 0; start < data.Rows;)
        {
            int count = Math.Min(random.Next(1, maxBlock + 1), data.Rows - start);
            yield return DataMatrix.FromRowMajor(values.AsMemory(start * data.Columns, count * data.Columns), data.Columns);
            start += count;
        }
    }
}
