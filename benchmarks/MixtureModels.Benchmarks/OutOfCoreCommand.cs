using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Parquet;
using Parquet;
using Parquet.Schema;

namespace MixtureModels.Benchmarks;

/// <summary>
/// `outofcore --rows N --dims D --k K --iters I --format csv|parquet --dir DIR [--mode source|memory|compare] [--seed S] [--background-gc]`:
/// the out-of-core fit from a file against the in-memory fit of the same rows. The file DIR/rows-N-D.csv or .parquet is
/// generated first if absent (K Gaussian clusters; the CSV holds every value in round-trip form, so both files hold the
/// same doubles; Parquet row groups of 100 000 rows). `--mode source` fits a full-covariance Gaussian mixture from the
/// file (CsvRowSource or ParquetRowSource) with I EM iterations from a fixed start (the generating means, identity
/// precisions, equal weights; tolerance 0); `--mode memory` reads the file into a DataMatrix and fits in memory from the
/// same start. Each prints the wall time, rows/s (rows × passes: the first pass, I iterations, one diagnosis, the final
/// labels), and the process's peak working set, and writes the fitted parameters and report as exact hexadecimal doubles to
/// DIR/result-FORMAT-MODE.txt; `--mode compare` says whether the two result files are bit-for-bit equal. Run the modes
/// in separate processes so that each peak working set is the mode's own. The command switches background garbage
/// collection off (<see cref="GCLatencyMode.Batch"/>), as a batch job that must stay within a memory budget would:
/// Parquet.Net allocates about 3.5 times the data per pass, and a background collection lets the heap grow while it
/// runs (on a loaded machine, by hundreds of megabytes); `--background-gc` keeps the runtime's default.
/// </summary>
internal static class OutOfCoreCommand
{
    public static int Run(string[] args)
    {
        var arguments = new CommandArguments(args);
        int rows = arguments.Int("--rows", 1_000_000), dims = arguments.Int("--dims", 16), k = arguments.Int("--k", 8), iterations = arguments.Int("--iters", 3);
        string format = arguments.String("--format", "csv"), directory = arguments.String("--dir", Path.GetTempPath()), mode = arguments.String("--mode", "source");
        int seed = arguments.Int("--seed", 1);
        bool backgroundGc = arguments.Flag("--background-gc");
        arguments.RejectUnknown();

        if (format is not ("csv" or "parquet") || mode is not ("source" or "memory" or "compare"))
        {
            throw new ArgumentException("Use --format csv|parquet and --mode source|memory|compare.");
        }

        string path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"rows-{rows}-{dims}.{format}"));
        string Result(string m) => Path.Combine(directory, $"result-{format}-{m}.txt");
        if (mode == "compare")
        {
            bool equal = File.ReadAllText(Result("source")) == File.ReadAllText(Result("memory"));
            Console.WriteLine($"{format}: out-of-core and in-memory results are {(equal ? "bit-for-bit equal" : "DIFFERENT")}");
            return equal ? 0 : 1;
        }

        if (!backgroundGc)
        {
            GCSettings.LatencyMode = GCLatencyMode.Batch;
        }

        var means = Means(k, dims, seed);
        if (!File.Exists(path))
        {
            var generate = Stopwatch.StartNew();
            Generate(path, format, rows, dims, means, seed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {path}: {new FileInfo(path).Length / 1e9:F2} GB in {generate.Elapsed.TotalSeconds:F0} s"));
        }

        RowSource source = format == "csv" ? new CsvRowSource(path) : new ParquetRowSource(path);
        var options = new GaussianMixtureOptions
        {
            ComponentCount = k,
            MaxIterations = iterations,
            Tolerance = 0,
            InitialWeights = Enumerable.Repeat(1.0 / k, k).ToArray(),
            InitialMeans = Matrix<double>.Build.DenseOfRowArrays(means),
            InitialPrecisions = Enumerable.Range(0, k).Select(_ => Matrix<double>.Build.DenseIdentity(dims)).ToArray(),
        };

        var watch = Stopwatch.StartNew();
        GaussianMixtureModel model;
        double readSeconds = 0;
        if (mode == "source")
        {
            model = new GaussianMixture(options).Fit(source);
        }
        else
        {
            var data = ReadAll(source);
            readSeconds = watch.Elapsed.TotalSeconds;
            model = new GaussianMixture(options).Fit(data);
        }

        double seconds = watch.Elapsed.TotalSeconds;
        int passes = mode == "source" ? iterations + 3 : iterations + 2;
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{format} {mode}: N = {rows}, D = {dims}, K = {k}, {iterations} iterations, file {new FileInfo(path).Length / 1e9:F2} GB, GC latency mode {GCSettings.LatencyMode}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {seconds:F1} s{(mode == "memory" ? $" (reading {readSeconds:F1} s, fit {seconds - readSeconds:F1} s)" : string.Empty)}, {(double)rows * passes / (mode == "memory" ? seconds - readSeconds : seconds):F0} rows/s over {passes} passes, peak working set {peak / 1048576.0:F0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  lower bound {model.LowerBound:R}, training log-likelihood {model.Report.TrainingLogLikelihood:R}"));
        File.WriteAllText(Result(mode), Describe(model));
        return 0;
    }

    /// <summary>Every parameter and report value of the fit as exact hexadecimal doubles, one per line.</summary>
    private static string Describe(GaussianMixtureModel model)
    {
        var text = new StringBuilder();
        void Add(string name, IEnumerable<double> values) => text.Append(name).Append(' ').AppendJoin(' ', values.Select(v => BitConverter.DoubleToInt64Bits(v).ToString("X16", CultureInfo.InvariantCulture))).Append('\n');
        Add("weights", model.Weights);
        Add("means", model.GetMeans().ToRowMajorArray());
        for (int c = 0; c < model.ComponentCount; c++)
        {
            Add($"precision-cholesky-{c}", model.GetPrecisionCholesky(c).ToRowMajorArray());
        }

        Add("lower-bounds", model.Report.LowerBoundHistory);
        Add("training-log-likelihood", [model.Report.TrainingLogLikelihood]);
        Add("row-counts", model.Report.ComponentRowCounts);
        text.Append("labels-hash ").Append(model.TrainingLabels.Aggregate(17L, (h, l) => (h * 31) + l).ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>Reads a source into memory: a counting pass, then the rows into one exact array.</summary>
    private static DataMatrix ReadAll(RowSource source)
    {
        long count = 0;
        int columns = 0;
        foreach (var block in Blocks(source))
        {
            count += block.Rows;
            columns = block.Columns;
        }

        var values = new double[count * columns];
        long at = 0;
        foreach (var block in Blocks(source))
        {
            block.Values.CopyTo(values.AsSpan((int)at));
            at += block.Values.Length;
        }

        return DataMatrix.FromRowMajor(values, columns);
    }

    private static IEnumerable<DataMatrix> Blocks(RowSource source)
    {
        var enumerator = source.ReadBlocksAsync(CancellationToken.None).GetAsyncEnumerator();
        try
        {
            while (enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                yield return enumerator.Current;
            }
        }
        finally
        {
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double[][] Means(int k, int dims, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, dims).Select(_ => ((random.NextDouble() * 2) - 1) * 4).ToArray())];
    }

    /// <summary>Row i is cluster i mod K's mean plus standard normal noise, from one seeded generator: the CSV and the Parquet file of the same N, D and seed hold the same doubles.</summary>
    private static void Generate(string path, string format, int rows, int dims, double[][] means, int seed)
    {
        var random = new Random(seed + 1);
        const int group = 100_000;
        var columns = new double[dims][];
        for (int j = 0; j < dims; j++)
        {
            columns[j] = new double[group];
        }

        string temporary = path + ".partial";
        using (var stream = File.Create(temporary))
        {
            var fields = Enumerable.Range(0, dims).Select(j => new DataField<double>($"x{j}")).ToArray();
            ParquetWriter? parquet = format == "parquet" ? ParquetWriter.CreateAsync(new ParquetSchema(fields), stream).GetAwaiter().GetResult() : null;
            using var csv = format == "csv" ? new StreamWriter(stream, new UTF8Encoding(false), 1 << 20) : null;
            csv?.Write(string.Join(',', fields.Select(f => f.Name)) + "\n");
            Span<char> number = stackalloc char[32];
            for (int start = 0; start < rows; start += group)
            {
                int count = Math.Min(group, rows - start);
                for (int n = 0; n < count; n++)
                {
                    var mean = means[(start + n) % means.Length];
                    for (int j = 0; j < dims; j++)
                    {
                        double u = 1 - random.NextDouble(), v = random.NextDouble();
                        columns[j][n] = mean[j] + (Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
                    }
                }

                if (csv is not null)
                {
                    for (int n = 0; n < count; n++)
                    {
                        for (int j = 0; j < dims; j++)
                        {
                            columns[j][n].TryFormat(number, out int written, "R", CultureInfo.InvariantCulture);
                            if (j > 0)
                            {
                                csv.Write(',');
                            }

                            csv.Write(number[..written]);
                        }

                        csv.Write('\n');
                    }
                }
                else
                {
                    using var rowGroup = parquet!.CreateRowGroup();
                    for (int j = 0; j < dims; j++)
                    {
                        rowGroup.WriteAsync(fields[j], new ReadOnlyMemory<double>(columns[j], 0, count)).GetAwaiter().GetResult();
                    }
                }
            }

            parquet?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        File.Move(temporary, path);
    }
}
