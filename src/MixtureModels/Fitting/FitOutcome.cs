namespace MixtureModels.Fitting;

/// <summary>What the fitting driver hands back to an estimator: the kept parameters, the report and the training labels.</summary>
internal sealed record FitOutcome<TComponent>(double[] Weights, TComponent[] Components, FitReport Report, int[] Labels);
