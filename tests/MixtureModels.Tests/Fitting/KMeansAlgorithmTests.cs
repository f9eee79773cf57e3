using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>The vectorised, parallel k-means against the scalar textbook algorithm it replaced (<see cref="ReferenceKMeans"/>).</summary>
public sealed class KMeansAlgorithmTests
{
    public static TheoryData<int, int, int, bool> Cases() => new()
    {
        { 3000, 2, 3, false },
        { 5000, 16, 8, false },
        { 4000, 5, 11, true },
        { 2500, 33, 20, false },
        { 700, 1, 4, true },
        { 10, 3, 10, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Seeds_and_labels_equal_the_textbook_algorithm_and_centres_agree_to_rounding(int rows, int columns, int k, bool weighted)
    {
        var x = DataMatrix.FromArray(Reference.Blobs(rows, columns, Math.Max(1, k - 1), rows + columns));
        var weights = weighted ? Enumerable.Range(0, rows).Select(i => (i % 7) * 0.5).ToArray() : null;
        var algorithm = new KMeansAlgorithm(x, weights, k, -1);
        var seeds = algorithm.PlusPlusSeeds(new Random(3), CancellationToken.None);
        var expectedSeeds = ReferenceKMeans.PlusPlusSeeds(x, weights, k, new Random(3), CancellationToken.None);
        seeds.Should().Equal(expectedSeeds);

        var centres = new double[k * columns];
        for (int c = 0; c < k; c++)
        {
            x.Row(seeds[c]).CopyTo(centres.AsSpan(c * columns, columns));
        }

        var result = algorithm.Lloyd(centres, 300, 1e-4, CancellationToken.None);
        var expected = ReferenceKMeans.Lloyd(x, weights, centres, k, 300, 1e-4, CancellationToken.None);
        result.Labels.Should().Equal(expected.Labels);
        result.Iterations.Should().Be(expected.Iterations);
        result.Converged.Should().Be(expected.Converged);
        result.Inertia.ShouldBeClose(expected.Inertia, 1e-12);
        double scale = x.Values.ToArray().Max(Math.Abs);
        for (int i = 0; i < centres.Length; i++)
        {
            Math.Abs(result.Centers[i] - expected.Centers[i]).Should().BeLessThanOrEqualTo(1e-13 * scale, $"centre entry {i}");
        }
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 2)]
    public void Seeds_equal_the_textbook_algorithm_over_many_seeds_with_duplicates_and_zero_weights(bool weighted, int shape)
    {
        // Many draws against the scalar reference on data whose masses are zero in places (duplicated rows, rows of
        // weight 0, one heavy cluster), with N not a multiple of any stride and K from 2 to 20: every draw must pick
        // the reference's row, whatever part of the running sum it falls in.
        var random = new Random(100 + shape);
        int rows = shape switch { 0 => 1537, 1 => 4099, _ => 2049 }, columns = 1 + (shape * 3);
        var values = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            int source = shape == 1 && i % 3 == 0 && i > 0 ? i - 1 : i; // every third row repeats the one before
            for (int j = 0; j < columns; j++)
            {
                values[(i * columns) + j] = source == i ? random.NextDouble() + (i % 5 == 0 && shape == 2 ? 0 : 3 * (i % 4)) : values[(source * columns) + j];
            }
        }

        var x = DataMatrix.FromRowMajor(values, columns);
        var weights = weighted ? Enumerable.Range(0, rows).Select(i => i % 6 == 0 ? 0 : i % 11 == 0 ? 7.25 : 1 + (i % 3) * 0.3).ToArray() : null;
        foreach (int k in new[] { 2, 5, 9, 20 })
        {
            var algorithm = new KMeansAlgorithm(x, weights, k, -1);
            for (int seed = 0; seed < 12; seed++)
            {
                var seeds = algorithm.PlusPlusSeeds(new Random(seed), CancellationToken.None);
                var expected = ReferenceKMeans.PlusPlusSeeds(x, weights, k, new Random(seed), CancellationToken.None);
                seeds.Should().Equal(expected, $"K = {k}, seed {seed}");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Runs_of_many_iterations_with_distance_bounds_keep_the_textbook_labels(bool weighted)
    {
        // Uniform data cut into 20 clusters: Lloyd moves the centres for dozens of iterations, so most rows are skipped
        // by Hamerly's bounds in the later ones; labels, iteration count and convergence must still be the textbook's.
        var random = new Random(12);
        var values = Enumerable.Range(0, 12_000 * 3).Select(_ => random.NextDouble()).ToArray();
        var x = DataMatrix.FromRowMajor(values, 3);
        var weights = weighted ? Enumerable.Range(0, x.Rows).Select(i => 0.5 + (i % 4)).ToArray() : null;
        var centres = new double[20 * 3];
        for (int c = 0; c < 20; c++)
        {
            x.Row(c).CopyTo(centres.AsSpan(c * 3, 3));
        }

        var result = new KMeansAlgorithm(x, weights, 20, -1).Lloyd(centres, 300, 1e-8, CancellationToken.None);
        var expected = ReferenceKMeans.Lloyd(x, weights, centres, 20, 300, 1e-8, CancellationToken.None);
        expected.Iterations.Should().BeGreaterThan(20, "the case must exercise the bounds over many iterations");
        result.Labels.Should().Equal(expected.Labels);
        result.Iterations.Should().Be(expected.Iterations);
        result.Converged.Should().Be(expected.Converged);
        result.Inertia.ShouldBeClose(expected.Inertia, 1e-12);
        for (int i = 0; i < centres.Length; i++)
        {
            Math.Abs(result.Centers[i] - expected.Centers[i]).Should().BeLessThanOrEqualTo(1e-13, $"centre entry {i}");
        }
    }

    [Theory]
    [InlineData(false, 5)]
    [InlineData(true, 5)]
    [InlineData(false, 16)]
    [InlineData(true, 19)]
    public void Long_runs_over_blocks_of_separated_rows_keep_the_textbook_labels_for_any_thread_count(bool weighted, int columns)
    {
        // Uniform data: many iterations in which most blocks have almost every row separated by its bounds (the
        // bounded-block loop), with widths that leave 1 or 3 columns after the 4-wide vectors and weights of 0 in places.
        var random = new Random(40 + columns);
        var values = Enumerable.Range(0, 9_000 * columns).Select(_ => random.NextDouble()).ToArray();
        var x = DataMatrix.FromRowMajor(values, columns);
        var weights = weighted ? Enumerable.Range(0, x.Rows).Select(i => i % 5 == 0 ? 0 : 0.25 + (i % 3)).ToArray() : null;
        const int k = 9;
        var centres = new double[k * columns];
        for (int c = 0; c < k; c++)
        {
            x.Row(c * 7).CopyTo(centres.AsSpan(c * columns, columns));
        }

        var result = new KMeansAlgorithm(x, weights, k, -1).Lloyd(centres, 300, 1e-10, CancellationToken.None);
        var single = new KMeansAlgorithm(x, weights, k, 1).Lloyd(centres, 300, 1e-10, CancellationToken.None);
        var expected = ReferenceKMeans.Lloyd(x, weights, centres, k, 300, 1e-10, CancellationToken.None);
        expected.Iterations.Should().BeGreaterThan(10, "the case must exercise the bounds over many iterations");
        result.Labels.Should().Equal(expected.Labels);
        result.Iterations.Should().Be(expected.Iterations);
        result.Inertia.ShouldBeClose(expected.Inertia, 1e-12);
        for (int i = 0; i < centres.Length; i++)
        {
            Math.Abs(result.Centers[i] - expected.Centers[i]).Should().BeLessThanOrEqualTo(1e-13, $"centre entry {i}");
        }

        single.Centers.Should().Equal(result.Centers);
        single.Labels.Should().Equal(result.Labels);
        single.Inertia.Should().Be(result.Inertia);
        single.Iterations.Should().Be(result.Iterations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Results_are_bit_identical_for_any_thread_count(int threads)
    {
        var x = DataMatrix.FromArray(Reference.Blobs(40_000, 6, 5, 17));
        var weights = Enumerable.Range(0, x.Rows).Select(i => 1 + (i % 3)).Select(w => (double)w).ToArray();
        var all = new KMeansAlgorithm(x, weights, 5, -1).Run(new Random(9), 300, 1e-6, CancellationToken.None);
        var some = new KMeansAlgorithm(x, weights, 5, threads).Run(new Random(9), 300, 1e-6, CancellationToken.None);
        some.Centers.Should().Equal(all.Centers);
        some.Labels.Should().Equal(all.Labels);
        some.Inertia.Should().Be(all.Inertia);
    }

    [Fact]
    public void Restarts_on_one_instance_equal_fresh_instances()
    {
        var x = DataMatrix.FromArray(Reference.Blobs(3000, 4, 6, 23));
        var shared = new KMeansAlgorithm(x, null, 6, -1);
        var random = new Random(4);
        var first = shared.Run(random, 300, 1e-4, CancellationToken.None);
        var second = shared.Run(random, 300, 1e-4, CancellationToken.None);
        var replay = new Random(4);
        var freshFirst = new KMeansAlgorithm(x, null, 6, -1).Run(replay, 300, 1e-4, CancellationToken.None);
        var freshSecond = new KMeansAlgorithm(x, null, 6, -1).Run(replay, 300, 1e-4, CancellationToken.None);
        first.Centers.Should().Equal(freshFirst.Centers);
        second.Centers.Should().Equal(freshSecond.Centers);
        second.Labels.Should().Equal(freshSecond.Labels);
    }

    [Fact]
    public void A_token_cancelled_during_a_pass_stops_it()
    {
        var x = DataMatrix.FromArray(Reference.Blobs(200_000, 2, 3, 5));
        using var cts = new CancellationTokenSource();
        var algorithm = new KMeansAlgorithm(x, null, 3, 1);
        cts.Cancel();
        ((Action)(() => algorithm.PlusPlusSeeds(new Random(1), cts.Token))).Should().Throw<OperationCanceledException>();
        ((Action)(() => algorithm.Lloyd(new double[6], 10, 0, cts.Token))).Should().Throw<OperationCanceledException>();
    }
}
