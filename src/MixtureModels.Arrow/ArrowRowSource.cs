using System.Globalization;
using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;

namespace MixtureModels.Arrow;

/// <summary>
/// A <see cref="RowSource"/> over Apache Arrow record batches: a re-enumerable sequence of <see cref="RecordBatch"/>, an
/// Arrow IPC file (Feather v2) or an Arrow IPC stream, read afresh on every pass. The chosen columns must be numeric:
/// double, float, 8- to 64-bit integers (signed or not) or boolean (0 or 1); a null is read as NaN, a missing value,
/// which a fit accepts with <see cref="MixtureOptions.MissingValues"/> = <see cref="MissingValueHandling.Marginalize"/>.
/// </summary>
/// <remarks>
/// The memory of a pass is one record batch (as the Arrow reader holds it) plus one block of rows. A fit from the
/// batches is bit-identical to the in-memory fit of the same rows (with at most <see cref="MixtureOptions.SourceSampleRows"/>
/// rows), whatever the batch sizes.
/// </remarks>
/// <example>
/// <code>
/// var source = ArrowRowSource.FromIpcFile("measurements.arrow", ["x", "y", "z"]);
/// GaussianMixtureModel model = new GaussianMixture(3).Fit(source);
/// </code>
/// </example>
public sealed class ArrowRowSource : RowSource
{
    private const int BlockRows = 8192;
    private readonly Func<CancellationToken, IAsyncEnumerable<RecordBatch>> _batches;
    private readonly bool _disposeBatches;

    private ArrowRowSource(Func<CancellationToken, IAsyncEnumerable<RecordBatch>> batches, IReadOnlyList<string>? columns, bool disposeBatches, string description)
    {
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

        _batches = batches;
        _disposeBatches = disposeBatches;
        Columns = columns is null ? null : System.Array.AsReadOnly(columns.ToArray());
        Description = description;
    }

    /// <summary>The names of the columns read, in data order, or null for every numeric column (in schema order).</summary>
    public IReadOnlyList<string>? Columns { get; }

    /// <summary>What the source reads (batches, or the file), for messages.</summary>
    public string Description { get; }

    /// <summary>A source over the record batches that <paramref name="batches"/> returns, called once per pass. The batches are not disposed.</summary>
    /// <param name="batches">Returns the batches, from the first row, each time it is called; all with the chosen columns.</param>
    /// <param name="columns">The names of the columns to read, or null for every numeric column of the first batch's schema.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batches"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty or names a column twice.</exception>
    public static ArrowRowSource FromBatches(Func<IEnumerable<RecordBatch>> batches, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return new ArrowRowSource(ct => Async(batches(), ct), columns, disposeBatches: false, "record batches");
    }

    /// <summary>A source over an Arrow IPC file (the random-access format, Feather v2), opened on every pass.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">The names of the columns to read, or null for every numeric column.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty or names a column twice.</exception>
    public static ArrowRowSource FromIpcFile(string path, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new ArrowRowSource(ct => ReadIpc(() => File.OpenRead(path), file: true, ct), columns, disposeBatches: true, path);
    }

