namespace MixtureModels.Fitting;

/// <summary>
/// Implemented by a family whose K components the EM engine can evaluate together on a block of rows, with one
/// <see cref="IBlockKernel{TComponent}"/> instead of K calls per component. Optional: the engine asks once per fit and
/// falls back to the per-component path when the family does not implement it or returns null.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
internal interface IBlockKernelSource<TComponent>
{
    /// <summary>A kernel for <paramref name="componentCount"/> components, or null when this CPU or shape has no faster batched path.</summary>
    /// <param name="componentCount">K.</param>
    IBlockKernel<TComponent>? CreateBlockKernel(int componentCount);
}
