namespace MixtureModels.Tests.Fitting;

/// <summary>
/// Tests that measure the process's managed allocations (<see cref="GC.GetTotalAllocatedBytes"/>) run in this
/// collection, alone: xunit runs it after the parallel collections, so no other test allocates meanwhile.
/// </summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection
{
}