    /// <summary>A source over an Arrow IPC stream, which <paramref name="open"/> opens afresh on every pass (and the source disposes).</summary>
    /// <param name="open">Opens the stream at its start.</param>
    /// <param name="columns">The names of the columns to read, or null for every numeric column.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="columns"/> is empty or names a column twice.</exception>
    public static ArrowRowSource FromIpcStream(Func<Stream> open, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(open);
        return new ArrowRowSource(ct => ReadIpc(open, file: false, ct), columns, disposeBatches: true, "an Arrow IPC stream");
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A chosen column is not in a batch or is not numeric (the message names it and the columns that could be read).</exception>
    public override async IAsyncEnumerable<DataMatrix> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string[]? names = null;
        double[] block = [];
        await foreach (var batch in _batches(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                names ??= Resolve(batch.Schema);
                int width = names.Length;
                if (block.Length == 0)
                {
                    block = new double[BlockRows * width];
                }

                var arrays = new IArrowArray[width];
                for (int j = 0; j < width; j++)
                {
                    int index = batch.Schema.GetFieldIndex(names[j]);
                    if (index < 0)
                    {
                        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A record batch of {Description} has no column \"{names[j]}\" (its columns: {string.Join(", ", batch.Schema.FieldsList.Select(f => f.Name))}). Give every batch the same columns."), nameof(Columns));
                    }

                    arrays[j] = batch.Column(index);
                }

                for (int start = 0; start < batch.Length; start += BlockRows)
                {
                    int count = Math.Min(BlockRows, batch.Length - start);
                    for (int j = 0; j < width; j++)
                    {
                        Copy(arrays[j], names[j], start, count, block, j, width);
                    }

                    yield return DataMatrix.FromRowMajor(block.AsMemory(0, count * width), width);
                }
            }
            finally
            {
                if (_disposeBatches)
                {
                    batch.Dispose();
                }
            }
        }
    }

    private string[] Resolve(Schema schema)
    {
        var readable = schema.FieldsList.Where(f => IsNumeric(f.DataType)).Select(f => f.Name).ToArray();
        if (Columns is null)
        {
            if (readable.Length == 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{Description} has no numeric column (its columns: {string.Join(", ", schema.FieldsList.Select(f => $"{f.Name}: {f.DataType.Name}"))}). Give double, float, integer or boolean columns."), nameof(Columns));
            }

            return readable;
        }

        for (int i = 0; i < Columns.Count; i++)
        {
            if (!readable.Contains(Columns[i], StringComparer.Ordinal))
            {
                var field = schema.FieldsList.FirstOrDefault(f => f.Name == Columns[i]);
                string why = field is null ? "is not a column" : $"is a {field.DataType.Name} column, not a numeric one,";
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Columns[{i}] = \"{Columns[i]}\" {why} of {Description}. Choose among its numeric columns: {string.Join(", ", readable)}."), nameof(Columns));
            }
        }

        return [.. Columns];
    }

    private static bool IsNumeric(Apache.Arrow.Types.IArrowType type) => type.TypeId is
        Apache.Arrow.Types.ArrowTypeId.Double or Apache.Arrow.Types.ArrowTypeId.Float or Apache.Arrow.Types.ArrowTypeId.Int8
        or Apache.Arrow.Types.ArrowTypeId.Int16 or Apache.Arrow.Types.ArrowTypeId.Int32 or Apache.Arrow.Types.ArrowTypeId.Int64
        or Apache.Arrow.Types.ArrowTypeId.UInt8 or Apache.Arrow.Types.ArrowTypeId.UInt16 or Apache.Arrow.Types.ArrowTypeId.UInt32
        or Apache.Arrow.Types.ArrowTypeId.UInt64 or Apache.Arrow.Types.ArrowTypeId.Boolean;

    /// <summary>Rows [start, start + count) of one column into column <paramref name="column"/> of the row-major block.</summary>
    private void Copy(IArrowArray array, string name, int start, int count, double[] block, int column, int width)
    {
        switch (array)
        {
            case DoubleArray a: Copy(a, start, count, block, column, width, v => v); break;
            case FloatArray a: Copy(a, start, count, block, column, width, v => v); break;
            case Int8Array a: Copy(a, start, count, block, column, width, v => v); break;
            case Int16Array a: Copy(a, start, count, block, column, width, v => v); break;
            case Int32Array a: Copy(a, start, count, block, column, width, v => v); break;
            case Int64Array a: Copy(a, start, count, block, column, width, v => v); break;
            case UInt8Array a: Copy(a, start, count, block, column, width, v => v); break;
            case UInt16Array a: Copy(a, start, count, block, column, width, v => v); break;
            case UInt32Array a: Copy(a, start, count, block, column, width, v => v); break;
            case UInt64Array a: Copy(a, start, count, block, column, width, v => v); break;
            case BooleanArray a:
                for (int n = 0; n < count; n++)
                {
                    block[(n * width) + column] = a.GetValue(start + n) is { } b ? (b ? 1 : 0) : double.NaN;
                }

                break;
            default:
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Column \"{name}\" of {Description} is a {array.Data.DataType.Name} array, not a numeric one. Give every batch the same numeric columns."), nameof(Columns));
        }
    }

    private static void Copy<T>(PrimitiveArray<T> array, int start, int count, double[] block, int column, int width, Func<T, double> convert)
        where T : struct, IEquatable<T>
    {
        var values = array.Values;
        bool nulls = array.NullCount > 0;
        for (int n = 0; n < count; n++)
        {
            block[(n * width) + column] = nulls && array.IsNull(start + n) ? double.NaN : convert(values[start + n]);
        }
    }

    private static async IAsyncEnumerable<RecordBatch> Async(IEnumerable<RecordBatch> batches, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return batch;
        }
    }

    private static async IAsyncEnumerable<RecordBatch> ReadIpc(Func<Stream> open, bool file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = open();
        using var reader = file ? new ArrowFileReader(stream, leaveOpen: false) : new ArrowStreamReader(stream, leaveOpen: false);
        while (await reader.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
        {
            yield return batch;
        }
    }
}
