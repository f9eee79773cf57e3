using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// The parallel write of label responsibilities (every entry written, on up to MaxDegreeOfParallelism threads) against a
/// naive loop, and an initialiser's array reused by a later restart.
/// </summary>
public sealed class ResponsibilityInitializerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(-1)]
    public void WriteLabels_writes_every_entry_as_a_naive_loop_does(int maxDegreeOfParallelism)
    {
        const int k = 5;
        int n = (3 * ResponsibilityInitializer.LabelChunkRows) + 17;
        var random = new Random(7);
        foreach (int labelled in new[] { n, n - 100, 0 })
        {
            var labels = new int[labelled];
            for (int i = 0; i < labels.Length; i++)
            {
                labels[i] = random.Next(k);
            }

            var expected = new double[n * k];
            for (int i = 0; i < labelled; i++)
            {
                expected[(i * k) + labels[i]] = 1;
            }

            var actual = new double[n * k];
            Array.Fill(actual, double.NaN);
            ResponsibilityInitializer.WriteLabels(labels, k, actual, maxDegreeOfParallelism, CancellationToken.None);
            actual.Should().Equal(expected);
        }
    }

    [Fact]
    public void A_restart_after_a_k_means_start_sees_only_its_own_seeds()
    {
        var x = TestData.Iris(out _);
        int n = x.GetLength(0);
        var initializer = new ResponsibilityInitializer(InitializationMethod.KMeans, x, null, 3, -1);
        var first = initializer.Create(new Random(1), CancellationToken.None).Dense(n);
        for (int i = 0; i < n; i++)
        {
            double total = first[(i * 3) + 0] + first[(i * 3) + 1] + first[(i * 3) + 2];
            total.Should().Be(1, "every row of a k-means start has one responsibility 1 and the others 0");
        }

        var plusPlus = new ResponsibilityInitializer(InitializationMethod.KMeansPlusPlus, x, null, 3, -1);
        plusPlus.Create(new Random(1), CancellationToken.None);
        var second = plusPlus.Create(new Random(2), CancellationToken.None).Dense(n);
        second.Count(v => v == 1).Should().Be(3);
        second.Count(v => v == 0).Should().Be(second.Length - 3);
    }
}
