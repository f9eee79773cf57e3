using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;

namespace MixtureModels;

/// <summary>
/// A <see cref="RowSource"/> over a delimited text file (CSV, TSV, ...): the file is read afresh on every pass, 8 MB
/// at a time, and each 8 MB of whole lines is parsed straight from the UTF-8 bytes (no string per line or field) in
/// parallel parts (up to 8, one per core) into reused buffers, then handed on in file order in blocks of
/// <see cref="CsvReadOptions.BlockRows"/> rows; a fit from a file of any size takes a few tens of megabytes for the reading.
/// </summary>
/// <remarks>
/// Fields may be quoted with <c>"</c> (then they may hold the delimiter, and <c>""</c> stands for a quote) but may not
/// span lines. Blank lines are skipped; a UTF-8 byte-order mark is ignored. A field of a selected column that is empty
/// or equals <see cref="CsvReadOptions.MissingValue"/> is read as NaN; any other text that is not a number in the
/// invariant culture stops the pass with a <see cref="RowSourceFormatException"/> naming the file, line, column and value.
/// Columns that are not selected are not parsed.
/// </remarks>
/// <example>
/// <code>
/// var source = new CsvRowSource("measurements.csv", new CsvReadOptions { ColumnNames = ["x", "y"] });
/// GaussianMixtureModel model = new GaussianMixture(3).Fit(source);
/// </code>
/// </example>
public sealed class CsvRowSource : RowSource
{
    private const byte Quote = (byte)'"';
    private const int SegmentBytes = 8 << 20;   // bytes read at once, then parsed in parallel parts
    private const int MaxParts = 8;
    private const int MinPartBytes = 256 << 10;
    private readonly int[] _targets;  // per field of a line: the data column it becomes, or -1
    private readonly int _width;
    private readonly int _requiredFields;
    private readonly byte _delimiter;
    private readonly byte[] _missing;
    private readonly string[]? _header;

    /// <summary>Opens <paramref name="path"/> with the default <see cref="CsvReadOptions"/> (comma, header, every column).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file is empty.</exception>
    public CsvRowSource(string path)
        : this(path, new CsvReadOptions())
    {
    }

