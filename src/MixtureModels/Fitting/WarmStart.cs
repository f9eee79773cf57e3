namespace MixtureModels.Fitting;

/// <summary>A previous fit to continue from: its parameters and its final lower bound.</summary>
internal sealed record WarmStart<TComponent>(double[] Weights, TComponent[] Components, double LowerBound);
