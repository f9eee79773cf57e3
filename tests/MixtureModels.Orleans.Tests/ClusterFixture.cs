using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Gaussian;
using Orleans.TestingHost;

namespace MixtureModels.Orleans.Tests;

/// <summary>One in-process cluster of three silos on loopback for every test of the collection.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string FullKey = "gaussian-full";
    public const string DiagonalKey = "gaussian-diagonal";
    public const string BernoulliKey = "bernoulli";
    public const string ExponentialKey = "exponential";
    public const string FailingKey = "failing";

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.StopAllSilosAsync();

    /// <summary>Registers the test families on every silo.</summary>
    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddMixtureFamily(FullKey, columns => new FullCovarianceFamily(columns, 1e-6));
            siloBuilder.Services.AddMixtureFamily(DiagonalKey, columns => new DiagonalCovarianceFamily(columns, 1e-6));
            siloBuilder.Services.AddMixtureFamily(BernoulliKey, columns => new BernoulliFamily(columns));
            siloBuilder.Services.AddMixtureFamily(ExponentialKey, _ => new ExponentialFamily());
            siloBuilder.Services.AddMixtureFamily(FailingKey, columns => new FailingFamily(columns));
        }
    }
}
