namespace MixtureModels.Fitting;

/// <summary>
/// The whole merge tree of <see cref="HierarchicalInitializer"/>'s agglomeration for one data set, built once and cut at
/// any K (as mclust computes <c>hc</c> once and cuts it with <c>hclass</c> for every G): a model search over K and the
/// covariance types needs one tree per data set.
/// </summary>
internal sealed class HierarchicalTree
{
    private readonly double[] _z;           // the transformed data, n × p
    private readonly int _p;
    private readonly int[]? _subset;        // the clustered rows when the data was subsampled, else null (all rows)
    private readonly int[] _clusterOf;      // initial cluster of every clustered row
    private readonly (int Target, int Source)[] _merges;

    private HierarchicalTree(double[] z, int p, int[]? subset, int[] clusterOf, (int Target, int Source)[] merges)
    {
        _z = z;
        _p = p;
        _subset = subset;
        _clusterOf = clusterOf;
        _merges = merges;
    }

    /// <summary>Rows of the data the tree covers.</summary>
    public int Rows => _z.Length / _p;

    /// <summary>
    /// Transforms the data, draws the subsample when it has more than <see cref="HierarchicalInitializer.SubsampleRows"/>
    /// rows (from <paramref name="random"/>), and agglomerates down to one cluster.
    /// </summary>
    public static HierarchicalTree Build(DataMatrix data, Random random, CancellationToken cancellationToken)
    {
        int n = data.Rows;
        var z = HierarchicalInitializer.Transform(data, out int p);
        int[]? rows = null;
        if (n > HierarchicalInitializer.SubsampleRows)
        {
            // A partial Fisher–Yates shuffle picks the subsample; sorted so the clustering sees rows in data order.
            var order = Enumerable.Range(0, n).ToArray();
            for (int i = 0; i < HierarchicalInitializer.SubsampleRows; i++)
            {
                int j = i + random.Next(n - i);
                (order[i], order[j]) = (order[j], order[i]);
            }

            rows = order[..HierarchicalInitializer.SubsampleRows];
            Array.Sort(rows);
        }

        int count = rows?.Length ?? n;
        var clustered = z;
        if (rows is not null)
        {
            clustered = new double[count * p];
            for (int i = 0; i < count; i++)
            {
                Array.Copy(z, rows[i] * p, clustered, i * p, p);
            }
        }

        double alpha = HierarchicalInitializer.Alpha(clustered, count, p);
        var merges = HierarchicalInitializer.Merges(clustered, count, p, 1, alpha, out var clusterOf, cancellationToken);
        return new HierarchicalTree(z, p, rows, clusterOf, merges);
    }

    /// <summary>
    /// Hard labels in [0, K) for every row: the tree cut at K clusters; with a subsample, every row goes to the nearest
    /// mean (in the transformed coordinates) of those clusters.
    /// </summary>
    public int[] Cut(int k)
    {
        var subsetLabels = HierarchicalInitializer.Cut(_clusterOf, _merges, k);
        if (_subset is null)
        {
            return subsetLabels;
        }

        int p = _p, n = Rows;
        var means = new double[k * p];
        var counts = new double[k];
        for (int i = 0; i < _subset.Length; i++)
        {
            int c = subsetLabels[i];
            counts[c]++;
            for (int j = 0; j < p; j++)
            {
                means[(c * p) + j] += _z[(_subset[i] * p) + j];
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int j = 0; j < p && counts[c] > 0; j++)
            {
                means[(c * p) + j] /= counts[c];
            }
        }

        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }

                double distance = 0;
                for (int j = 0; j < p; j++)
                {
                    double e = _z[(i * p) + j] - means[(c * p) + j];
                    distance += e * e;
                }

                if (distance < best)
                {
                    best = distance;
                    labels[i] = c;
                }
            }
        }

        return labels;
    }
}
