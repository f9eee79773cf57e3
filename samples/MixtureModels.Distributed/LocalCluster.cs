using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MixtureModels.Components.Gaussian;
using MixtureModels.Orleans;

namespace MixtureModels.Distributed;

/// <summary>
/// A cluster of silos in this process, on loopback with distinct ports (the first silo is the primary that the others
/// join), and a client connected to all their gateways. A real deployment runs one silo per machine with a real
/// membership provider; the fit's code is the same.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>The key every silo registers the full-covariance Gaussian family under.</summary>
    public const string FullKey = "gaussian-full";

    private readonly List<IHost> _silos = [];
    private IHost? _client;

    private LocalCluster()
    {
    }

    /// <summary>The client the fits use.</summary>
    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    /// <summary>Starts <paramref name="silos"/> silos on ports from <paramref name="basePort"/>, then a client.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int basePort)
    {
        var cluster = new LocalCluster();
        var primary = new IPEndPoint(IPAddress.Loopback, basePort);
        for (int i = 0; i < silos; i++)
        {
            int siloPort = basePort + i, gatewayPort = basePort + 100 + i;
            var silo = new HostBuilder()
                .UseOrleans(builder =>
                {
                    builder.UseLocalhostClustering(siloPort, gatewayPort, primary);

                    // What a silo must know: the families (by key) and, for rows read on the silos, their row sources (CSV is built in).
                    builder.Services.AddMixtureFamily(FullKey, columns => new FullCovarianceFamily(columns, 1e-6));
                })
                .Build();
            await silo.StartAsync();
            cluster._silos.Add(silo);
        }

        cluster._client = new HostBuilder()
            .UseOrleansClient(builder => builder.UseLocalhostClustering([.. Enumerable.Range(0, silos).Select(i => basePort + 100 + i)]))
            .Build();
        await cluster._client.StartAsync();
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        for (int i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].StopAsync();
            _silos[i].Dispose();
        }
    }
}
