namespace MixtureModels;

/// <summary>Thrown when an estimator's fitted model is requested before <c>Fit</c> has been called.</summary>
public sealed class NotFittedException : InvalidOperationException
{
    /// <summary>Creates the exception with a message naming the estimator.</summary>
    /// <param name="estimatorName">Name of the estimator type, for the message.</param>
    public NotFittedException(string estimatorName)
        : base($"This {estimatorName} has not been fitted yet. Call Fit(data) first and use the model it returns (or the FittedModel property afterwards).")
    {
    }
}
