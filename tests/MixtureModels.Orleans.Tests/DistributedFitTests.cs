using System.Globalization;
using MixtureModels.Components;
using MixtureModels.Components.Bernoulli;
using MixtureModels.Components.Gaussian;
using MixtureModels.Orleans.Shards;

namespace MixtureModels.Orleans.Tests;

/// <summary>
/// The distributed fit on a three-silo cluster against the local fit of the same rows: the same numbers bit for bit
/// (weights, parameters, densities, lower bounds, iterations, labels), for any number of shards, with rows pushed from
/// memory or read from files on the silos, and when a silo hosting a shard is stopped mid-fit.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DistributedFitTests(ClusterFixture fixture)
{
    private static readonly MixtureOptions Options = new() { ComponentCount = 3, Seed = 11, InitializationCount = 2, Tolerance = 1e-8, MaxIterations = 60 };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public async Task Full_covariance_fit_is_bit_identical_to_the_local_fit(int shards)
    {
        var data = TestRows.Blobs(6001, 3, seed: 1);
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(new FullCovarianceFamily(3, 1e-6), Options).Fit(data);
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(3, 1e-6), ClusterFixture.FullKey, Options)
        {
            Distributed = new DistributedFitOptions { ShardCount = shards },
        };

        var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data));

        ShouldBeIdentical(distributed, local, data);
        distributed.Components.Select(c => c.Mean.ToArray()).Should().BeEquivalentTo(local.Components.Select(c => c.Mean.ToArray()), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Diagonal_covariance_fit_is_bit_identical_to_the_local_fit()
    {
        var data = TestRows.Blobs(5000, 4, seed: 2);
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(new DiagonalCovarianceFamily(4, 1e-6), Options).Fit(data);
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new DiagonalCovarianceFamily(4, 1e-6), ClusterFixture.DiagonalKey, Options)
        {
            Distributed = new DistributedFitOptions { ShardCount = 3 },
        };

        var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data));

        ShouldBeIdentical(distributed, local, data);
    }

    [Fact]
    public async Task Bernoulli_fit_is_bit_identical_to_the_local_fit()
    {
        var data = TestRows.Binary(4000, 9, seed: 3);
        var local = new MixtureEstimator<BernoulliComponent, BernoulliStatistics>(new BernoulliFamily(9), Options).Fit(data);
        var estimator = new DistributedMixtureEstimator<BernoulliComponent, BernoulliStatistics>(fixture.Cluster.Client, new BernoulliFamily(9), ClusterFixture.BernoulliKey, Options)
        {
            Distributed = new DistributedFitOptions { ShardCount = 3 },
        };

        var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data));

        ShouldBeIdentical(distributed, local, data);
        distributed.Components.Select(c => c.Probabilities.ToArray()).Should().BeEquivalentTo(local.Components.Select(c => c.Probabilities.ToArray()), o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task A_family_written_outside_the_library_is_fitted_bit_identically()
    {
        var random = new Random(8);
        var values = Enumerable.Range(0, 5000).Select(n => -Math.Log(1 - random.NextDouble()) / (n % 2 == 0 ? 0.5 : 4.0)).ToArray();
        var data = DataMatrix.FromRowMajor(values, 1);
        var options = Options with { ComponentCount = 2 };
        var local = new MixtureEstimator<ExponentialComponent, ExponentialStatistics>(new ExponentialFamily(), options).Fit(data);
        var estimator = new DistributedMixtureEstimator<ExponentialComponent, ExponentialStatistics>(fixture.Cluster.Client, new ExponentialFamily(), ClusterFixture.ExponentialKey, options)
        {
            Distributed = new DistributedFitOptions { ShardCount = 3 },
        };

        var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data));

        ShouldBeIdentical(distributed, local, data);
        distributed.Components.Select(c => c.Rate).Should().Equal(local.Components.Select(c => c.Rate));
    }

    [Fact]
    public async Task Csv_parts_read_on_the_silos_give_the_local_fit()
    {
        var data = TestRows.Blobs(3000, 2, seed: 4);
        var directory = Directory.CreateTempSubdirectory("mixture-orleans-");
        try
        {
            // Three files of unequal sizes: the shards' chunks straddle them.
            int[] cuts = [0, 700, 2100, 3000];
            var paths = new List<string>();
            for (int p = 0; p < 3; p++)
            {
                string path = Path.Combine(directory.FullName, string.Create(CultureInfo.InvariantCulture, $"part{p}.csv"));
                var lines = Enumerable.Range(cuts[p], cuts[p + 1] - cuts[p]).Select(n => string.Create(CultureInfo.InvariantCulture, $"{data.Values[n * 2]:R},{data.Values[(n * 2) + 1]:R}"));
                await File.WriteAllLinesAsync(path, ["x,y", .. lines]);
                paths.Add(path);
            }

            var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(new FullCovarianceFamily(2, 1e-6), Options).Fit(data);
            var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(2, 1e-6), ClusterFixture.FullKey, Options)
            {
                Distributed = new DistributedFitOptions { ShardCount = 4 },
            };

            var distributed = await estimator.FitAsync(DistributedRows.FromCsvFiles(paths));

            ShouldBeIdentical(distributed, local, data);
        }
        finally
        {
            directory.Delete(true);
        }
    }

    [Fact]
    public async Task A_sampled_start_gives_the_same_fit_for_any_number_of_shards()
    {
        var data = TestRows.Blobs(6001, 3, seed: 9);
        var options = Options with { SourceSampleRows = 1000 };

        var fits = new List<FittedMixtureModel<GaussianComponent>>();
        foreach (int shards in new[] { 2, 5 })
        {
            var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(3, 1e-6), ClusterFixture.FullKey, options)
            {
                Distributed = new DistributedFitOptions { ShardCount = shards },
            };
            fits.Add(await estimator.FitAsync(DistributedRows.FromMatrix(data)));
        }

        ShouldBeIdentical(fits[1], fits[0], data);
        fits[0].Converged.Should().BeTrue();
    }

    [Fact]
    public async Task Missing_values_are_marginalised_as_in_the_local_fit()
    {
        var complete = TestRows.Blobs(4000, 3, seed: 10);
        var values = complete.Values.ToArray();
        var random = new Random(10);
        for (int n = 0; n < 4000; n++)
        {
            if (random.NextDouble() < 0.1)
            {
                values[(n * 3) + random.Next(3)] = double.NaN;
            }
        }

        var data = DataMatrix.FromRowMajor(values, 3);
        var options = Options with { MissingValues = MissingValueHandling.Marginalize };
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(new FullCovarianceFamily(3, 1e-6), options).Fit(data);
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(3, 1e-6), ClusterFixture.FullKey, options)
        {
            Distributed = new DistributedFitOptions { ShardCount = 3 },
        };

        var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data));

        ShouldBeIdentical(distributed, local, data);
    }

    [Fact]
    public async Task A_shard_that_fails_on_every_retry_is_named_with_its_attempts()
    {
        var values = Enumerable.Range(0, 600).Select(n => 0.5 + (n % 7)).ToArray();
        var estimator = new DistributedMixtureEstimator<ExponentialComponent, ExponentialStatistics>(fixture.Cluster.Client, new ExponentialFamily(), ClusterFixture.FailingKey, Options with { ComponentCount = 2 })
        {
            Distributed = new DistributedFitOptions { ShardCount = 2, MaxRetries = 1, RetryDelay = TimeSpan.Zero },
        };

        var fit = () => estimator.FitAsync(DistributedRows.FromMatrix(DataMatrix.FromRowMajor(values, 1)));

        var thrown = (await fit.Should().ThrowAsync<ShardUnavailableException>()).Which;
        thrown.Attempts.Should().Be(2);
        thrown.Message.Should().Contain(thrown.Shard).And.Contain("MaxRetries");
        thrown.InnerException.Should().NotBeNull();
    }

    [Theory]
    [InlineData("ShardCount")]
    [InlineData("CallTimeout")]
    [InlineData("MaxRetries")]
    [InlineData("RetryDelay")]
    public async Task A_setting_out_of_range_is_named(string setting)
    {
        var distributed = setting switch
        {
            "ShardCount" => new DistributedFitOptions { ShardCount = 0 },
            "CallTimeout" => new DistributedFitOptions { CallTimeout = TimeSpan.Zero },
            "MaxRetries" => new DistributedFitOptions { MaxRetries = -1 },
            _ => new DistributedFitOptions { RetryDelay = TimeSpan.FromSeconds(-1) },
        };
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(2, 1e-6), ClusterFixture.FullKey, Options)
        {
            Distributed = distributed,
        };

        var fit = () => estimator.FitAsync(DistributedRows.FromMatrix(TestRows.Blobs(100, 2, seed: 1)));

        (await fit.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be(setting);
    }

    [Fact]
    public async Task A_silo_stopped_mid_fit_loses_nothing_and_changes_nothing()
    {
        var data = TestRows.Blobs(6001, 3, seed: 5);
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(new FullCovarianceFamily(3, 1e-6), Options).Fit(data);
        var cluster = fixture.Cluster;
        IReadOnlyList<string> shardNames = [];
        string? stopped = null;
        var progress = new SynchronousProgress<FitProgress>(p =>
        {
            if (p.Initialization == 0 && p.Iteration == 2 && stopped is null)
            {
                // A silo other than the primary (which keeps the test cluster's membership) that hosts a shard.
                foreach (string name in shardNames)
                {
                    var address = cluster.Client.GetGrain<IMixtureShardGrain>(name).GetSiloAsync().GetAwaiter().GetResult();
                    var silo = cluster.Silos.FirstOrDefault(s => s.SiloAddress.Equals(address) && !s.SiloAddress.Equals(cluster.Primary!.SiloAddress));
                    if (silo is not null)
                    {
                        stopped = name;
                        cluster.StopSiloAsync(silo).GetAwaiter().GetResult();
                        break;
                    }
                }
            }
        });
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(cluster.Client, new FullCovarianceFamily(3, 1e-6), ClusterFixture.FullKey, Options)
        {
            Distributed = new DistributedFitOptions { ShardCount = 7, CallTimeout = TimeSpan.FromSeconds(20), MaxRetries = 5 },
            ShardsLoaded = names => shardNames = names,
        };

        try
        {
            var distributed = await estimator.FitAsync(DistributedRows.FromMatrix(data), progress, CancellationToken.None);

            stopped.Should().NotBeNull("a shard was hosted by a silo other than the primary, and that silo was stopped");
            estimator.LastShardReloads.Should().BePositive("the stopped silo's shards were loaded again elsewhere");
            ShouldBeIdentical(distributed, local, data);
        }
        finally
        {
            // Back to three silos for the other tests.
            while (cluster.Silos.Count < 3)
            {
                await cluster.StartAdditionalSiloAsync();
            }
        }
    }

    [Fact]
    public async Task Cancellation_stops_the_fit()
    {
        var data = TestRows.Blobs(3000, 3, seed: 6);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<FitProgress>(p =>
        {
            if (p.Iteration == 2)
            {
                cancellation.Cancel();
            }
        });
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(3, 1e-6), ClusterFixture.FullKey, Options);

        var fit = () => estimator.FitAsync(DistributedRows.FromMatrix(data), progress, cancellation.Token);

        await fit.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task An_unreadable_part_is_a_source_error_naming_the_part()
    {
        string missing = Path.Combine(Path.GetTempPath(), "mixture-orleans-no-such-dir", "part0.csv");
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(2, 1e-6), ClusterFixture.FullKey, Options);

        var fit = () => estimator.FitAsync(DistributedRows.FromCsvFiles([missing]));

        (await fit.Should().ThrowAsync<ShardSourceException>()).Which.Message.Should().Contain(missing);
    }

    [Fact]
    public async Task A_family_key_no_silo_knows_is_a_source_error_naming_the_key()
    {
        var data = TestRows.Blobs(500, 2, seed: 7);
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(fixture.Cluster.Client, new FullCovarianceFamily(2, 1e-6), "no-such-family", Options);

        var fit = () => estimator.FitAsync(DistributedRows.FromMatrix(data));

        (await fit.Should().ThrowAsync<ShardSourceException>()).Which.Message.Should().Contain("'no-such-family'").And.Contain("AddMixtureFamily");
    }

    private static void ShouldBeIdentical<TComponent>(FittedMixtureModel<TComponent> distributed, FittedMixtureModel<TComponent> local, DataMatrix data)
        where TComponent : class, IComponent
    {
        distributed.Weights.Should().Equal(local.Weights);
        distributed.LogDensity(data).Should().Equal(local.LogDensity(data));
        distributed.LowerBound.Should().Be(local.LowerBound);
        distributed.IterationCount.Should().Be(local.IterationCount);
        distributed.Report.LowerBoundHistory.Should().Equal(local.Report.LowerBoundHistory);
        distributed.Report.InitializationLowerBounds.Should().Equal(local.Report.InitializationLowerBounds);
        distributed.Report.BestInitialization.Should().Be(local.Report.BestInitialization);
        distributed.Report.TrainingLogLikelihood.Should().Be(local.Report.TrainingLogLikelihood);
        distributed.Report.ComponentRowCounts.Should().Equal(local.Report.ComponentRowCounts);
        distributed.Report.ResponsibilityEntropy.Should().Be(local.Report.ResponsibilityEntropy);
        distributed.TrainingLabels.Should().Equal(local.TrainingLabels);
    }
}
