using System.Globalization;
using MixtureModels.Components.Gaussian;
using MixtureModels.Orleans;

namespace MixtureModels.Distributed;

/// <summary>
/// Three silos on this machine; the Old Faithful eruptions split into three CSV files read on the silos, and a larger
/// generated data set split into six; each fitted on the cluster and locally, with the two models compared bit for bit;
/// then the generated set initialised on a sample, fitted with two different shard counts, compared with each other.
/// </summary>
internal static class Demonstration
{
    public static async Task RunAsync()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, basePort: 22111);
        Console.WriteLine("Three silos and a client on loopback.");
        var directory = Directory.CreateTempSubdirectory("mixture-distributed-");
        try
        {
            // 1. Old Faithful (272 × 2), split into three files: the shards read them on the silos.
            var faithful = new CsvRowSource(Path.Combine(AppContext.BaseDirectory, "data", "faithful.csv"));
            var rows = await ReadAllAsync(faithful);
            var faithfulParts = WriteParts(rows, directory.FullName, "faithful", 3);
            var options = new MixtureOptions { ComponentCount = 2, Seed = 1, InitializationCount = 3 };
            await FitBothAsync(cluster, "Old Faithful in 3 files", rows, DistributedRows.FromCsvFiles(faithfulParts), options, shards: 3);

            // 2. 150,000 generated rows × 4 columns from 4 Gaussians, in six files of unequal sizes. With SourceSampleRows at
            //    least N, the initialisation sees every row, as the local fit does: the two fits are bit-identical.
            var generated = Generate(150_000, 4, seed: 3);
            var generatedParts = WriteParts(generated, directory.FullName, "generated", 6);
            var whole = new MixtureOptions { ComponentCount = 4, Seed = 2, SourceSampleRows = 150_000 };
            await FitBothAsync(cluster, "150,000 generated rows in 6 files", generated, DistributedRows.FromCsvFiles(generatedParts), whole, shards: 6);

            // 3. The same rows pushed from the client's memory to 5 shards.
            await FitBothAsync(cluster, "the same rows pushed from memory", generated, DistributedRows.FromMatrix(generated), whole, shards: 5);

            // 4. With the default SourceSampleRows (100,000 < N) the initialisation runs on a seeded uniform sample drawn by
            //    the shards chunk by chunk: not the local fit's start, but the same fit for any number of shards and silos.
            var sampled = new MixtureOptions { ComponentCount = 4, Seed = 2 };
            var fromFiles = await FitAsync(cluster, DistributedRows.FromCsvFiles(generatedParts), sampled, 6);
            var fromMemory = await FitAsync(cluster, DistributedRows.FromMatrix(generated), sampled, 3);
            bool same = fromFiles.Weights.SequenceEqual(fromMemory.Weights) && fromFiles.LogDensity(generated).SequenceEqual(fromMemory.LogDensity(generated)) && fromFiles.TrainingLabels.SequenceEqual(fromMemory.TrainingLabels);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Initialised on a 100,000-row sample: 6 shards from files and 3 shards from memory give {(same ? "bit-identical fits" : "DIFFERENT fits")} (lower bound {fromFiles.LowerBound:R})."));
            if (!same)
            {
                throw new InvalidOperationException("The sampled fits differ with the number of shards.");
            }
        }
        finally
        {
            directory.Delete(true);
        }
    }

    private static Task<FittedMixtureModel<GaussianComponent>> FitAsync(LocalCluster cluster, DistributedRows rows, MixtureOptions options, int shards) =>
        new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(cluster.Client, new FullCovarianceFamily(4, 1e-6), LocalCluster.FullKey, options)
        {
            Distributed = new DistributedFitOptions { ShardCount = shards },
        }.FitAsync(rows);

    private static async Task FitBothAsync(LocalCluster cluster, string title, DataMatrix data, DistributedRows rows, MixtureOptions options, int shards)
    {
        var family = new FullCovarianceFamily(data.Columns, 1e-6);
        var estimator = new DistributedMixtureEstimator<GaussianComponent, GaussianStatistics>(cluster.Client, family, LocalCluster.FullKey, options)
        {
            Distributed = new DistributedFitOptions { ShardCount = shards },
        };
        var distributed = await estimator.FitAsync(rows);
        var local = new MixtureEstimator<GaussianComponent, GaussianStatistics>(family, options).Fit(data);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{title}: {data.Rows} rows, {shards} shards asked (at most one per chunk of the plan), {distributed.IterationCount} iterations, lower bound {distributed.LowerBound:R}"));
        for (int k = 0; k < distributed.Components.Count; k++)
        {
            var mean = distributed.Components[k].Mean.ToArray();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  component {k}: weight {distributed.Weights[k]:F4}, mean [{string.Join(", ", mean.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)))}]"));
        }

        bool identical = distributed.Weights.SequenceEqual(local.Weights)
            && distributed.LowerBound.Equals(local.LowerBound)
            && distributed.IterationCount == local.IterationCount
            && distributed.LogDensity(data).SequenceEqual(local.LogDensity(data))
            && distributed.TrainingLabels.SequenceEqual(local.TrainingLabels);
        Console.WriteLine(identical ? "  bit-identical to the local fit of the same rows" : "  DIFFERENT from the local fit");
        if (!identical)
        {
            throw new InvalidOperationException($"The distributed fit of {title} differs from the local fit.");
        }
    }

    private static async Task<DataMatrix> ReadAllAsync(RowSource source)
    {
        var values = new List<double>();
        int columns = 0;
        await foreach (var block in source.ReadBlocksAsync(CancellationToken.None))
        {
            columns = block.Columns;
            values.AddRange(block.Values.ToArray());
        }

        return DataMatrix.FromRowMajor(values.ToArray(), columns);
    }

    /// <summary>Writes the rows into <paramref name="parts"/> CSV files of unequal sizes (round-trip numbers); returns their paths.</summary>
    private static List<string> WriteParts(DataMatrix data, string directory, string name, int parts)
    {
        var paths = new List<string>();
        int d = data.Columns, start = 0;
        double totalWeight = parts * (parts + 1) / 2.0;
        for (int p = 0; p < parts; p++)
        {
            int end = p == parts - 1 ? data.Rows : start + (int)(data.Rows * (p + 1) / totalWeight);
            string path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{name}-{p}.csv"));
            using (var writer = new StreamWriter(path))
            {
                writer.WriteLine(string.Join(",", Enumerable.Range(0, d).Select(j => string.Create(CultureInfo.InvariantCulture, $"x{j}"))));
                for (int n = start; n < end; n++)
                {
                    var row = data.Values.Slice(n * d, d).ToArray();
                    writer.WriteLine(string.Join(",", row.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
                }
            }

            paths.Add(path);
            start = end;
        }

        return paths;
    }

    /// <summary>Rows from <c>columns</c>-dimensional Gaussians around four centres.</summary>
    public static DataMatrix Generate(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var values = new double[rows * columns];
        for (int n = 0; n < rows; n++)
        {
            int centre = random.Next(4);
            for (int j = 0; j < columns; j++)
            {
                double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                double normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                values[(n * columns) + j] = (((centre >> (j % 2)) & 1) * 5.0) + (j == centre ? 3 : 0) + normal;
            }
        }

        return DataMatrix.FromRowMajor(values, columns);
    }
}
