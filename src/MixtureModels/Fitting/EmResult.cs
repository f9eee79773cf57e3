namespace MixtureModels.Fitting;

/// <summary>Outcome of one EM run from one starting point.</summary>
internal sealed record EmResult<TComponent>(
    double[] Weights,
    TComponent[] Components,
    bool Converged,
    int Iterations,
    double LowerBound,
    double[] LowerBoundHistory)
{
    /// <summary>The responsibility totals N_k = Σₙ wₙ·r_nk of the last M-step (null when the optimiser does not report them).</summary>
    public double[]? ResponsibilityTotals { get; init; }

    /// <summary>L + log prior / W after every iteration, when a prior made it differ from <see cref="LowerBoundHistory"/>; null otherwise.</summary>
    public double[]? ObjectiveHistory { get; init; }
}
