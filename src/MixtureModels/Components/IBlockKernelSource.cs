namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family: a batched kernel that evaluates its K components together on a block of rows. The
/// engine asks once per fit (and a fitted model once) and uses the components one by one when the family does not
/// implement it, returns null, or a block has missing entries.
/// </summary>
/// <typeparam name="TComponent">The component type of the family.</typeparam>
/// <typeparam name="TStatistics">The statistics type of the family.</typeparam>
public interface IBlockKernelSource<TComponent, TStatistics>
    where TStatistics : ISufficientStatistics<TStatistics>
{
    /// <summary>A new kernel for <paramref name="componentCount"/> components, or null when this CPU or shape has no faster batched path.</summary>
    /// <param name="componentCount">K.</param>
    IBlockKernel<TComponent, TStatistics>? CreateBlockKernel(int componentCount);
}
