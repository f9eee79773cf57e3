namespace MixtureModels;

/// <summary>
/// How a <see cref="CsvRowSource"/> reads a delimited text file: the delimiter, the header, the columns to read and the
/// missing-value token. Numbers are read in the invariant culture (a dot as decimal separator, an optional exponent,
/// <c>NaN</c>, <c>Infinity</c>), whatever the machine's culture.
/// </summary>
public sealed record CsvReadOptions
{
    /// <summary>The field delimiter (default <c>','</c>); an ASCII character other than the quote, CR and LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether the first line holds the column names (default true).</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// The 0-based indices of the columns to read, in the order they become the data's columns (default: every column).
    /// Mutually exclusive with <see cref="ColumnNames"/>; other columns may hold anything (text, dates) and are skipped.
    /// </summary>
    public IReadOnlyList<int>? Columns { get; init; }

    /// <summary>
    /// The header names of the columns to read, in the order they become the data's columns (default: every column).
    /// Needs <see cref="HasHeader"/>; mutually exclusive with <see cref="Columns"/>.
    /// </summary>
    public IReadOnlyList<string>? ColumnNames { get; init; }

    /// <summary>
    /// The text that marks a missing entry (default <c>"NA"</c>); it and an empty field are read as NaN, which a fit
    /// accepts with <see cref="MixtureOptions.MissingValues"/> = <see cref="MissingValueHandling.Marginalize"/>
    /// and otherwise rejects naming the row and column. Compared after trimming spaces and quotes, case-sensitively.
    /// </summary>
    public string MissingValue { get; init; } = "NA";

    /// <summary>Rows per block handed to the fit (default 4096), at least 1. It changes memory, not results.</summary>
    public int BlockRows { get; init; } = 4096;
}
