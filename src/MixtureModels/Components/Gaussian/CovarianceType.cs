namespace MixtureModels;

/// <summary>The shape of the Gaussian components' covariance matrices (scikit-learn's <c>covariance_type</c>).</summary>
public enum CovarianceType
{
    /// <summary>Each component has its own general covariance matrix: D(D+1)/2 parameters per component ("full").</summary>
    Full,

    /// <summary>All components share one general covariance matrix: D(D+1)/2 parameters in all ("tied").</summary>
    Tied,

    /// <summary>Each component has its own diagonal covariance matrix: D variances per component ("diag").</summary>
    Diagonal,

    /// <summary>Each component has its own single variance, σ²·I: one parameter per component ("spherical").</summary>
    Spherical,
}
