using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Tests.Fitting;

public sealed class KMeansTests
{
    public static TheoryData<string, int> Cases() => new() { { "iris", 3 }, { "faithful", 2 }, { "blobs", 5 } };

    private static double[,] Load(string set) => set switch
    {
        "iris" => TestData.Iris(out _),
        "faithful" => TestData.Faithful(),
        _ => Reference.Blobs(500, 3, 5, 61),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Labels_are_the_nearest_centres_and_inertia_is_the_brute_force_sum(string set, int k)
    {
        var x = Load(set);
        var model = new KMeans(new KMeansOptions { ClusterCount = k, Seed = 5 }).Fit(x);
        var centres = model.GetCenters();
        double inertia = 0;
        for (int i = 0; i < x.GetLength(0); i++)
        {
            var distances = Enumerable.Range(0, k).Select(c => SquaredDistance(x, i, centres, c)).ToArray();
            double nearest = distances.Min();
            distances[model.Labels[i]].Should().Be(nearest, $"row {i} must be labelled with its nearest centre");
            inertia += nearest;
        }

        model.Inertia.ShouldBeClose(inertia, 1e-12);
        model.Predict(x).Should().Equal(model.Labels);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void At_convergence_every_centre_is_the_mean_of_its_cluster(string set, int k)
    {
        var x = Load(set);
        var model = new KMeans(new KMeansOptions { ClusterCount = k, Tolerance = 0, Seed = 1 }).Fit(x);
        model.Converged.Should().BeTrue();
        AssertCentresAreMeans(x, null, model);
    }

    [Fact]
    public void Weighted_centres_are_weighted_means_and_inertia_is_weighted()
    {
        var x = TestData.Iris(out _);
        var weights = Enumerable.Range(0, 150).Select(i => 0.25 + (i % 5)).ToArray();
        var model = new KMeans(new KMeansOptions { ClusterCount = 3, Tolerance = 0 }).Fit(x, weights);
        model.Converged.Should().BeTrue();
        AssertCentresAreMeans(x, weights, model);
        var centres = model.GetCenters();
        double inertia = Enumerable.Range(0, 150).Sum(i => weights[i] * SquaredDistance(x, i, centres, model.Labels[i]));
        model.Inertia.ShouldBeClose(inertia, 1e-12);
    }

    [Fact]
    public void More_initialisations_never_give_a_larger_inertia()
    {
        var x = Reference.Blobs(400, 2, 6, 71);
        var one = new KMeans(new KMeansOptions { ClusterCount = 6, Seed = 3 }).Fit(x);
        var five = new KMeans(new KMeansOptions { ClusterCount = 6, Seed = 3, InitializationCount = 5 }).Fit(x);
        five.Inertia.Should().BeLessThanOrEqualTo(one.Inertia);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        var x = Reference.Blobs(300, 4, 4, 81);
        var options = new KMeansOptions { ClusterCount = 4, Seed = 17, InitializationCount = 3 };
        var a = new KMeans(options).Fit(x);
        var b = new KMeans(options).Fit(x);
        a.GetCenters().Equals(b.GetCenters()).Should().BeTrue();
        a.Labels.Should().Equal(b.Labels);
        a.Inertia.Should().Be(b.Inertia);
        a.IterationCount.Should().Be(b.IterationCount);
    }

    [Fact]
    public void A_cancelled_token_throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var act = () => new KMeans(new KMeansOptions { ClusterCount = 2 }).Fit(TestData.Faithful(), cancellationToken: cts.Token);
        act.Should().Throw<OperationCanceledException>();
    }

    private static void AssertCentresAreMeans(double[,] x, double[]? weights, KMeansModel model)
    {
        int d = x.GetLength(1);
        var centres = model.GetCenters();
        for (int c = 0; c < model.ClusterCount; c++)
        {
            var members = Enumerable.Range(0, x.GetLength(0)).Where(i => model.Labels[i] == c).ToArray();
            members.Should().NotBeEmpty();
            double total = members.Sum(i => weights?[i] ?? 1.0);
            for (int j = 0; j < d; j++)
            {
                double mean = members.Sum(i => (weights?[i] ?? 1.0) * x[i, j]) / total;
                centres[c, j].ShouldBeClose(mean, 1e-12, $"centre {c}, column {j}");
            }
        }
    }

    private static double SquaredDistance(double[,] x, int row, Matrix<double> centres, int c)
    {
        double s = 0;
        for (int j = 0; j < x.GetLength(1); j++)
        {
            double diff = x[row, j] - centres[c, j];
            s += diff * diff;
        }

        return s;
    }
}
