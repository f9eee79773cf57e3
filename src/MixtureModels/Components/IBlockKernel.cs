namespace MixtureModels.Components;

/// <summary>
/// The fused E-step and M-step statistics of one block of complete rows for all K components of a family: the batched
/// path of a fit. Like <see cref="IBlockDensityKernel{TComponent}"/>, it is prepared once per pass and then called from
/// several threads at once, each with its own accumulators; it must give the same results as the per-component path
/// (<see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/>, then <see cref="ISufficientStatistics.Accumulate"/>
/// with the responsibilities) to rounding.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
/// <typeparam name="TStatistics">The statistics type of the family.</typeparam>
public interface IBlockKernel<TComponent, TStatistics> : IBlockDensityKernel<TComponent>
    where TStatistics : ISufficientStatistics<TStatistics>
{
    /// <summary>
    /// The fused E+M pass over a block: computes wₙ·p(z = k | xₙ), adds the weighted statistics of every component into
    /// <paramref name="statistics"/> (each already centred by the family), and writes log p(xₙ) per row.
    /// </summary>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="rowWeights">wₙ per row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) (length count).</param>
    /// <param name="statistics">The K accumulators of the calling worker.</param>
    void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<TStatistics> statistics);
}