    /// <summary>Opens <paramref name="path"/>, reads its first line (the header, or the first row to count the fields) and resolves the columns to read.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The file is empty, or an option does not suit it (a column that is not in the file, names without a header); the message names it and the fix.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CsvRowSource(string path, CsvReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Delimiter > 127 || options.Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Delimiter, string.Create(CultureInfo.InvariantCulture, $"Delimiter = '{options.Delimiter}' is not supported. Use an ASCII character other than the quote, CR and LF, such as ',', ';' or '\\t'."));
        }

        if (options.BlockRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BlockRows, string.Create(CultureInfo.InvariantCulture, $"BlockRows = {options.BlockRows} is out of range. Use at least 1 row per block."));
        }

        if (options.Columns is not null && options.ColumnNames is not null)
        {
            throw new ArgumentException("Columns and ColumnNames are both set. Select the columns by index or by name, not both.", nameof(options));
        }

        if (options.ColumnNames is not null && !options.HasHeader)
        {
            throw new ArgumentException("ColumnNames needs a header line, but HasHeader is false. Select the columns by index (Columns), or set HasHeader = true.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.MissingValue, nameof(options.MissingValue));
        Path = path;
        Options = options;
        _delimiter = (byte)options.Delimiter;
        _missing = Encoding.UTF8.GetBytes(options.MissingValue.Trim());
        string[] first = FirstLineFields(path, _delimiter);
        int fields = first.Length;
        _header = options.HasHeader ? first : null;
        int[] selected;
        if (options.ColumnNames is { } names)
        {
            selected = new int[names.Count];
            for (int i = 0; i < names.Count; i++)
            {
                selected[i] = Array.IndexOf(first, names[i]);
                if (selected[i] < 0)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"ColumnNames[{i}] = \"{names[i]}\" is not a column of {path}, whose header is {string.Join(", ", first)}. Use one of those names."), nameof(options));
                }
            }
        }
        else if (options.Columns is { } indices)
        {
            selected = [.. indices];
            for (int i = 0; i < selected.Length; i++)
            {
                if ((uint)selected[i] >= (uint)fields)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Columns[{i}] = {selected[i]} is not a column of {path}, whose first line has {fields} fields. Use indices in [0, {fields})."), nameof(options));
                }
            }
        }
        else
        {
            selected = Enumerable.Range(0, fields).ToArray();
        }

        if (selected.Length == 0)
        {
            throw new ArgumentException("No column is selected. Select at least one column.", nameof(options));
        }

        _targets = new int[selected.Max() + 1];
        Array.Fill(_targets, -1);
        for (int i = 0; i < selected.Length; i++)
        {
            if (_targets[selected[i]] >= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Column {selected[i]} is selected twice. Select each column once."), nameof(options));
            }

            _targets[selected[i]] = i;
        }

        _width = selected.Length;
        _requiredFields = _targets.Length;
        ColumnNames = _header is null ? null : Array.AsReadOnly(selected.Select(c => _header[c]).ToArray());
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>How the file is read.</summary>
    public CsvReadOptions Options { get; }

    /// <summary>The number of columns read, D.</summary>
    public int ColumnCount => _width;

    /// <summary>The header names of the columns read, in data order; null when the file has no header.</summary>
    public IReadOnlyList<string>? ColumnNames { get; }

    /// <inheritdoc/>
    public override IAsyncEnumerable<DataMatrix> ReadBlocksAsync(CancellationToken cancellationToken) => AsAsync(ReadBlocks(cancellationToken), cancellationToken);

    /// <summary>Reads every row into memory: the in-memory counterpart of a fit from this source (for files that fit in memory).</summary>
    /// <returns>The rows.</returns>
    /// <exception cref="RowSourceFormatException">A value is not a number.</exception>
    public DataMatrix ReadAll()
    {
        var values = new List<double>();
        foreach (var block in ReadBlocks(CancellationToken.None))
        {
            foreach (double v in block.Values)
            {
                values.Add(v);
            }
        }

        if (values.Count == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{Path} has no data rows. Give a file with at least one row."));
        }

        return DataMatrix.FromRowMajor(values.ToArray(), _width);
    }

    private IEnumerable<DataMatrix> ReadBlocks(CancellationToken cancellationToken)
    {
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        byte[] buffer = new byte[SegmentBytes];
        int filled = 0;
        bool endOfFile = false;
        long linesBefore = 0;
        int blockRows = Options.BlockRows;
        var parts = new Part[Math.Clamp(Environment.ProcessorCount, 1, MaxParts)];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = new Part();
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (!endOfFile && filled < buffer.Length)
            {
                int read = stream.Read(buffer, filled, buffer.Length - filled);
                endOfFile = read == 0;
                filled += read;
            }

            if (filled == 0)
            {
                yield break;
            }

            // A segment of whole lines: up to the last line feed (all that is left at the end of the file).
            int end = filled;
            if (!endOfFile)
            {
                int last = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n');
                if (last < 0)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);   // a line longer than the buffer
                    continue;
                }

                end = last + 1;
            }

            // The segment's lines are parsed in parallel parts of about equal size, each cut after a line feed, each
            // into its own rows; the parts are then handed on in file order, so the rows come in file order.
            int used = Cut(buffer, end, parts, linesBefore);
            if (used == 1)
            {
                parts[0].Parse(this, buffer);
            }
            else
            {
                Parallel.For(0, used, i => parts[i].Parse(this, buffer));
            }

            for (int i = 0; i < used; i++)
            {
                parts[i].ThrowIfFailed();
            }

            for (int i = 0; i < used; i++)
            {
                var part = parts[i];
                for (int start = 0; start < part.Rows; start += blockRows)
                {
                    int count = Math.Min(blockRows, part.Rows - start);
                    yield return DataMatrix.FromRowMajor(part.Values.AsMemory(start * _width, count * _width), _width);
                }

                linesBefore += part.Lines;
            }

            Buffer.BlockCopy(buffer, end, buffer, 0, filled - end);
            filled -= end;
        }
    }

    /// <summary>Cuts buffer[0, end) into at most parts.Length ranges of whole lines (one when it is small); returns how many.</summary>
    private int Cut(byte[] buffer, int end, Part[] parts, long linesBefore)
    {
        int used = end < MinPartBytes * 2 ? 1 : Math.Min(parts.Length, end / MinPartBytes);
        int from = 0;
        long line = linesBefore;
        int count = 0;
        for (int i = 0; i < used && from < end; i++)
        {
            int to = i == used - 1 ? end : (int)((long)end * (i + 1) / used);
            if (to < end)
            {
                int feed = buffer.AsSpan(to - 1, end - to + 1).IndexOf((byte)'\n');
                to = feed < 0 ? end : to + feed;   // just after the line feed at or after the cut
            }

            to = Math.Max(to, from);
            if (to == from)
            {
                continue;
            }

            int lines = buffer.AsSpan(from, to - from).Count((byte)'\n');
            if (to == end && buffer[end - 1] != (byte)'\n')
            {
                lines++;   // the file's last line, without a line feed
            }

            parts[count++].Reset(from, to, line, lines, _width);
            line += lines;
            from = to;
        }

        return count;
    }

    /// <summary>One range of whole lines of a segment, parsed into its own rows.</summary>
    private sealed class Part
    {
        private int _from;
        private int _to;
        private long _firstLine;
        private Exception? _error;

        /// <summary>The rows, row-major (capacity for one row per line).</summary>
        public double[] Values { get; private set; } = [];

        public int Rows { get; private set; }

        public int Lines { get; private set; }

        public void Reset(int from, int to, long linesBefore, int lines, int width)
        {
            _from = from;
            _to = to;
            _firstLine = linesBefore + 1;
            Lines = lines;
            Rows = 0;
            _error = null;
            if (Values.Length < lines * width)
            {
                Values = new double[lines * width];
            }
        }

        public void Parse(CsvRowSource source, byte[] buffer)
        {
            try
            {
                int width = source._width;
                int position = _from;
                long line = _firstLine;
                while (position < _to)
                {
                    int length = buffer.AsSpan(position, _to - position).IndexOf((byte)'\n');
                    int next = length < 0 ? _to : position + length + 1;
                    var text = buffer.AsSpan(position, (length < 0 ? _to : position + length) - position);
                    position = next;
                    if (line == 1 && text.StartsWith("\uFEFF"u8))
                    {
                        text = text[3..];
                    }

                    if (!text.IsEmpty && text[^1] == (byte)'\r')
                    {
                        text = text[..^1];
                    }

                    if (!((line == 1 && source.Options.HasHeader) || text.Trim((byte)' ').IsEmpty))
                    {
                        source.ParseRow(text, Values.AsSpan(Rows * width, width), line);
                        Rows++;
                    }

                    line++;
                }
            }
            catch (RowSourceFormatException e)
            {
                _error = e;
            }
        }

        public void ThrowIfFailed()
        {
            if (_error is not null)
            {
                ExceptionDispatchInfo.Capture(_error).Throw();
            }
        }
    }

    private void ParseRow(ReadOnlySpan<byte> text, Span<double> row, long line)
    {
        int field = 0, position = 0;
        while (field < _requiredFields)
        {
            int next = NextField(text, position, _delimiter, out int fieldStart, out int fieldLength);
            int target = _targets[field];
            if (target >= 0)
            {
                var value = text.Slice(fieldStart, fieldLength).Trim((byte)' ');
                if (value.IsEmpty || value.SequenceEqual(_missing))
                {
                    row[target] = double.NaN;
                }
                else if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out row[target]))
                {
                    throw new RowSourceFormatException(Path, line, field, _header?[field], Encoding.UTF8.GetString(value), "Fix the value, select only numeric columns (CsvReadOptions.Columns or ColumnNames), or set CsvReadOptions.MissingValue to the token that marks a missing entry.");
                }
            }

            field++;
            if (next < 0)
            {
                break;
            }

            position = next;
        }

        if (field < _requiredFields)
        {
            throw new RowSourceFormatException(Path, line, field, field < (_header?.Length ?? 0) ? _header![field] : null, Encoding.UTF8.GetString(text), string.Create(CultureInfo.InvariantCulture, $"The line has {field} fields but column {_requiredFields - 1} is read. Give every line the same fields as the first, or check the delimiter ('{(char)_delimiter}')."));
        }
    }

    /// <summary>
    /// The field that starts at <paramref name="position"/>: its content (inside the quotes, if quoted) and the position
    /// after its delimiter, or -1 when it is the last field of the line.
    /// </summary>
    private static int NextField(ReadOnlySpan<byte> text, int position, byte delimiter, out int fieldStart, out int fieldLength)
    {
        var rest = text[position..];
        int lead = rest.Length - rest.TrimStart((byte)' ').Length;
        if (lead < rest.Length && rest[lead] == Quote)
        {
            // A quoted field ends at a quote that is not doubled; what follows it up to the delimiter is ignored.
            int i = lead + 1;
            while (i < rest.Length && !(rest[i] == Quote && (i + 1 >= rest.Length || rest[i + 1] != Quote)))
            {
                i += rest[i] == Quote ? 2 : 1;
            }

            fieldStart = position + lead + 1;
            fieldLength = i - lead - 1;
            int after = i + 1 < rest.Length ? rest[(i + 1)..].IndexOf(delimiter) : -1;
            return after < 0 ? -1 : position + i + 1 + after + 1;
        }

        int end = rest.IndexOf(delimiter);
        fieldStart = position;
        fieldLength = end < 0 ? rest.Length : end;
        return end < 0 ? -1 : position + end + 1;
    }

    private static string[] FirstLineFields(string path, byte delimiter)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
        }

        var text = bytes.ToArray().AsSpan();
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }

        if (!text.IsEmpty && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }

        if (text.Trim((byte)' ').IsEmpty)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{path} is empty or starts with a blank line. Give a file whose first line is the header or the first row."), nameof(path));
        }

        var fields = new List<string>();
        int position = 0;
        while (true)
        {
            int next = NextField(text, position, delimiter, out int fieldStart, out int fieldLength);
            fields.Add(Encoding.UTF8.GetString(text.Slice(fieldStart, fieldLength)).Trim());
            if (next < 0)
            {
                return [.. fields];
            }

            position = next;
        }
    }
}
