namespace MixtureModels.Fitting;

/// <summary>
/// The E-step and the accumulation of the M-step statistics of one block of complete rows, for all K components of a
/// family at once. <see cref="Prepare"/> packs the parameters once per pass; the block methods are then called from
/// several threads at once (with per-thread scratch, see <see cref="Internal.ThreadScratch"/>) and must give the same
/// results as the per-component path to rounding.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
internal interface IBlockKernel<TComponent>
{
    /// <summary>Packs log π_k and the parameters of the components for the following block calls; false when the kernel cannot serve them.</summary>
    /// <param name="components">The K components.</param>
    /// <param name="logWeights">log π_k.</param>
    bool Prepare(IReadOnlyList<TComponent> components, ReadOnlySpan<double> logWeights);

    /// <summary>
    /// The fused E+M pass over a block: computes wₙ·p(z = k | xₙ), adds the weighted statistics of every component into
    /// <paramref name="statistics"/> (each already centred by the family), and writes log p(xₙ) per row.
    /// </summary>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="rowWeights">wₙ per row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) (length count).</param>
    /// <param name="statistics">The K accumulators of this chunk.</param>
    void Accumulate(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood, ReadOnlySpan<Components.ISufficientStatistics> statistics);

    /// <summary>Writes log π_k + log p(xₙ | θ_k) into logProb[k·stride + n], as <see cref="Internal.EStepKernel.JointLogDensity{TComponent}"/>.</summary>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="logProb">K × stride destination.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride);
}
