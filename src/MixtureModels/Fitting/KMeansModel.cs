using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>A fitted k-means clustering. Immutable and safe to share across threads.</summary>
public sealed class KMeansModel
{
    private readonly double[] _centers;
    private readonly int[] _labels;
    private readonly int _maxDegreeOfParallelism;

    internal KMeansModel(double[] centers, int dimension, int[] labels, double inertia, int iterations, bool converged, int maxDegreeOfParallelism)
    {
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _centers = centers;
        _labels = labels;
        Dimension = dimension;
        ClusterCount = centers.Length / dimension;
        Inertia = inertia;
        IterationCount = iterations;
        Converged = converged;
    }

    /// <summary>Number of clusters K.</summary>
    public int ClusterCount { get; }

    /// <summary>Number of columns D.</summary>
    public int Dimension { get; }

    /// <summary>Σ wᵢ‖xᵢ − c_label(i)‖² on the training data (scikit-learn's inertia_).</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations run by the kept initialisation.</summary>
    public int IterationCount { get; }

    /// <summary>Whether the kept run met the tolerance (or stopped changing labels) before the iteration limit.</summary>
    public bool Converged { get; }

    /// <summary>Cluster of every training row (scikit-learn's labels_).</summary>
    public IReadOnlyList<int> Labels => Array.AsReadOnly(_labels);

    /// <summary>Returns a new K × D matrix of the cluster centres.</summary>
    public Matrix<double> GetCenters() => Matrix<double>.Build.Dense(ClusterCount, Dimension, (i, j) => _centers[(i * Dimension) + j]);

    /// <summary>Nearest centre of every row (the first one on ties), in parallel with the estimator's <see cref="KMeansOptions.MaxDegreeOfParallelism"/>.</summary>
    /// <param name="data">N × D data with the training column count.</param>
    /// <exception cref="ArgumentException">The column count differs from the training data, or a value is not finite.</exception>
    public int[] Predict(DataMatrix data)
    {
        data = InputValidation.QueryData(data, Dimension, maxDegreeOfParallelism: _maxDegreeOfParallelism);
        var labels = HugePages.NewArray<int>(data.Rows);
        KMeansAlgorithm.Assign(data, _centers, ClusterCount, labels, _maxDegreeOfParallelism, CancellationToken.None);
        return labels;
    }

    /// <summary>Nearest centre of one row (the first one on ties): the answer <see cref="Predict(DataMatrix)"/> gives for that row.</summary>
    /// <param name="row">D finite values.</param>
    /// <returns>The cluster index in [0, K).</returns>
    /// <exception cref="ArgumentException">The row's length differs from the training column count, or a value is not finite.</exception>
    public int Predict(ReadOnlySpan<double> row)
    {
        SpanArguments.Length(row.Length, Dimension, nameof(row));
        return Predict(DataMatrix.FromRowMajor(row.ToArray(), Dimension))[0];
    }

    /// <summary>Short, culture-invariant text: the cluster count, the column count and the inertia, e.g. <c>KMeansModel(K = 3, D = 2, inertia = 78.85)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"KMeansModel(K = {ClusterCount}, D = {Dimension}, inertia = {Inertia:G6})");
}
