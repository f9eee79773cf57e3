using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace MixtureModels.Parquet;

/// <summary>
/// A <see cref="RowSource"/> over an Apache Parquet file: every pass opens the file and reads the chosen numeric
/// columns row group by row group, handing each row group to the fit as blocks of rows. Columns of type double, float,
/// 8- to 64-bit integers (signed or not) and boolean (0 or 1) are read; a null is read as NaN, a missing value, which a
/// fit accepts with <see cref="MixtureOptions.MissingValues"/> = <see cref="MissingValueHandling.Marginalize"/>.
/// </summary>
/// <remarks>
/// The memory of a pass is one row group's chosen columns (as read by Parquet.Net) plus one block of rows: a file of
/// any size is read in the memory of its largest row group. Parquet.Net allocates about 3.5 times the data it reads; a
/// process that must stay within a memory budget should switch background garbage collection off
/// (<c>GCSettings.LatencyMode = GCLatencyMode.Batch</c>), or the heap grows while a background collection runs. A fit from the file is bit-identical to the in-memory fit of
/// the same rows (with at most <see cref="MixtureOptions.SourceSampleRows"/> rows).
/// </remarks>
/// <example>
/// <code>
/// var source = new ParquetRowSource("measurements.parquet", ["x", "y", "z"]);
/// GaussianMixtureModel model = new GaussianMixture(3).Fit(source);
/// </code>
/// </example>
public sealed class ParquetRowSource : RowSource
{
    private const int BlockRows = 8192;

    /// <summary>A source over every numeric column of <paramref name="path"/>, in schema order.</summary>
    /// <param name="path">The Parquet file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    public ParquetRowSource(string path)
        : this(path, null)
    {
    }

