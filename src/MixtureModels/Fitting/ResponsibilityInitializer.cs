using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// Every initialiser produces responsibilities (an <see cref="InitialAssignment"/>: N × K values, or one label per row
/// for the hard initialisers); the engine's M-step turns them into a model. One instance serves all the restarts of a
/// fit, so that what does not depend on the restart (k-means' buffers and the data's column variance) is made once.
/// </summary>
internal sealed class ResponsibilityInitializer
{
    private readonly InitializationMethod _method;
    private readonly DataMatrix _data;
    private readonly double[]? _weights;
    private readonly int _k;
    private readonly int _maxDegreeOfParallelism;
    private KMeansAlgorithm? _kMeans;
    private KMeansAlgorithm? _standardizedKMeans;
    private HierarchicalTree? _tree;
    private double[]? _responsibilities;
    private int[]? _labels; // k-means' labels, shared by the restarts (each start is used before the next is made)

    /// <summary>Prepares the initialiser for one fit.</summary>
    /// <param name="method">The initialisation method.</param>
    /// <param name="data">The complete rows (missing entries already imputed).</param>
    /// <param name="weights">A weight per row, or null.</param>
    /// <param name="k">The component count.</param>
    /// <param name="maxDegreeOfParallelism">Worker threads of k-means' passes, or -1 for all cores.</param>
    public ResponsibilityInitializer(InitializationMethod method, DataMatrix data, double[]? weights, int k, int maxDegreeOfParallelism)
    {
        _method = method;
        _data = data;
        _weights = weights;
        _k = k;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
    }

    /// <summary>
    /// The user's starting responsibilities (<see cref="MixtureOptions.InitialResponsibilities"/> as a fresh N × K
    /// row-major copy, or <see cref="MixtureOptions.InitialLabels"/> as a copy of the labels), checked against the data's
    /// row count; null when neither is set.
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not match, or a value is invalid; the message names the row.</exception>
    public static InitialAssignment? FromOptions(MixtureOptions options, int rows)
    {
        int k = options.ComponentCount;
        if (options.InitialLabels is { } labels)
        {
            if (labels.Count != rows)
            {
                ThrowHelper.ThrowArgument(nameof(options.InitialLabels), string.Create(CultureInfo.InvariantCulture, $"InitialLabels has {labels.Count} entries but the data has {rows} rows. Give one label per training row."));
            }

            var result = new int[rows];
            for (int n = 0; n < rows; n++)
            {
                int label = labels[n];
                if ((uint)label >= (uint)k)
                {
                    ThrowHelper.ThrowArgument(nameof(options.InitialLabels), string.Create(CultureInfo.InvariantCulture, $"InitialLabels[{n}] = {label} is not a component index. Use labels in [0, {k}) (ComponentCount = {k})."));
                }

                result[n] = label;
            }

            return InitialAssignment.Hard(result, k);
        }

        if (options.InitialResponsibilities is not { } given)
        {
            return null;
        }

        if (given.Rows != rows || given.Columns != k)
        {
            ThrowHelper.ThrowArgument(nameof(options.InitialResponsibilities), string.Create(CultureInfo.InvariantCulture, $"InitialResponsibilities is {given.Rows} × {given.Columns} but the data has {rows} rows and ComponentCount is {k}. Give an N × K matrix."));
        }

        var responsibilities = given.Values[..(rows * k)].ToArray();
        for (int n = 0; n < rows; n++)
        {
            double total = 0;
            for (int c = 0; c < k; c++)
            {
                double r = responsibilities[(n * k) + c];
                if (!(r >= 0) || !double.IsFinite(r))
                {
                    ThrowHelper.ThrowArgument(nameof(options.InitialResponsibilities), string.Create(CultureInfo.InvariantCulture, $"InitialResponsibilities[{n}, {c}] = {r} is not a probability. Give finite, non-negative responsibilities whose rows sum to 1."));
                }

                total += r;
            }

            if (Math.Abs(total - 1) > 1e-6)
            {
                ThrowHelper.ThrowArgument(nameof(options.InitialResponsibilities), string.Create(CultureInfo.InvariantCulture, $"Row {n} of InitialResponsibilities sums to {total}, not 1. Normalise every row to sum to 1."));
            }
        }

        return InitialAssignment.Soft(responsibilities, k);
    }

    /// <summary>One label array for every restart's k-means (not cleared: k-means writes each label before reading it).</summary>
    private int[] LabelBuffer(int rows) => _labels ??= HugePages.NewUninitializedArray<int>(rows);

    private KMeansAlgorithm KMeans => _kMeans ??= new KMeansAlgorithm(_data, _weights, _k, _maxDegreeOfParallelism);

    /// <summary>k-means on the standardised columns, made on first use and kept for the other restarts.</summary>
    private KMeansAlgorithm StandardizedKMeans => _standardizedKMeans ??= new KMeansAlgorithm(Standardized(_data, _weights), _weights, _k, _maxDegreeOfParallelism);

