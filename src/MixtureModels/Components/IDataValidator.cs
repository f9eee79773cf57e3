namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family: checks data beyond shape and finiteness (for example that Bernoulli columns hold
/// only 0 and 1). The estimator calls it on the training data, and the fitted model on every query.
/// </summary>
public interface IDataValidator
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first row and column that do not suit the family.</summary>
    /// <param name="data">Data whose shape and finiteness have been checked.</param>
    /// <param name="parameterName">The name of the caller's parameter, for the message.</param>
    /// <param name="allowMissing">Whether NaN marks a missing entry (then NaN is allowed).</param>
    /// <exception cref="ArgumentException">A value does not suit the family.</exception>
    void Validate(DataMatrix data, string parameterName, bool allowMissing);
}
