using MixtureModels.Components.Gaussian;
using MixtureModels.Serialization;

namespace MixtureModels.ConsumerTests;

/// <summary>The README's online EM and statistics snippets, verbatim, against the packed library.</summary>
public sealed class OnlineReadmeTests
{
    [Fact]
    public void The_online_em_snippet_compiles_and_fits()
    {
        var online = new OnlineGaussianMixture(
            new GaussianMixtureOptions { ComponentCount = 2, Seed = 1 },
            new OnlineMixtureOptions { StepSizeExponent = 0.6, StepSizeOffset = 2 });   // α ∈ (0.5, 1], t0 ≥ 1 (the defaults)
        var random = new Random(3);
        DataMatrix NextBlock() => Enumerable.Range(0, 500)
            .Select(i => new[] { (i % 2 * 4.0) + random.NextDouble(), (i % 2 * 2.0) + random.NextDouble() }).ToArray();
        for (int t = 0; t < 10; t++)
        {
            GaussianMixtureModel current = online.PartialFit(NextBlock());   // usable (and savable) after every block
        }

        List<DataMatrix> blocks = [.. Enumerable.Range(0, 8).Select(_ => NextBlock())];
        GaussianMixtureModel model = online.Fit(blocks, epochs: 2);   // minibatch EM: starts over, two passes

        online.BlockCount.Should().Be(16);
        model.GetMeans().Column(0).Select(Math.Floor).Order().Should().Equal([0.0, 4.0], "the two clusters sit at x ≈ 0.5 and 4.5");
    }

    [Fact]
    public void The_statistics_snippet_compiles_and_round_trips()
    {
        var family = GaussianFamily.Create(CovarianceType.Full, dimension: 2, regularization: 1e-6);
        GaussianStatistics worker = family.CreateStatistics(null);
        worker.Accumulate([0.5, 1.0, 1.5, 2.5], [1.0, 0.5]);                  // two rows with their weights
        byte[] message = StatisticsSerializer.SerializeSingle(worker, family);  // or SerializeToBytes(K accumulators) / Serialize(stream, …)
        GaussianStatistics received = StatisticsSerializer.DeserializeSingle(message, family);

        received.TotalWeight.Should().Be(1.5);
        received.WeightedSum.ToArray().Should().Equal(worker.WeightedSum.ToArray());
    }
}
