using MixtureModels.Components;

namespace MixtureModels.Fitting;

/// <summary>
/// What the generic estimator hands to a fitted model: the kept parameters, the report, the training labels, the
/// parameter count, and what the model needs from the family for its queries (a factory of its batched density kernel, a data check).
/// </summary>
internal sealed record FitOutcome<TComponent>(
    double[] Weights,
    TComponent[] Components,
    FitReport Report,
    int[] Labels,
    int ParameterCount,
    MissingValueHandling MissingValues,
    Func<IBlockDensityKernel<TComponent>?>? QueryKernel,
    IDataValidator? Validator)
{
    /// <summary>The responsibility totals N_k of the kept run's last M-step, when the optimiser reports them.</summary>
    public double[]? ResponsibilityTotals { get; init; }
}
