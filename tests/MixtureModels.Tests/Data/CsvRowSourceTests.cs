using System.Globalization;
using System.Text;
using static MixtureModels.Tests.Data.SourceFitAssert;

namespace MixtureModels.Tests.Data;

public sealed class CsvRowSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mixture-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_written_file_reads_back_exactly_and_fits_as_its_rows_in_memory()
    {
        var data = Reference.Blobs(3001, 4, 3, seed: 9);
        string path = Write("blobs.csv", "a,b,c,d", data, (x, _) => x.ToString("R", CultureInfo.InvariantCulture));
        var source = new CsvRowSource(path, new CsvReadOptions { BlockRows = 97 });

        source.ColumnNames.Should().Equal("a", "b", "c", "d");
        source.ColumnCount.Should().Be(4);
        source.ReadAll().Values.ToArray().Should().Equal(Reference.ToRowMajor(data));

        var options = new GaussianMixtureOptions { ComponentCount = 3, Seed = 1, MaxIterations = 15 };
        BitIdentical(new GaussianMixture(options).Fit(source), new GaussianMixture(options).Fit(data), data);
    }

    [Fact]
    public void A_file_of_several_segments_read_in_parallel_parts_keeps_the_row_order_and_the_line_numbers()
    {
        // About 13 MB: two 8 MB segments, each parsed in several parts; CRLF endings and no final line feed.
        const int rows = 200_000;
        var random = new Random(2);
        var values = new double[rows * 3];
        var text = new StringBuilder("a,b,c\r\n");
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                values[(i * 3) + j] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 6));
                text.Append(j == 0 ? string.Empty : ",").Append(values[(i * 3) + j].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append(i == rows - 1 ? string.Empty : "\r\n");
        }

        string path = Path.Combine(_directory, "large.csv");
        File.WriteAllText(path, text.ToString());
        new FileInfo(path).Length.Should().BeGreaterThan(8 << 20);

        new CsvRowSource(path, new CsvReadOptions { BlockRows = 1000 }).ReadAll().Values.ToArray().Should().Equal(values);

        // A bad cell deep in the second segment is named by its line (row 150 000 is line 150 002).
        var lines = File.ReadAllLines(path);
        lines[150_001] = "1,2,oops";
        File.WriteAllLines(path, lines);
        var read = () => new CsvRowSource(path).ReadAll();
        var e = read.Should().Throw<RowSourceFormatException>().Which;
        e.Line.Should().Be(150_002);
        e.Column.Should().Be(2);
        e.Value.Should().Be("oops");
    }

    [Fact]
    public void Delimiter_no_header_quotes_CRLF_BOM_blank_lines_and_a_skipped_text_column_are_read()
    {
        string path = Path.Combine(_directory, "odd.txt");
        File.WriteAllText(path, "\uFEFF\"1.5\";name one;-2e3\r\n\r\n  7 ;\"semi;colon\"; 0.25\r\n-0;x;\"1E-2\"\r\n", new UTF8Encoding(false));
        var source = new CsvRowSource(path, new CsvReadOptions { Delimiter = ';', HasHeader = false, Columns = [2, 0] });

        source.ColumnNames.Should().BeNull();
        source.ReadAll().Values.ToArray().Should().Equal(-2000, 1.5, 0.25, 7, 0.01, -0.0);
    }

    [Fact]
    public void Columns_are_selected_by_header_name_in_the_given_order()
    {
        string path = Path.Combine(_directory, "named.csv");
        File.WriteAllLines(path, ["id,x,label,y", "1,0.5,\"a, b\",2", "2,-1,c,3.5"]);
        var source = new CsvRowSource(path, new CsvReadOptions { ColumnNames = ["y", "x"] });

        source.ColumnNames.Should().Equal("y", "x");
        source.ReadAll().Values.ToArray().Should().Equal(2, 0.5, 3.5, -1);
    }

    [Fact]
    public void A_bad_cell_is_named_by_file_line_column_and_value()
    {
        string path = Path.Combine(_directory, "bad.csv");
        File.WriteAllLines(path, ["x,y,z", "1,2,3", "4,5,6", "7,eight,9"]);
        var source = new CsvRowSource(path);

        var read = () => new GaussianMixture(1).Fit(source);

        var e = read.Should().Throw<RowSourceFormatException>().Which;
        e.Path.Should().Be(path);
        e.Line.Should().Be(4);
        e.Column.Should().Be(1);
        e.ColumnName.Should().Be("y");
        e.Value.Should().Be("eight");
        e.Message.Should().Contain(path).And.Contain("line 4, column 1 (\"y\")").And.Contain("\"eight\" is not a number");
    }

    [Fact]
    public void A_short_line_is_an_error_naming_the_line()
    {
        string path = Path.Combine(_directory, "short.csv");
        File.WriteAllLines(path, ["x,y,z", "1,2,3", "4,5"]);

        var read = () => new CsvRowSource(path).ReadAll();

        read.Should().Throw<RowSourceFormatException>().Which.Line.Should().Be(3);
    }

    [Fact]
    public void The_missing_value_token_and_empty_fields_are_NaN_which_a_marginalising_fit_accepts_and_a_rejecting_fit_names()
    {
        var data = Reference.Blobs(900, 3, 2, seed: 4);
        var random = new Random(1);
        var missing = new HashSet<(int, int)>();
        for (int i = 0; i < 900; i++)
        {
            if (random.NextDouble() < 0.1)
            {
                missing.Add((i, random.Next(3)));
            }
        }

        string path = Write("missing.csv", "a,b,c", data, (x, at) => missing.Contains(at) ? (at.Item1 % 2 == 0 ? "NA" : string.Empty) : x.ToString("R", CultureInfo.InvariantCulture));
        var values = Reference.ToRowMajor(data);
        foreach (var (i, j) in missing)
        {
            values[(i * 3) + j] = double.NaN;
        }

        var expectedData = DataMatrix.FromRowMajor(values, 3);
        var source = new CsvRowSource(path);
        source.ReadAll().Values.ToArray().Should().Equal(values);

        var options = new GaussianMixtureOptions { ComponentCount = 2, CovarianceType = CovarianceType.Diagonal, MissingValues = MissingValueHandling.Marginalize, MaxIterations = 10 };
        BitIdentical(new GaussianMixture(options).Fit(source), new GaussianMixture(options).Fit(expectedData), expectedData);

        var (row, column) = missing.OrderBy(m => m.Item1).ThenBy(m => m.Item2).First();
        var reject = () => new GaussianMixture(options with { MissingValues = MissingValueHandling.Reject }).Fit(source);
        reject.Should().Throw<ArgumentException>().WithMessage($"*NaN at row {row}, column {column}*Marginalize*");
    }

    [Fact]
    public void Options_that_do_not_suit_the_file_are_rejected_with_the_fix()
    {
        string path = Path.Combine(_directory, "h.csv");
        File.WriteAllLines(path, ["x,y", "1,2"]);

        ((Action)(() => _ = new CsvRowSource(path, new CsvReadOptions { ColumnNames = ["q"] }))).Should().Throw<ArgumentException>().WithMessage("*\"q\" is not a column*x, y*");
        ((Action)(() => _ = new CsvRowSource(path, new CsvReadOptions { Columns = [2] }))).Should().Throw<ArgumentException>().WithMessage("*Columns[0] = 2*[0, 2)*");
        ((Action)(() => _ = new CsvRowSource(path, new CsvReadOptions { Delimiter = '"' }))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Delimiter*");
        ((Action)(() => _ = new CsvRowSource(path, new CsvReadOptions { HasHeader = false, ColumnNames = ["x"] }))).Should().Throw<ArgumentException>().WithMessage("*HasHeader*");
        ((Action)(() => _ = new CsvRowSource(Path.Combine(_directory, "absent.csv")))).Should().Throw<FileNotFoundException>();
    }

    private string Write(string name, string header, double[,] data, Func<double, (int, int), string> format)
    {
        string path = Path.Combine(_directory, name);
        var text = new StringBuilder(header).Append('\n');
        for (int i = 0; i < data.GetLength(0); i++)
        {
            for (int j = 0; j < data.GetLength(1); j++)
            {
                text.Append(j == 0 ? string.Empty : ",").Append(format(data[i, j], (i, j)));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}