    /// <summary>A source over the columns <paramref name="columns"/> of <paramref name="path"/>, in that order (null: every numeric column, in schema order).</summary>
    /// <param name="path">The Parquet file. It is opened on every pass; the columns are checked on the first.</param>
    /// <param name="columns">The names of the columns to read (top-level data fields), or null for every numeric column.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty or names a column twice.</exception>
    public ParquetRowSource(string path, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (columns is not null)
        {
            if (columns.Count == 0)
            {
                throw new ArgumentException("columns is empty. Name at least one column, or pass null for every numeric column.", nameof(columns));
            }

            var duplicate = columns.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"columns names \"{duplicate.Key}\" twice. Name each column once."), nameof(columns));
            }
        }

        Path = path;
        Columns = columns is null ? null : Array.AsReadOnly(columns.ToArray());
    }

    /// <summary>The Parquet file.</summary>
    public string Path { get; }

    /// <summary>The names of the columns read, in data order, or null for every numeric column.</summary>
    public IReadOnlyList<string>? Columns { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A chosen column is not in the file, is nested or repeated, or is not numeric (the message names it and the columns that could be read).</exception>
    public override async IAsyncEnumerable<DataMatrix> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(Path, null, cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        var fields = Resolve(reader.Schema);
        int width = fields.Length;
        double[][] columns = new double[width][];
        double[] block = new double[BlockRows * width];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = checked((int)group.RowCount);
            if (rows == 0)
            {
                continue;
            }

            for (int j = 0; j < width; j++)
            {
                if (columns[j] is null || columns[j].Length < rows)
                {
                    columns[j] = new double[rows];
                }

                await ReadColumnAsync(group, fields[j], columns[j].AsMemory(0, rows), cancellationToken).ConfigureAwait(false);
            }

            for (int start = 0; start < rows; start += BlockRows)
            {
                int count = Math.Min(BlockRows, rows - start);
                for (int j = 0; j < width; j++)
                {
                    var column = columns[j];
                    for (int n = 0; n < count; n++)
                    {
                        block[(n * width) + j] = column[start + n];
                    }
                }

                yield return DataMatrix.FromRowMajor(block.AsMemory(0, count * width), width);
            }
        }
    }

    private DataField[] Resolve(ParquetSchema schema)
    {
        var all = schema.GetDataFields();
        var readable = all.Where(f => IsNumeric(f) && f.MaxRepetitionLevel == 0 && f.Path.Length == 1).ToArray();
        if (Columns is null)
        {
            if (readable.Length == 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{Path} has no numeric top-level column (its columns: {string.Join(", ", all.Select(f => $"{f.Name}: {TypeName(f)}"))}). Write the data as double, float, integer or boolean columns."), nameof(Columns));
            }

            return readable;
        }

        var result = new DataField[Columns.Count];
        for (int i = 0; i < Columns.Count; i++)
        {
            var field = Array.Find(readable, f => f.Name == Columns[i]);
            if (field is null)
            {
                var other = Array.Find(all, f => f.Name == Columns[i]);
                string why = other is null ? "is not a column of the file" : $"is a {TypeName(other)} column{(other.MaxRepetitionLevel > 0 ? " (repeated)" : string.Empty)}, not a numeric one";
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Columns[{i}] = \"{Columns[i]}\" {why} in {Path}. Choose among its numeric columns: {string.Join(", ", readable.Select(f => f.Name))}."), nameof(Columns));
            }

            result[i] = field;
        }

        return result;
    }

    private static string TypeName(DataField field) =>
        field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>) ? "text" : field.ClrType.Name;

    private static bool IsNumeric(DataField field) =>
        field.ClrType == typeof(double) || field.ClrType == typeof(float) || field.ClrType == typeof(int) || field.ClrType == typeof(long)
        || field.ClrType == typeof(short) || field.ClrType == typeof(sbyte) || field.ClrType == typeof(byte) || field.ClrType == typeof(ushort)
        || field.ClrType == typeof(uint) || field.ClrType == typeof(ulong) || field.ClrType == typeof(bool);

    private static Task ReadColumnAsync(ParquetRowGroupReader group, DataField field, Memory<double> destination, CancellationToken cancellationToken)
    {
        var type = field.ClrType;
        if (type == typeof(double))
        {
            return field.IsNullable ? ReadNullableAsync<double>(group, field, destination, v => v, cancellationToken) : ReadDoubleAsync(group, field, destination, cancellationToken);
        }

        return type == typeof(float) ? ReadAsync<float>(group, field, destination, v => v, cancellationToken)
            : type == typeof(int) ? ReadAsync<int>(group, field, destination, v => v, cancellationToken)
            : type == typeof(long) ? ReadAsync<long>(group, field, destination, v => v, cancellationToken)
            : type == typeof(short) ? ReadAsync<short>(group, field, destination, v => v, cancellationToken)
            : type == typeof(sbyte) ? ReadAsync<sbyte>(group, field, destination, v => v, cancellationToken)
            : type == typeof(byte) ? ReadAsync<byte>(group, field, destination, v => v, cancellationToken)
            : type == typeof(ushort) ? ReadAsync<ushort>(group, field, destination, v => v, cancellationToken)
            : type == typeof(uint) ? ReadAsync<uint>(group, field, destination, v => v, cancellationToken)
            : type == typeof(ulong) ? ReadAsync<ulong>(group, field, destination, v => v, cancellationToken)
            : ReadAsync<bool>(group, field, destination, v => v ? 1 : 0, cancellationToken);
    }

    private static async Task ReadDoubleAsync(ParquetRowGroupReader group, DataField field, Memory<double> destination, CancellationToken cancellationToken) =>
        await group.ReadAsync(field, destination, null, cancellationToken).ConfigureAwait(false);

    private static Task ReadAsync<T>(ParquetRowGroupReader group, DataField field, Memory<double> destination, Func<T, double> convert, CancellationToken cancellationToken)
        where T : struct =>
        field.IsNullable ? ReadNullableAsync(group, field, destination, convert, cancellationToken) : ReadPlainAsync(group, field, destination, convert, cancellationToken);

    private static async Task ReadPlainAsync<T>(ParquetRowGroupReader group, DataField field, Memory<double> destination, Func<T, double> convert, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T[destination.Length];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var span = destination.Span;
        for (int i = 0; i < values.Length; i++)
        {
            span[i] = convert(values[i]);
        }
    }

    private static async Task ReadNullableAsync<T>(ParquetRowGroupReader group, DataField field, Memory<double> destination, Func<T, double> convert, CancellationToken cancellationToken)
        where T : struct
    {
        var values = new T?[destination.Length];
        await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        var span = destination.Span;
        for (int i = 0; i < values.Length; i++)
        {
            span[i] = values[i] is { } v ? convert(v) : double.NaN;
        }
    }
}
