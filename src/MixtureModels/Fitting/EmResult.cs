namespace MixtureModels.Fitting;

/// <summary>Outcome of one EM run from one starting point.</summary>
internal sealed record EmResult<TComponent>(
    double[] Weights,
    TComponent[] Components,
    bool Converged,
    int Iterations,
    double LowerBound,
    double[] LowerBoundHistory);
