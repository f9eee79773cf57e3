namespace MixtureModels.Fitting;

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
}
