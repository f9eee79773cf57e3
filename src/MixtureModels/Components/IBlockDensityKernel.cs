namespace MixtureModels.Components;

/// <summary>
/// The joint log-densities log π_k + log p(xₙ | θ_k) of all K components of a family for a block of complete rows, in
/// one call instead of K: the batched E-step that fitting and every query of a fitted model use. <see cref="Prepare"/>
/// packs the parameters once; <see cref="JointLogDensity"/> is then called from several threads at once and must not
/// change the kernel's state (keep per-call or per-thread scratch). It must agree with the components' own
/// <see cref="IComponent.LogDensity(ReadOnlySpan{double}, Span{double})"/> to rounding.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
public interface IBlockDensityKernel<TComponent>
{
    /// <summary>Packs log π_k and the parameters of the components for the following block calls; false when the kernel cannot serve them (the caller then uses the components one by one).</summary>
    /// <param name="components">The K components.</param>
    /// <param name="logWeights">log π_k (K values; −∞ for a component of weight 0).</param>
    bool Prepare(IReadOnlyList<TComponent> components, ReadOnlySpan<double> logWeights);

    /// <summary>Writes log π_k + log p(xₙ | θ_k) into logProb[k·stride + n] for n in [0, count).</summary>
    /// <param name="rows">count × D row-major values, none missing.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="logProb">K × stride destination.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>, at least count.</param>
    void JointLogDensity(ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride);
}
