namespace MixtureModels;

/// <summary>Rows drawn from a mixture and the component each was drawn from.</summary>
/// <param name="Rows">The draws, one per row (count × D).</param>
/// <param name="Labels">The component index of every draw.</param>
public sealed record MixtureSample(double[,] Rows, int[] Labels);
