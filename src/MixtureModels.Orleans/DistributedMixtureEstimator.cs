using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Fitting;
using MixtureModels.Orleans.Shards;

namespace MixtureModels.Orleans;

/// <summary>
/// Fits a mixture of any component family by EM on an Orleans cluster. The rows are held by shard grains, each a run of
/// whole chunks of the plan the local fit would use for the same rows (the same blocks and chunks for the same N, D and
/// K). Every iteration the coordinator — this object, in the calling process — sends the parameters to every shard
/// (as the merged statistics they were estimated from, so every shard estimates them bit for bit), each shard answers
/// with the K statistics and the log-likelihood sum of each of its chunks, the coordinator merges them in chunk order
/// and runs the M-step once. Initialisation, restarts, convergence, progress and cancellation are the local fit's own
/// code, so the fitted model is the one <see cref="MixtureEstimator{TComponent, TStatistics}.Fit(DataMatrix, double[], IProgress{FitProgress}, CancellationToken)"/>
/// returns for the same rows, bit for bit, whatever the number of silos and shards — when the data set has at most
/// <see cref="MixtureOptions.SourceSampleRows"/> rows; beyond, the initialisation runs on a uniform sample of that many
/// rows (drawn by the shards, seeded), and the fit is the same for any number of silos and shards.
/// </summary>
/// <remarks>
/// <para>
/// Every silo must register the family under <see cref="FamilyKey"/>
/// (<see cref="MixtureShardServiceCollectionExtensions.AddMixtureFamily"/>) and, for rows read on the silos, their row
/// source. A shard that fails or does not answer within <see cref="DistributedFitOptions.CallTimeout"/> is loaded again
/// (on a live silo, from its sources or from the client's rows) and asked again; the iteration goes on with the same
/// numbers. EM only, unweighted rows, starts from the initialiser (no user start, no warm start); at most
/// <see cref="int.MaxValue"/> rows. The labels of all rows come back to the coordinator (4 bytes per row).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var family = new FullCovarianceFamily(columns, 1e-6);
/// var estimator = new DistributedMixtureEstimator&lt;GaussianComponent, GaussianStatistics&gt;(client, family, "gaussian-full", new MixtureOptions { ComponentCount = 3 });
/// FittedMixtureModel&lt;GaussianComponent&gt; model = await estimator.FitAsync(DistributedRows.FromCsvFiles(paths));
/// </code>
/// </example>
/// <typeparam name="TComponent">The component type.</typeparam>
/// <typeparam name="TStatistics">The family's statistics type.</typeparam>
public sealed class DistributedMixtureEstimator<TComponent, TStatistics>
    where TComponent : class, IComponent
    where TStatistics : class, ISufficientStatistics<TStatistics>
{
    private readonly IGrainFactory _grains;

    /// <summary>Creates the estimator.</summary>
    /// <param name="grains">The cluster client (or a silo's grain factory).</param>
    /// <param name="family">The component family, as the silos make it under <paramref name="familyKey"/> for the data's column count.</param>
    /// <param name="familyKey">The key the silos registered the family under.</param>
    /// <param name="options">The fit's settings, as for a local fit; validated here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="familyKey"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the fix.</exception>
    public DistributedMixtureEstimator(IGrainFactory grains, IComponentFamily<TComponent, TStatistics> family, string familyKey, MixtureOptions options)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(familyKey);
        ArgumentNullException.ThrowIfNull(options);
        if (familyKey.Length == 0)
        {
            throw new ArgumentException("familyKey is empty. Give the key the silos registered the family under (services.AddMixtureFamily(key, ...)).", nameof(familyKey));
        }

        options.ValidateShared();
        _grains = grains;
        Family = family;
        FamilyKey = familyKey;
        Options = options;
    }

    /// <summary>The component family.</summary>
    public IComponentFamily<TComponent, TStatistics> Family { get; }

    /// <summary>The key the silos registered the family under.</summary>
    public string FamilyKey { get; }

    /// <summary>The fit's settings.</summary>
    public MixtureOptions Options { get; }

    /// <summary>How the cluster is used: shards, timeouts, retries (never the numbers).</summary>
    public DistributedFitOptions Distributed { get; init; } = new();

    /// <summary>How the mixing weights are estimated (default <see cref="MaximumLikelihoodWeights"/>), on the coordinator.</summary>
    public IWeightStep WeightStep { get; init; } = MaximumLikelihoodWeights.Instance;

    /// <summary>Called with the shards' grain keys once they are loaded (tests use it to find the silos that host them).</summary>
    internal Action<IReadOnlyList<string>>? ShardsLoaded { get; init; }

    /// <summary>Re-loads of a shard (after a failure, or an activation that had lost its rows) during the last fit.</summary>
    internal int LastShardReloads { get; private set; }

    /// <summary>Fits the mixture to <paramref name="rows"/> on the cluster: <see cref="FitAsync(DistributedRows, IProgress{FitProgress}, CancellationToken)"/> without progress or cancellation.</summary>
    /// <param name="rows">The rows: parts read on the silos, or rows pushed from memory.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    public Task<FittedMixtureModel<TComponent>> FitAsync(DistributedRows rows) => FitAsync(rows, null, CancellationToken.None);

    /// <summary>
    /// Fits the mixture to <paramref name="rows"/> on the cluster: counts and loads the shards, draws the initialisation
    /// sample, runs EM (every pass on the shards, every M-step here) with restarts, and labels every row with a final
    /// E-step; then drops the shards' rows.
    /// </summary>
    /// <param name="rows">The rows: parts read on the silos, or rows pushed from memory. N ≥ K, D = the family's dimension.</param>
    /// <param name="progress">Optional callback after every iteration, called synchronously on the fitting thread (a thread-pool thread, not a grain's).</param>
    /// <param name="cancellationToken">Cancels the fit: between calls and iterations here, and between blocks of a pass under way on a shard (Orleans passes the token to the grain).</param>
    /// <returns>The fitted model, as a local fit returns it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException">The rows do not suit the family or the options; the message says why.</exception>
    /// <exception cref="ShardSourceException">A shard could not read or check its rows.</exception>
    /// <exception cref="ShardUnavailableException">A shard failed on every retry.</exception>
    /// <exception cref="NotSupportedException">A gradient algorithm, or more than <see cref="int.MaxValue"/> rows, were asked for.</exception>
    /// <exception cref="CovarianceNotPositiveDefiniteException">A covariance collapsed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<FittedMixtureModel<TComponent>> FitAsync(DistributedRows rows, IProgress<FitProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        Distributed.Validate();
        if (Options.Algorithm != FittingAlgorithm.ExpectationMaximization)
        {
            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"Algorithm = {Options.Algorithm} is not supported by a distributed fit: the gradient algorithms need the rows in memory. Use FittingAlgorithm.ExpectationMaximization."));
        }

        if (rows.Matrix is { } matrix && matrix.Columns != Family.Dimension)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"rows has {matrix.Columns} columns but the family {Family.GetType().Name} has dimension {Family.Dimension}. Give the family the rows' column count."), nameof(rows));
        }

        var shards = new ShardSet<TComponent, TStatistics>(_grains, Family, FamilyKey, Options, Distributed, rows);
        try
        {
            await shards.LoadAsync(cancellationToken).ConfigureAwait(false);
            ShardsLoaded?.Invoke([.. shards.Assignments.Select(a => a.Name)]);
            var (sample, complete) = await shards.SampleAsync(Options.SourceSampleRows, Options.Seed, cancellationToken).ConfigureAwait(false);

            // The engine is synchronous: it runs on a thread-pool thread and waits there for the shards' answers.
            var outcome = await Task.Run(
                () => MixtureEstimator<TComponent, TStatistics>.FitRemoteCore(Family, Options, WeightStep, shards, shards.Rows, shards.Columns, sample, complete, shards.Remember, progress, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return new FittedMixtureModel<TComponent>(outcome);
        }
        finally
        {
            LastShardReloads = shards.Reloads;
            shards.Release();
        }
    }
}
