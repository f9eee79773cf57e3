using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MixtureModels.Components;
using MixtureModels.Orleans.Shards;

namespace MixtureModels.Orleans;

/// <summary>
/// What a silo must know to host the shards of a distributed fit: the component families, each under a key the
/// coordinator names, and the row sources it can open, each under a kind. Register the same keys on every silo
/// (in <c>siloBuilder.Services</c> or the host's services).
/// </summary>
public static class MixtureShardServiceCollectionExtensions
{
    /// <summary>
    /// Registers a component family under <paramref name="key"/>: a shard makes it for the data's column count and runs
    /// its E-step and, from the merged statistics the coordinator sends, its M-step. It must make the same family, with
    /// the same settings, as the one given to the <see cref="DistributedMixtureEstimator{TComponent, TStatistics}"/>, on
    /// every silo. Any family works, a user's own included; its statistics need a JSON form
    /// (<see cref="IStatisticsJsonConverter{TStatistics}"/> on the family, built in for the library's families).
    /// </summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The statistics type.</typeparam>
    /// <param name="services">The silo's services.</param>
    /// <param name="key">The key, such as "gaussian-full".</param>
    /// <param name="factory">Makes the family for a column count.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    /// <example>
    /// <code>
    /// siloBuilder.Services.AddMixtureFamily("gaussian-full", columns =&gt; new FullCovarianceFamily(columns, 1e-6));
    /// </code>
    /// </example>
    public static IServiceCollection AddMixtureFamily<TComponent, TStatistics>(this IServiceCollection services, string key, Func<int, IComponentFamily<TComponent, TStatistics>> factory)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(services);
        CheckKey(key, nameof(key));
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton<ShardFamily>(new ShardFamilyOf<TComponent, TStatistics>(key, factory));
        return services;
    }

    /// <summary>
    /// Registers a row source under <paramref name="kind"/>: a shard whose rows are parts of that kind opens each part's
    /// location with <paramref name="factory"/>, on the silo (<see cref="DistributedRows.CsvKind"/> is known without
    /// registration). A source must yield the same rows every time it is read.
    /// </summary>
    /// <param name="services">The silo's services.</param>
    /// <param name="kind">The kind, such as "parquet".</param>
    /// <param name="factory">Opens a location (a path, a URI, a key of your own).</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty.</exception>
    public static IServiceCollection AddMixtureRowSource(this IServiceCollection services, string kind, Func<string, RowSource> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        CheckKey(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(new ShardRowSourceFactory(kind, factory));
        return services;
    }

    private static void CheckKey(string key, string name)
    {
        ArgumentNullException.ThrowIfNull(key, name);
        if (key.Length == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} is empty. Give a non-empty name, the same on every silo and in the fit."), name);
        }
    }
}
