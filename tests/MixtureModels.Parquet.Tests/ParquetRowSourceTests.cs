using Parquet;
using Parquet.Schema;

namespace MixtureModels.Parquet.Tests;

public sealed class ParquetRowSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mixture-parquet-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(997)]
    [InlineData(20_000)]
    public async Task A_fit_from_a_written_file_is_bit_identical_to_the_in_memory_fit_of_its_rows(int rowGroupRows)
    {
        var data = Rows(12_345, seed: 3);
        string path = Path.Combine(_directory, "rows.parquet");
        await WriteAsync(path, data, rowGroupRows, withText: true);
        var source = new ParquetRowSource(path, ["x0", "x1", "x2"]);
        var options = new GaussianMixtureOptions { ComponentCount = 3, Seed = 2, MaxIterations = 30, Tolerance = 1e-6 };

        var expected = new GaussianMixture(options).Fit(data);
        var actual = new GaussianMixture(options).Fit(source);

        expected.IterationCount.Should().BeGreaterThan(2);
        actual.Weights.Should().Equal(expected.Weights);
        actual.GetMeans().ToRowMajorArray().Should().Equal(expected.GetMeans().ToRowMajorArray());
        for (int k = 0; k < 3; k++)
        {
            actual.GetPrecisionCholesky(k).ToRowMajorArray().Should().Equal(expected.GetPrecisionCholesky(k).ToRowMajorArray());
        }

        actual.Report.LowerBoundHistory.Should().Equal(expected.Report.LowerBoundHistory);
        actual.TrainingLabels.Should().Equal(expected.TrainingLabels);
        actual.Report.TrainingLogLikelihood.Should().Be(expected.Report.TrainingLogLikelihood);
    }

    [Fact]
    public async Task Every_numeric_column_is_read_by_default_and_nulls_and_other_types_convert()
    {
        string path = Path.Combine(_directory, "types.parquet");
        var a = new DataField<double>("a");
        var b = new DataField<int>("b");
        var c = new DataField<float?>("c");
        var t = new DataField<string>("t");
        var flag = new DataField<bool>("flag");
        using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(a, b, c, t, flag), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(a, new ReadOnlyMemory<double>([1.5, -2]));
            await group.WriteAsync(b, new ReadOnlyMemory<int>([7, 8]));
            await group.WriteAsync(c, new ReadOnlyMemory<float?>([null, 0.25f]));
            await group.WriteAsync(t, new[] { "p", "q" });
            await group.WriteAsync(flag, new ReadOnlyMemory<bool>([true, false]));
        }

        var rows = new List<double>();
        await foreach (var block in new ParquetRowSource(path).ReadBlocksAsync(CancellationToken.None))
        {
            rows.AddRange(block.Values.ToArray());
        }

        rows.Should().Equal(1.5, 7, double.NaN, 1, -2, 8, 0.25, 0);
    }

    [Fact]
    public async Task A_column_that_is_not_there_or_not_numeric_is_named_with_the_choices()
    {
        string path = Path.Combine(_directory, "text.parquet");
        await WriteAsync(path, Rows(10, seed: 1), 10, withText: true);

        var absent = () => new GaussianMixture(1).Fit(new ParquetRowSource(path, ["x9"]));
        absent.Should().Throw<ArgumentException>().WithMessage("*\"x9\" is not a column*x0, x1, x2*");

        var text = () => new GaussianMixture(1).Fit(new ParquetRowSource(path, ["label"]));
        text.Should().Throw<ArgumentException>().WithMessage("*\"label\" is a text column*x0, x1, x2*");

        ((Action)(() => _ = new ParquetRowSource(path, []))).Should().Throw<ArgumentException>().WithMessage("*empty*");
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

    /// <summary>Writes the rows as columns x0, x1, x2 (and a text column "label" first, when asked) in row groups of the given size.</summary>
    private static async Task WriteAsync(string path, DataMatrix data, int rowGroupRows, bool withText)
    {
        var fields = Enumerable.Range(0, data.Columns).Select(j => new DataField<double>($"x{j}")).ToArray();
        var label = new DataField<string>("label");
        var schema = new ParquetSchema(withText ? [label, .. fields] : [.. fields]);
        using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        for (int start = 0; start < data.Rows; start += rowGroupRows)
        {
            int count = Math.Min(rowGroupRows, data.Rows - start);
            using var group = writer.CreateRowGroup();
            if (withText)
            {
                await group.WriteAsync(label, Enumerable.Range(start, count).Select(i => $"row {i}").ToArray());
            }

            for (int j = 0; j < data.Columns; j++)
            {
                var column = new double[count];
                for (int n = 0; n < count; n++)
                {
                    column[n] = data.Values[((start + n) * data.Columns) + j];
                }

                await group.WriteAsync(fields[j], new ReadOnlyMemory<double>(column));
            }
        }
    }
}
