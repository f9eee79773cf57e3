using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace MixtureModels.Arrow.Tests;

public sealed class ArrowRowSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mixture-arrow-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GaussianMixtureOptions Options => new() { ComponentCount = 3, Seed = 2, MaxIterations = 30, Tolerance = 1e-6 };

    [Fact]
    public void A_fit_from_record_batches_of_uneven_sizes_is_bit_identical_to_the_in_memory_fit()
    {
        var data = Rows(12_345, seed: 3);
        var batches = Batches(data, [1, 999, 4096, 5000, 2249]).ToList();
        var expected = new GaussianMixture(Options).Fit(data);

        var actual = new GaussianMixture(Options).Fit(ArrowRowSource.FromBatches(() => batches, ["x0", "x1", "x2"]));

        ShouldBeBitIdentical(actual, expected);
    }

    [Fact]
    public async Task A_fit_from_an_IPC_file_and_from_an_IPC_stream_is_bit_identical_to_the_in_memory_fit()
    {
        var data = Rows(9_001, seed: 5);
        string file = Path.Combine(_directory, "rows.arrow");
        string streamFile = Path.Combine(_directory, "rows.arrows");
        await WriteAsync(file, data, 2000, fileFormat: true);
        await WriteAsync(streamFile, data, 3000, fileFormat: false);
        var expected = new GaussianMixture(Options).Fit(data);

        ShouldBeBitIdentical(new GaussianMixture(Options).Fit(ArrowRowSource.FromIpcFile(file, null)), expected);
        ShouldBeBitIdentical(await new GaussianMixture(Options).FitAsync(ArrowRowSource.FromIpcStream(() => File.OpenRead(streamFile), ["x0", "x1", "x2"]), null, CancellationToken.None), expected);
    }

    [Fact]
    public async Task Nulls_are_missing_values_and_integer_and_boolean_columns_convert()
    {
        var a = new DoubleArray.Builder().Append(1.5).AppendNull().Build();
        var b = new Int64Array.Builder().Append(-3).Append(4).Build();
        var c = new BooleanArray.Builder().Append(true).Append(false).Build();
        var t = new StringArray.Builder().Append("p").Append("q").Build();
        var schema = new Schema.Builder()
            .Field(f => f.Name("a").DataType(Apache.Arrow.Types.DoubleType.Default).Nullable(true))
            .Field(f => f.Name("t").DataType(Apache.Arrow.Types.StringType.Default))
            .Field(f => f.Name("b").DataType(Apache.Arrow.Types.Int64Type.Default))
            .Field(f => f.Name("c").DataType(Apache.Arrow.Types.BooleanType.Default))
            .Build();
        var batch = new RecordBatch(schema, [a, t, b, c], 2);

        var values = new List<double>();
        await foreach (var block in ArrowRowSource.FromBatches(() => [batch], null).ReadBlocksAsync(CancellationToken.None))
        {
            values.AddRange(block.Values.ToArray());
        }

        values.Should().Equal(1.5, -3, 1, double.NaN, 4, 0);

        var text = () => new GaussianMixture(1).Fit(ArrowRowSource.FromBatches(() => [batch], ["t"]));
        text.Should().Throw<ArgumentException>().WithMessage("*\"t\" is a utf8 column*a, b, c*");
    }

    private static void ShouldBeBitIdentical(GaussianMixtureModel actual, GaussianMixtureModel expected)
    {
        expected.IterationCount.Should().BeGreaterThan(2);
        actual.Weights.Should().Equal(expected.Weights);
        actual.GetMeans().ToRowMajorArray().Should().Equal(expected.GetMeans().ToRowMajorArray());
        for (int k = 0; k < expected.ComponentCount; k++)
        {
            actual.GetPrecisionCholesky(k).ToRowMajorArray().Should().Equal(expected.GetPrecisionCholesky(k).ToRowMajorArray());
        }

        actual.Report.LowerBoundHistory.Should().Equal(expected.Report.LowerBoundHistory);
        actual.TrainingLabels.Should().Equal(expected.TrainingLabels);
        actual.Report.TrainingLogLikelihood.Should().Be(expected.Report.TrainingLogLikelihood);
    }

    private static DataMatrix Rows(int rows, int seed)
    {
        var random = new Random(seed);
        double[][] centres = [[0, 0, 0], [1.5, 1, 0], [0, 1.5, 1.2]];
        var values = new double[rows * 3];
        for (int i = 0; i < values.Length; i++)
        {
            double u = 1 - random.NextDouble(), v = random.NextDouble();
            values[i] = centres[i / 3 % 3][i % 3] + (0.7 * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return DataMatrix.FromRowMajor(values, 3);
    }

    /// <summary>The rows as record batches of columns x0, x1, x2, cut at the given sizes (cycled).</summary>
    private static IEnumerable<RecordBatch> Batches(DataMatrix data, int[] sizes)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("x0").DataType(Apache.Arrow.Types.DoubleType.Default))
            .Field(f => f.Name("x1").DataType(Apache.Arrow.Types.DoubleType.Default))
            .Field(f => f.Name("x2").DataType(Apache.Arrow.Types.DoubleType.Default))
            .Build();
        int start = 0;
        for (int i = 0; start < data.Rows; i++)
        {
            int count = Math.Min(sizes[i % sizes.Length], data.Rows - start);
            var columns = new IArrowArray[3];
            for (int j = 0; j < 3; j++)
            {
                var builder = new DoubleArray.Builder();
                for (int n = 0; n < count; n++)
                {
                    builder.Append(data.Values[((start + n) * 3) + j]);
                }

                columns[j] = builder.Build();
            }

            yield return new RecordBatch(schema, columns, count);
            start += count;
        }
    }

    private static async Task WriteAsync(string path, DataMatrix data, int batchRows, bool fileFormat)
    {
        var batches = Batches(data, [batchRows]).ToList();
        using var stream = File.Create(path);
        if (fileFormat)
        {
            using var writer = new ArrowFileWriter(stream, batches[0].Schema);
            foreach (var batch in batches)
            {
                await writer.WriteRecordBatchAsync(batch);
            }

            await writer.WriteEndAsync();
        }
        else
        {
            using var writer = new ArrowStreamWriter(stream, batches[0].Schema);
            foreach (var batch in batches)
            {
                await writer.WriteRecordBatchAsync(batch);
            }

            await writer.WriteEndAsync();
        }
    }
}
