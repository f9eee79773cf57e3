using System.Globalization;

namespace MixtureModels;

/// <summary>
/// Thrown when a covariance matrix estimated during fitting is not positive definite, typically because a
/// component collapsed onto a single point or onto a lower-dimensional subspace.
/// </summary>
/// <remarks>
/// The fix is one of: increase <see cref="GaussianMixtureOptions.CovarianceRegularization"/> (reg_covar), set a
/// <see cref="GaussianMixtureOptions.CovariancePrior"/>, use fewer components, or scale the data so that every column
/// has a comparable spread.
/// </remarks>
public sealed class CovarianceNotPositiveDefiniteException : InvalidOperationException
{
    /// <summary>Creates the exception for the given component and regularisation.</summary>
    /// <param name="componentIndex">Index of the component whose covariance failed, or -1 for a shared (tied) covariance.</param>
    /// <param name="regularization">The reg_covar value in use.</param>
    public CovarianceNotPositiveDefiniteException(int componentIndex, double regularization)
        : base(BuildMessage(componentIndex, regularization))
    {
        ComponentIndex = componentIndex;
        Regularization = regularization;
    }

    /// <summary>Creates the exception with its own message (the gradient algorithms' collapse).</summary>
    internal CovarianceNotPositiveDefiniteException(int componentIndex, double regularization, string message)
        : base(message)
    {
        ComponentIndex = componentIndex;
        Regularization = regularization;
    }

    /// <summary>Index of the component whose covariance is not positive definite; -1 for the shared tied covariance.</summary>
    public int ComponentIndex { get; }

    /// <summary>The covariance regularisation (reg_covar) that was in use.</summary>
    public double Regularization { get; }

    private static string BuildMessage(int componentIndex, double regularization)
    {
        string which = componentIndex < 0 ? "The shared (tied) covariance" : string.Create(CultureInfo.InvariantCulture, $"The covariance of component {componentIndex}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{which} is not positive definite with CovarianceRegularization (reg_covar) = {regularization}; the component has collapsed onto too few distinct points. Increase CovarianceRegularization (for example to 1e-6 or more), set a CovariancePrior (GaussianMixtureOptions.CovariancePrior, or the prior of a Gaussian or normal marginal; for example CovariancePrior.FromData(data, k)) or a stronger one, use fewer components, or scale the data so every column has a comparable spread.");
    }
}
