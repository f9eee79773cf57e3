namespace MixtureModels.Fitting;

/// <summary>The optimiser that minimises the negative log marginal likelihood directly.</summary>
internal enum GradientMethod
{
    /// <summary>Limited-memory BFGS on the full data, with a backtracking line search.</summary>
    Lbfgs,

    /// <summary>Adam on minibatches of rows, for data too large for many full passes.</summary>
    Adam,
}
