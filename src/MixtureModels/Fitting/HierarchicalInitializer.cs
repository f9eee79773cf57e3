using MathNet.Numerics.LinearAlgebra;

namespace MixtureModels.Fitting;

/// <summary>
/// mclust's model-based hierarchical agglomerative clustering (Fraley 1998, "Algorithms for model-based Gaussian
/// hierarchical clustering"; mclust's <c>hc(modelName = "VVV", use = "SVD")</c>, its default start): every row starts as
/// its own cluster (identical rows together, as mclust's <c>dupPartition</c>), and the pair whose merge increases the
/// regularised VVV criterion least is merged until K clusters are left.
/// </summary>
/// <remarks>
/// <para>
/// The criterion is mclust's (Fortran <c>hcvvv</c>, <c>vvvtij</c>): a cluster of l rows with scatter W about its mean costs
/// t(l, W) = l·log(β·(tr W + α)/l) when l ≤ p, and l·log(det(W/l) + β·(tr W + α)/l) otherwise (det taken as 0 when W is
/// singular), with β = 1 and α = tr of the data's scatter / (n·p) (mclust's <c>alpha * traceW(data/sqrt(n*p))</c>, alpha = 1);
/// merging clusters i and j costs t(i ∪ j) − t(i) − t(j), W_ij = W_i + W_j + (n_i n_j/(n_i + n_j))·δδᵀ with δ the difference of
/// their means. Ties go to the pair with the smallest indices (mclust's Fortran keeps the last one it enumerates).
/// </para>
/// <para>
/// It runs on mclust's default transformation of the data (<c>use = "SVD"</c>): columns centred and scaled to unit standard
/// deviation (constant columns dropped), rotated onto their principal axes and each axis divided by the square root of its
/// singular value. On more than <see cref="SubsampleRows"/> rows it clusters that many rows drawn at random (from the fit's
/// seeded generator, so a seed fixes the result) and assigns every other row to the nearest cluster mean in the
/// transformed coordinates. Below that size the result depends on the data only. Sample weights are not used.
/// </para>
/// </remarks>
internal static class HierarchicalInitializer
{
    /// <summary>Largest number of rows clustered; larger data sets are subsampled to this many rows.</summary>
    public const int SubsampleRows = 1000;

    /// <summary>Hard labels in [0, K) for every row of <paramref name="data"/> (builds the tree and cuts it at K).</summary>
    public static int[] Labels(DataMatrix data, int k, Random random, CancellationToken cancellationToken) =>
        HierarchicalTree.Build(data, random, cancellationToken).Cut(k);

    /// <summary>
    /// mclust's <c>use = "SVD"</c> transformation: Z = X_s·V·diag(1/√d), X_s the centred and scaled columns (constant ones
    /// dropped), X_s = U·diag(d)·Vᵀ its thin SVD (axes with a zero singular value dropped), in decreasing order of d.
    /// Row-major n × p.
    /// </summary>
    internal static double[] Transform(DataMatrix data, out int p)
    {
        int n = data.Rows, d = data.Columns;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                mean[j] += row[j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        var sd = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
            }
        }

        var kept = Enumerable.Range(0, d).Where(j => sd[j] > 0).ToArray();
        if (kept.Length == 0 || n < 2)
        {
            p = 1;
            return new double[n];   // nothing varies: every row is a duplicate of every other
        }

