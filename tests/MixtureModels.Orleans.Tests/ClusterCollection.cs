namespace MixtureModels.Orleans.Tests;

/// <summary>The tests that share <see cref="ClusterFixture"/> (one cluster for all, started once).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Orleans cluster";
}
