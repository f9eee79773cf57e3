namespace MixtureModels.Samples;

/// <summary>
/// Agreement between a clustering and known classes: the contingency table, the adjusted Rand index
/// (Hubert &amp; Arabie, 1985) and the accuracy of the best one-to-one matching of clusters to classes.
/// </summary>
internal sealed class ClusterAgreement
{
    private ClusterAgreement(string[] classNames, int clusterCount, long[,] table, double adjustedRandIndex, double accuracy)
    {
        ClassNames = classNames;
        ClusterCount = clusterCount;
        Table = table;
        AdjustedRandIndex = adjustedRandIndex;
        BestMatchAccuracy = accuracy;
    }

    /// <summary>The distinct classes, in order of first appearance.</summary>
    public string[] ClassNames { get; }

    /// <summary>Number of clusters (columns of <see cref="Table"/>).</summary>
    public int ClusterCount { get; }

    /// <summary>Rows are classes, columns clusters; entry = number of points in both.</summary>
    public long[,] Table { get; }

    /// <summary>1 for identical partitions, about 0 for random ones.</summary>
    public double AdjustedRandIndex { get; }

    /// <summary>Fraction of points whose cluster maps to their class under the best one-to-one matching.</summary>
    public double BestMatchAccuracy { get; }

    /// <summary>Compares <paramref name="clusters"/> (0..K−1) with <paramref name="classes"/>.</summary>
    /// <param name="classes">The known class of every point.</param>
    /// <param name="clusters">The cluster of every point, in [0, <paramref name="clusterCount"/>).</param>
    /// <param name="clusterCount">K.</param>
    public static ClusterAgreement Compute(IReadOnlyList<string> classes, IReadOnlyList<int> clusters, int clusterCount)
    {
        if (classes.Count != clusters.Count)
        {
            throw new ArgumentException("classes and clusters must have the same length.", nameof(clusters));
        }

        string[] names = [.. classes.Distinct()];
        var index = names.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);
        var table = new long[names.Length, clusterCount];
        for (int n = 0; n < classes.Count; n++)
        {
            table[index[classes[n]], clusters[n]]++;
        }

        return new ClusterAgreement(names, clusterCount, table, AdjustedRand(table), BestMatch(table, classes.Count));
    }

    private static double AdjustedRand(long[,] table)
    {
        int rows = table.GetLength(0), cols = table.GetLength(1);
        double sumCells = 0, sumRows = 0, sumCols = 0;
        long n = 0;
        for (int i = 0; i < rows; i++)
        {
            long rowTotal = 0;
            for (int j = 0; j < cols; j++)
            {
                sumCells += Pairs(table[i, j]);
                rowTotal += table[i, j];
            }

            sumRows += Pairs(rowTotal);
            n += rowTotal;
        }

        for (int j = 0; j < cols; j++)
        {
            long colTotal = 0;
            for (int i = 0; i < rows; i++)
            {
                colTotal += table[i, j];
            }

            sumCols += Pairs(colTotal);
        }

        double expected = sumRows * sumCols / Pairs(n);
        double max = 0.5 * (sumRows + sumCols);
        return max == expected ? 1.0 : (sumCells - expected) / (max - expected);
    }

    private static double Pairs(long m) => m * (m - 1) / 2.0;

    /// <summary>Best one-to-one matching by trying every assignment (fine for the handful of clusters here).</summary>
    private static double BestMatch(long[,] table, int total)
    {
        int rows = table.GetLength(0), cols = table.GetLength(1);
        long best = 0;
        var used = new bool[cols];

        void Search(int row, long matched)
        {
            if (row == rows)
            {
                best = Math.Max(best, matched);
                return;
            }

            Search(row + 1, matched); // this class matched to no cluster (only matters when classes outnumber clusters)
            for (int j = 0; j < cols; j++)
            {
                if (!used[j])
                {
                    used[j] = true;
                    Search(row + 1, matched + table[row, j]);
                    used[j] = false;
                }
            }
        }

        Search(0, 0);
        return (double)best / total;
    }
}