        var x = Matrix<double>.Build.Dense(n, kept.Length, (i, c) =>
        {
            int j = kept[c];
            return (data.Row(i)[j] - mean[j]) / Math.Sqrt(sd[j] / (n - 1));
        });
        // V and the singular values from the eigen-decomposition of the small Gram matrix XᵀX = V·diag(d²)·Vᵀ (never the
        // n × n factor U); the criterion is invariant to the signs and order of the axes.
        var evd = x.TransposeThisAndMultiply(x).Evd(Symmetricity.Symmetric);
        var eigenvalues = evd.EigenValues.Select(e => Math.Max(e.Real, 0)).ToArray();
        var order = Enumerable.Range(0, eigenvalues.Length).OrderByDescending(a => eigenvalues[a]).ToArray();
        double largest = Math.Sqrt(eigenvalues[order[0]]);
        var used = order.Where(a => Math.Sqrt(eigenvalues[a]) > 1e-12 * largest).ToArray();
        p = used.Length;
        var projected = x * evd.EigenVectors;
        var z = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < p; c++)
            {
                z[(i * p) + c] = projected[i, used[c]] / Math.Sqrt(Math.Sqrt(eigenvalues[used[c]]));
            }
        }

        return z;
    }

    /// <summary>α = tr of the scatter of Z about its mean / (n·p): mclust's <c>traceW(data / sqrt(n * p))</c>, at least ε.</summary>
    internal static double Alpha(ReadOnlySpan<double> z, int n, int p)
    {
        double trace = 0;
        for (int j = 0; j < p; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++)
            {
                mean += z[(i * p) + j];
            }

            mean /= n;
            for (int i = 0; i < n; i++)
            {
                double e = z[(i * p) + j] - mean;
                trace += e * e;
            }
        }

        return Math.Max(trace / (n * p), 2.220446049250313e-16);
    }

    /// <summary>mclust's VVV cost of a cluster of <paramref name="count"/> rows with scatter W (p × p, row-major).</summary>
    internal static double ClusterCost(double count, ReadOnlySpan<double> scatter, int p, double alpha)
    {
        double trace = 0;
        for (int j = 0; j < p; j++)
        {
            trace += scatter[(j * p) + j];
        }

        double logTraceTerm = Math.Log((trace + alpha) / count);
        if (count <= p || trace == 0)
        {
            return count * logTraceTerm;
        }

        double logDet = LogDeterminant(scatter, p);
        if (double.IsNegativeInfinity(logDet))
        {
            return count * logTraceTerm;
        }

        logDet -= p * Math.Log(count);   // det(W/l)
        double high = Math.Max(logDet, logTraceTerm), low = Math.Min(logDet, logTraceTerm);
        return count * (high + Math.Log(1 + Math.Exp(low - high)));
    }

    /// <summary>Merges clusters of the rows of <paramref name="z"/> (n × p, row-major) until <paramref name="k"/> are left; labels in [0, k).</summary>
    internal static int[] Agglomerate(double[] z, int n, int p, int k, double alpha, CancellationToken cancellationToken)
    {
        var merges = Merges(z, n, p, k, alpha, out var clusterOf, cancellationToken);
        return Cut(clusterOf, merges, k);
    }

    /// <summary>
    /// Labels in [0, k) after the first merges of <paramref name="merges"/> that leave <paramref name="k"/> clusters (all of
    /// them when there are fewer), numbered by first appearance among the rows.
    /// </summary>
    internal static int[] Cut(int[] clusterOf, (int Target, int Source)[] merges, int k)
    {
        int m = clusterOf.Length == 0 ? 0 : clusterOf.Max() + 1;
        var parent = Enumerable.Range(0, m).ToArray();
        int steps = Math.Clamp(m - k, 0, merges.Length);
        for (int s = 0; s < steps; s++)
        {
            parent[merges[s].Source] = merges[s].Target;
        }

        var label = new int[m];
        Array.Fill(label, -1);
        int next = 0;
        var result = new int[clusterOf.Length];
        for (int i = 0; i < clusterOf.Length; i++)
        {
            int root = clusterOf[i];
            while (parent[root] != root)
            {
                root = parent[root];
            }

            if (label[root] < 0)
            {
                label[root] = next++;
            }

            result[i] = label[root];
        }

        return result;
    }

    /// <summary>
    /// The merge sequence (target, source: source joins target) of the agglomeration down to <paramref name="k"/> clusters;
    /// <paramref name="clusterOf"/> receives every row's initial cluster (identical rows share one).
    /// </summary>
    internal static (int Target, int Source)[] Merges(double[] z, int n, int p, int k, double alpha, out int[] clusterOf, CancellationToken cancellationToken)
    {
        // Initial clusters: identical rows together.
        clusterOf = new int[n];
        var firstOf = new Dictionary<RowKey, int>();
        var counts = new List<double>();
        var sums = new List<double[]>();
        for (int i = 0; i < n; i++)
        {
            var key = new RowKey(z, i * p, p);
            if (!firstOf.TryGetValue(key, out int c))
            {
                c = counts.Count;
                firstOf.Add(key, c);
                counts.Add(0);
                sums.Add(new double[p]);
            }

            clusterOf[i] = c;
            counts[c]++;
            var sum = sums[c];
            for (int j = 0; j < p; j++)
            {
                sum[j] += z[(i * p) + j];
            }
        }

        int m = counts.Count;
        var count = counts.ToArray();
        var mean = new double[m][];
        var scatter = new double[m][];
        var cost = new double[m];
        for (int c = 0; c < m; c++)
        {
            mean[c] = sums[c].Select(v => v / count[c]).ToArray();
            scatter[c] = new double[p * p];   // duplicates have no scatter
            cost[c] = ClusterCost(count[c], scatter[c], p, alpha);
        }

        var alive = Enumerable.Repeat(true, m).ToArray();
        var version = new int[m];                        // bumped whenever a cluster changes, to invalidate its queued merges
        var merged = new double[p * p];

        // Every candidate merge in a priority queue ordered by (cost, larger index, smaller index); entries of clusters that
        // changed since are skipped when they come up (lazy deletion), so a merge only queues the merged cluster's new pairs.
        var queue = new PriorityQueue<(int I, int J, int VersionI, int VersionJ), (double Cost, int I, int J)>(m * Math.Max(m - 1, 1) / 2);
        for (int i = 1; i < m; i++)
        {
            if ((i & 63) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int j = 0; j < i; j++)
            {
                queue.Enqueue((i, j, 0, 0), (MergeCost(i, j), i, j));
            }
        }

        var sequence = new List<(int Target, int Source)>(Math.Max(m - k, 0));
        int clusters = m;
        while (clusters > k)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (a, b, versionA, versionB) = queue.Dequeue();   // a > b; a is merged into b
            if (!alive[a] || !alive[b] || version[a] != versionA || version[b] != versionB)
            {
                continue;
            }

            MergeInto(b, a);
            sequence.Add((b, a));
            alive[a] = false;
            version[a]++;
            version[b]++;
            clusters--;
            for (int c = 0; c < m; c++)
            {
                if (alive[c] && c != b)
                {
                    int high = Math.Max(b, c), low = Math.Min(b, c);
                    queue.Enqueue((high, low, version[high], version[low]), (MergeCost(high, low), high, low));
                }
            }
        }

        return [.. sequence];

        double MergeCost(int i, int j)
        {
            MergedScatter(i, j, merged);
            return ClusterCost(count[i] + count[j], merged, p, alpha) - cost[i] - cost[j];
        }

        void MergedScatter(int i, int j, double[] destination)
        {
            double factor = count[i] * count[j] / (count[i] + count[j]);
            var mi = mean[i];
            var mj = mean[j];
            var si = scatter[i];
            var sj = scatter[j];
            for (int r = 0; r < p; r++)
            {
                double dr = mi[r] - mj[r];
                for (int c = 0; c < p; c++)
                {
                    destination[(r * p) + c] = si[(r * p) + c] + sj[(r * p) + c] + (factor * dr * (mi[c] - mj[c]));
                }
            }
        }

        void MergeInto(int target, int source)
        {
            var combined = new double[p * p];
            MergedScatter(target, source, combined);
            double total = count[target] + count[source];
            for (int r = 0; r < p; r++)
            {
                mean[target][r] = ((count[target] * mean[target][r]) + (count[source] * mean[source][r])) / total;
            }

            count[target] = total;
            scatter[target] = combined;
            cost[target] = ClusterCost(total, combined, p, alpha);
        }
    }

    /// <summary>log det of a symmetric positive semi-definite p × p matrix by Cholesky; −∞ when a pivot is not positive.</summary>
    private static double LogDeterminant(ReadOnlySpan<double> matrix, int p)
    {
        Span<double> l = p <= 32 ? stackalloc double[p * p] : new double[p * p];
        double logDet = 0;
        for (int j = 0; j < p; j++)
        {
            double diagonal = matrix[(j * p) + j];
            for (int m = 0; m < j; m++)
            {
                diagonal -= l[(j * p) + m] * l[(j * p) + m];
            }

            if (!(diagonal > 0))
            {
                return double.NegativeInfinity;
            }

            double root = Math.Sqrt(diagonal);
            l[(j * p) + j] = root;
            logDet += 2 * Math.Log(root);
            for (int i = j + 1; i < p; i++)
            {
                double value = matrix[(i * p) + j];
                for (int m = 0; m < j; m++)
                {
                    value -= l[(i * p) + m] * l[(j * p) + m];
                }

                l[(i * p) + j] = value / root;
            }
        }

        return logDet;
    }

    /// <summary>A row of the transformed data as a dictionary key (exact equality of its values).</summary>
    private readonly struct RowKey : IEquatable<RowKey>
    {
        private readonly double[] _values;
        private readonly int _start;
        private readonly int _length;

        public RowKey(double[] values, int start, int length)
        {
            _values = values;
            _start = start;
            _length = length;
        }

        public bool Equals(RowKey other) => _values.AsSpan(_start, _length).SequenceEqual(other._values.AsSpan(other._start, other._length));

        public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            for (int j = 0; j < _length; j++)
            {
                hash.Add(_values[_start + j]);
            }

            return hash.ToHashCode();
        }
    }
}
