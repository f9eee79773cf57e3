using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// mclust's model-based hierarchical start (VVV criterion) against a brute-force agglomeration that evaluates every pairwise
/// merge from the rows, its SVD transformation, determinism, subsampling, and the k-means start on standardised columns.
/// </summary>
public sealed class HierarchicalInitializerTests
{
    [Theory]
    [InlineData(14, 2, 1)]
    [InlineData(12, 3, 2)]
    [InlineData(10, 1, 3)]
    public void Agglomeration_equals_a_brute_force_over_all_pairwise_merges_at_every_level(int n, int p, int seed)
    {
        var random = new Random(seed);
        var z = new double[n * p];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = Reference.StandardNormal(random) + (i / p % 3 == 0 ? 3 : 0);
        }

        // Two exact duplicates start in one cluster (mclust's dupPartition).
        Array.Copy(z, 0, z, (n - 1) * p, p);
        double alpha = 0.7;
        var naive = BruteForceLevels(z, n, p, alpha);
        for (int k = 1; k < naive.Count; k++)
        {
            var labels = HierarchicalInitializer.Agglomerate(z, n, p, k, alpha, CancellationToken.None);
            labels.Should().Equal(naive[k], $"the partition into {k} clusters");
        }
    }

    [Fact]
    public void One_tree_cut_at_every_K_equals_an_agglomeration_stopped_at_that_K()
    {
        var x = TestData.Iris(out _);
        var tree = HierarchicalTree.Build(x, new Random(0), CancellationToken.None);
        for (int k = 1; k <= 9; k++)
        {
            tree.Cut(k).Should().Equal(HierarchicalInitializer.Labels(x, k, new Random(0), CancellationToken.None), $"K = {k}");
            var z = HierarchicalInitializer.Transform(x, out int p);
            tree.Cut(k).Should().Equal(HierarchicalInitializer.Agglomerate(z, x.GetLength(0), p, k, HierarchicalInitializer.Alpha(z, x.GetLength(0), p), CancellationToken.None));
        }
    }

    [Fact]
    public void The_SVD_transformation_has_orthogonal_columns_of_squared_length_the_singular_values()
    {
        // Z = X_s V diag(1/√d) with X_s = U diag(d) Vᵀ, so ZᵀZ = diag(d): checked against Math.NET's SVD of X_s built here.
        var x = TestData.Iris(out _);
        int n = x.GetLength(0), d = x.GetLength(1);
        var z = HierarchicalInitializer.Transform(x, out int p);
        p.Should().Be(d);
        var m = Matrix<double>.Build.DenseOfArray(x);
        var mean = m.ColumnSums() / n;
        var standardized = Matrix<double>.Build.Dense(n, d, (i, j) => (x[i, j] - mean[j]) / Math.Sqrt(m.Column(j).Subtract(mean[j]).PointwisePower(2).Sum() / (n - 1)));
        var singular = standardized.Svd().S;
        var zm = Matrix<double>.Build.Dense(n, p, (i, j) => z[(i * p) + j]);
        var gram = zm.TransposeThisAndMultiply(zm);
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                gram[a, b].Should().BeApproximately(a == b ? singular[a] : 0, 1e-9 * singular[0]);
            }
        }
    }

    [Fact]
    public void The_hierarchical_start_is_deterministic_and_independent_of_the_seed_below_the_subsample_size()
    {
        var x = TestData.Wine(out _);
        var a = HierarchicalInitializer.Labels(x, 3, new Random(1), CancellationToken.None);
        var b = HierarchicalInitializer.Labels(x, 3, new Random(2), CancellationToken.None);
        a.Should().Equal(b);
        a.Distinct().Should().HaveCount(3);

        var options = new GaussianMixtureOptions { ComponentCount = 3, Initialization = InitializationMethod.ModelBasedHierarchical };
        var first = new GaussianMixture(options).Fit(x);
        var second = new GaussianMixture(options with { Seed = 17, MaxDegreeOfParallelism = 1 }).Fit(x);
        second.LowerBound.Should().Be(first.LowerBound);
        second.TrainingLabels.Should().Equal(first.TrainingLabels);
    }

    [Fact]
    public void Large_data_is_clustered_on_a_seeded_subsample_and_every_row_gets_a_label()
    {
        var x = Reference.Blobs(HierarchicalInitializer.SubsampleRows + 500, 2, 3, 4);
        var a = HierarchicalInitializer.Labels(x, 3, new Random(5), CancellationToken.None);
        var b = HierarchicalInitializer.Labels(x, 3, new Random(5), CancellationToken.None);
        a.Should().Equal(b);
        a.Should().HaveCount(x.GetLength(0)).And.OnlyContain(label => label >= 0 && label < 3);
        a.Distinct().Should().HaveCount(3);
    }

    [Fact]
    public void The_hierarchical_start_finds_well_separated_clusters_exactly()
    {
        // Four unit-variance blobs 20 apart (the corners of a simplex), rows cycling through them.
        var random = new Random(9);
        var x = new double[300, 3];
        var truth = new int[300];
        for (int i = 0; i < 300; i++)
        {
            truth[i] = i % 4;
            for (int j = 0; j < 3; j++)
            {
                x[i, j] = (truth[i] == j + 1 ? 20 : 0) + Reference.StandardNormal(random);
            }
        }

        var labels = HierarchicalInitializer.Labels(x, 4, new Random(0), CancellationToken.None);
        AdjustedAgreement(labels, truth).Should().Be(1, "blobs this far apart have one obvious partition");
    }

    [Fact]
    public void The_standardised_k_means_start_does_not_depend_on_the_units_of_a_column()
    {
        var x = TestData.Faithful();
        var scaled = (double[,])x.Clone();
        for (int i = 0; i < x.GetLength(0); i++)
        {
            scaled[i, 1] *= 1e4;
        }

        var a = new ResponsibilityInitializer(InitializationMethod.KMeansStandardized, x, null, 3, -1).Create(new Random(3), CancellationToken.None).Dense(x.GetLength(0));
        var b = new ResponsibilityInitializer(InitializationMethod.KMeansStandardized, scaled, null, 3, -1).Create(new Random(3), CancellationToken.None).Dense(x.GetLength(0));
        b.Should().Equal(a);
        var plain = new ResponsibilityInitializer(InitializationMethod.KMeans, scaled, null, 3, -1).Create(new Random(3), CancellationToken.None).Dense(x.GetLength(0));
        plain.Should().NotEqual(a, "plain k-means on the scaled data sees only the scaled column");
    }

    [Fact]
    public void Both_new_starts_fit_every_covariance_type()
    {
        var x = TestData.Iris(out _);
        foreach (var method in new[] { InitializationMethod.ModelBasedHierarchical, InitializationMethod.KMeansStandardized })
        {
            foreach (var type in new[] { CovarianceType.Full, CovarianceType.Tied, CovarianceType.Diagonal, CovarianceType.Spherical })
            {
                var model = new GaussianMixture(new GaussianMixtureOptions { ComponentCount = 3, CovarianceType = type, Initialization = method }).Fit(x);
                double.IsFinite(model.LowerBound).Should().BeTrue();
                model.Weights.Should().OnlyContain(w => w > 0);
            }
        }
    }

    /// <summary>1 when the two labelings are the same partition, otherwise less (fraction of pairs on which they agree).</summary>
    private static double AdjustedAgreement(int[] a, int[] b)
    {
        long agree = 0, pairs = 0;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = i + 1; j < a.Length; j++)
            {
                pairs++;
                if ((a[i] == a[j]) == (b[i] == b[j]))
                {
                    agree++;
                }
            }
        }

        return (double)agree / pairs;
    }

    /// <summary>
    /// The partitions of the naive agglomeration at every number of clusters (index = cluster count), labels numbered by
    /// first appearance. Every step evaluates every pair of current clusters from its rows: the cost of a cluster of l rows
    /// with scatter W is l·log((tr W + α)/l) for l ≤ p, else l·log(det(W/l) + (tr W + α)/l) (mclust's vvvtij, β = 1).
    /// </summary>
    private static List<int[]> BruteForceLevels(double[] z, int n, int p, double alpha)
    {
        var clusters = new List<List<int>>();
        foreach (var i in Enumerable.Range(0, n))
        {
            var same = clusters.FirstOrDefault(c => Enumerable.Range(0, p).All(j => z[(c[0] * p) + j] == z[(i * p) + j]));
            if (same is null)
            {
                clusters.Add([i]);
            }
            else
            {
                same.Add(i);
            }
        }

        var levels = new List<int[]>(new int[clusters.Count + 1][]);
        levels[clusters.Count] = Canonical(clusters, n);
        while (clusters.Count > 1)
        {
            double best = double.PositiveInfinity;
            int bestA = -1, bestB = -1;
            for (int a = 0; a < clusters.Count; a++)
            {
                for (int b = a + 1; b < clusters.Count; b++)
                {
                    double cost = Cost([.. clusters[a], .. clusters[b]]) - Cost(clusters[a]) - Cost(clusters[b]);
                    if (cost < best)
                    {
                        best = cost;
                        bestA = a;
                        bestB = b;
                    }
                }
            }

            clusters[bestA].AddRange(clusters[bestB]);
            clusters.RemoveAt(bestB);
            levels[clusters.Count] = Canonical(clusters, n);
        }

        return levels;

        double Cost(List<int> rows)
        {
            int l = rows.Count;
            var mean = new double[p];
            foreach (int i in rows)
            {
                for (int j = 0; j < p; j++)
                {
                    mean[j] += z[(i * p) + j] / l;
                }
            }

            var w = Matrix<double>.Build.Dense(p, p);
            foreach (int i in rows)
            {
                var e = Vector<double>.Build.Dense(p, j => z[(i * p) + j] - mean[j]);
                w += e.OuterProduct(e);
            }

            double trace = w.Trace();
            return l <= p ? l * Math.Log((trace + alpha) / l) : l * Math.Log((w / l).Determinant() + ((trace + alpha) / l));
        }
    }

    private static int[] Canonical(List<List<int>> clusters, int n)
    {
        var raw = new int[n];
        for (int c = 0; c < clusters.Count; c++)
        {
            foreach (int i in clusters[c])
            {
                raw[i] = c;
            }
        }

        var map = new Dictionary<int, int>();
        return raw.Select(c => map.TryGetValue(c, out int v) ? v : map[c] = map.Count).ToArray();
    }

    [Fact]
    public void Restarts_from_the_hierarchical_start_on_all_rows_all_start_from_the_same_tree()
    {
        // Up to 1000 rows the tree depends on the data only: every restart starts at the same point (the tree is
        // built once) and reaches the same fit as a single start.
        var x = TestData.Iris(out _);
        var options = new GaussianMixtureOptions { ComponentCount = 3, Initialization = InitializationMethod.ModelBasedHierarchical };
        var one = new GaussianMixture(options).Fit(x);
        var three = new GaussianMixture(options with { InitializationCount = 3 }).Fit(x);
        three.Report.InitializationLowerBounds.Should().AllBeEquivalentTo(one.Report.LowerBound);
        three.Weights.Should().Equal(one.Weights);
    }
}