    /// <summary>
    /// The responsibilities of one restart, drawing from <paramref name="random"/>: the labels of the hard initialisers
    /// (k-means, standardised k-means, the hierarchical cut), N × K values for the others. The arrays may be this
    /// instance's and be overwritten by the next call: use the result before asking for the next restart.
    /// </summary>
    public InitialAssignment Create(Random random, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var method = _method;
        int k = _k, n = _data.Rows;
        switch (method)
        {
            case InitializationMethod.KMeans:
                return InitialAssignment.Hard(KMeans.Run(random, 300, 1e-4, cancellationToken, LabelBuffer(n)).Labels, k);
            case InitializationMethod.KMeansStandardized:
                return InitialAssignment.Hard(StandardizedKMeans.Run(random, 300, 1e-4, cancellationToken, LabelBuffer(n)).Labels, k);
            case InitializationMethod.ModelBasedHierarchical:
                return InitialAssignment.Hard(Hierarchical(random, cancellationToken).Cut(k), k);
        }

        // Not cleared by the allocator: every entry is written below, by the threads of one parallel pass (a fresh
        // 12.8 MB array cleared on one thread cost W1 about 5 ms of page faults).
        var responsibilities = _responsibilities ??= HugePages.NewUninitializedArray<double>(n * k);
        switch (method)
        {
            case InitializationMethod.KMeansPlusPlus:
                WriteLabels([], k, responsibilities, _maxDegreeOfParallelism, cancellationToken);
                SetSeeds(KMeans.PlusPlusSeeds(random, cancellationToken), k, responsibilities);
                break;
            case InitializationMethod.RandomResponsibilities:
                for (int i = 0; i < n; i++)
                {
                    if ((i & 4095) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    double total = 0;
                    for (int c = 0; c < k; c++)
                    {
                        double u = random.NextDouble();
                        responsibilities[(i * k) + c] = u;
                        total += u;
                    }

                    for (int c = 0; c < k; c++)
                    {
                        responsibilities[(i * k) + c] /= total;
                    }
                }

                break;
            case InitializationMethod.RandomFromData:
                WriteLabels([], k, responsibilities, _maxDegreeOfParallelism, cancellationToken);
                SetSeeds(DistinctRows(_weights, n, k, random), k, responsibilities);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, $"method = {method} is not defined. Use one of KMeans, KMeansPlusPlus, RandomResponsibilities, RandomFromData, ModelBasedHierarchical, KMeansStandardized.");
        }

        return InitialAssignment.Soft(responsibilities, k);
    }

    /// <summary>
    /// The hierarchical merge tree: built once when every row is clustered (it depends on the data only, and the build
    /// draws nothing), and again for every restart when a subsample is drawn from <paramref name="random"/>.
    /// </summary>
    private HierarchicalTree Hierarchical(Random random, CancellationToken cancellationToken) =>
        _data.Rows <= HierarchicalInitializer.SubsampleRows
            ? _tree ??= HierarchicalTree.Build(_data, random, cancellationToken)
            : HierarchicalTree.Build(_data, random, cancellationToken);

    /// <summary>
    /// Writes every entry of the N × K <paramref name="responsibilities"/>: row i gets 1 for component labels[i] and 0
    /// elsewhere, and rows from labels.Length on (all rows when <paramref name="labels"/> is empty) get zeros. Rows in
    /// chunks of <see cref="LabelChunkRows"/> on up to <paramref name="maxDegreeOfParallelism"/> threads, so the first
    /// touch of a fresh array is a write shared by the threads of the fit.
    /// </summary>
    internal static void WriteLabels(int[] labels, int k, double[] responsibilities, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        int n = responsibilities.Length / k;
        int chunks = (n + LabelChunkRows - 1) / LabelChunkRows;
        ChunkRunner.ForEach(Math.Max(chunks, 1), maxDegreeOfParallelism, cancellationToken, c =>
        {
            int start = c * LabelChunkRows, end = Math.Min(start + LabelChunkRows, n);
            responsibilities.AsSpan(start * k, Math.Max(end - start, 0) * k).Clear();
            for (int i = start; i < Math.Min(end, labels.Length); i++)
            {
                responsibilities[(i * k) + labels[i]] = 1;
            }
        });
    }

    /// <summary>Rows per chunk of <see cref="WriteLabels"/> (K = 8: 256 KB).</summary>
    internal const int LabelChunkRows = 4096;

    /// <summary>Row rows[c] gets responsibility 1 for component c; every other row none (the array holds zeros).</summary>
    private static void SetSeeds(int[] rows, int k, double[] responsibilities)
    {
        for (int c = 0; c < k; c++)
        {
            responsibilities[(rows[c] * k) + c] = 1;
        }
    }

    /// <summary>
    /// A copy of the data with every column centred on its (sample-weighted) mean and divided by its standard deviation;
    /// a constant column is only centred.
    /// </summary>
    internal static DataMatrix Standardized(DataMatrix data, double[]? weights)
    {
        int n = data.Rows, d = data.Columns;
        var variances = ColumnVariance.PerColumn(data, weights, out _, out var mean);
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(variances[j]);
            scale[j] = sd > 0 && double.IsFinite(sd) ? 1 / sd : 1;
        }

        var values = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            var row = data.Row(i);
            for (int j = 0; j < d; j++)
            {
                values[(i * d) + j] = (row[j] - mean[j]) * scale[j];
            }
        }

        return DataMatrix.FromRowMajor(values, d);
    }

    /// <summary>K distinct row indices drawn without replacement, with probability ∝ weight among rows not yet drawn.</summary>
    private static int[] DistinctRows(double[]? weights, int n, int k, Random random)
    {
        var remaining = weights is null ? null : (double[])weights.Clone();
        var taken = new bool[n];
        var result = new int[k];
        for (int c = 0; c < k; c++)
        {
            int pick;
            if (remaining is null)
            {
                do
                {
                    pick = random.Next(n);
                }
                while (taken[pick]);
            }
            else
            {
                // When fewer rows than K have positive weight, fall back to any row not yet drawn.
                bool anyPositive = Array.Exists(remaining, w => w > 0);
                pick = anyPositive ? KMeansAlgorithm.WeightedChoice(remaining, n, random) : Array.IndexOf(taken, false);
                remaining[pick] = 0;
            }

            taken[pick] = true;
            result[c] = pick;
        }

        return result;
    }
}
