namespace MixtureModels;

/// <summary>Why the kept EM run stopped.</summary>
public enum ConvergenceReason
{
    /// <summary>The change of the lower bound between two iterations fell below the tolerance.</summary>
    ToleranceReached,

    /// <summary>The iteration limit was reached first; the model may not have converged (raise MaxIterations).</summary>
    MaxIterationsReached,
}
