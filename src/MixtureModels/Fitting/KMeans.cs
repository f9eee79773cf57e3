using MixtureModels.Fitting;

namespace MixtureModels;

/// <summary>
/// k-means clustering: k-means++ seeding followed by Lloyd iterations, with optional sample weights.
/// It is also the default initialiser of the Gaussian mixture.
/// </summary>
/// <example>
/// <code>
/// var model = new KMeans(new KMeansOptions { ClusterCount = 3 }).Fit(data);
/// int[] labels = model.Predict(data);
/// </code>
/// </example>
public sealed class KMeans
{
    /// <summary>Creates the estimator.</summary>
    /// <param name="options">Settings; validated here.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public KMeans(KMeansOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>Creates the estimator with default settings for everything but the cluster count.</summary>
    /// <param name="clusterCount">K, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clusterCount"/> is below 1.</exception>
    public KMeans(int clusterCount)
        : this(new KMeansOptions { ClusterCount = clusterCount })
    {
    }

    /// <summary>The settings.</summary>
    public KMeansOptions Options { get; }

    /// <summary>Clusters the rows of <paramref name="data"/>.</summary>
    /// <param name="data">N × D data, finite, N ≥ K. Not modified.</param>
    /// <param name="sampleWeights">Optional non-negative weight per row (length N).</param>
    /// <param name="cancellationToken">Checked before any work, during k-means++ seeding (before each candidate centre and every few thousand rows) and during every Lloyd iteration.</param>
    /// <returns>The fitted clustering, with the lowest inertia over the initialisations.</returns>
    /// <exception cref="ArgumentException">The data or weights are invalid (the message says which and why).</exception>
    public KMeansModel Fit(DataMatrix data, double[]? sampleWeights = null, CancellationToken cancellationToken = default)
    {
        data = InputValidation.TrainingData(data, Options.ClusterCount, nameof(Options.ClusterCount), maxDegreeOfParallelism: Options.MaxDegreeOfParallelism);
        var weights = InputValidation.SampleWeights(sampleWeights, data.Rows);
        var random = new Random(Options.Seed);
        var algorithm = new KMeansAlgorithm(data, weights, Options.ClusterCount, Options.MaxDegreeOfParallelism);
        KMeansResult? best = null;
        for (int init = 0; init < Options.InitializationCount; init++)
        {
            var result = algorithm.Run(random, Options.MaxIterations, Options.Tolerance, cancellationToken);
            if (best is null || result.Inertia < best.Inertia)
            {
                best = result;
            }
        }

        return new KMeansModel(best!.Centers, data.Columns, best.Labels, best.Inertia, best.Iterations, best.Converged, Options.MaxDegreeOfParallelism);
    }
}

