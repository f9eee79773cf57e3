namespace MixtureModels;

/// <summary>How EM's starting responsibilities are chosen (scikit-learn's <c>init_params</c>).</summary>
public enum InitializationMethod
{
    /// <summary>Hard responsibilities from a k-means clustering (k-means++ seeding, then Lloyd); "kmeans", the default.</summary>
    KMeans,

    /// <summary>Responsibility 1 for K rows chosen by k-means++ seeding, one per component; "k-means++".</summary>
    KMeansPlusPlus,

    /// <summary>Uniform random responsibilities, normalised per row; "random".</summary>
    RandomResponsibilities,

    /// <summary>Responsibility 1 for K distinct rows drawn at random (∝ sample weight), one per component; "random_from_data".</summary>
    RandomFromData,

    /// <summary>
    /// mclust's start: model-based hierarchical agglomerative clustering with its VVV criterion on its SVD transformation
    /// of the data (<c>hc(modelName = "VVV", use = "SVD")</c>), cut at K clusters, as hard responsibilities. Deterministic:
    /// up to 1000 rows the result depends on the data only (one initialisation is enough; restarts repeat it); larger
    /// data sets are clustered on 1000 rows drawn with the seed and every other row goes to the nearest cluster mean.
    /// Sample weights are not used. Its cost grows as N²·D³ and its memory as about 32·N² bytes (about 32 MB for 1000 rows).
    /// </summary>
    ModelBasedHierarchical,

    /// <summary>
    /// Hard responsibilities from k-means (k-means++ seeding, then Lloyd) on the columns centred and scaled to unit
    /// (sample-weighted) standard deviation, so that no column dominates the distances by its units alone.
    /// </summary>
    KMeansStandardized,
}
