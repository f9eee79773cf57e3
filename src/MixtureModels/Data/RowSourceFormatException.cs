using System.Globalization;

namespace MixtureModels;

/// <summary>
/// A value of a file read by a <see cref="RowSource"/> (such as <see cref="CsvRowSource"/>) could not be read as a
/// number: the message and the properties name the file, the line, the column and the value.
/// </summary>
public sealed class RowSourceFormatException : FormatException
{
    /// <summary>Creates the exception for a bad value.</summary>
    /// <param name="path">The file.</param>
    /// <param name="line">The 1-based line (or row) of the file.</param>
    /// <param name="column">The 0-based column (field) index in the line.</param>
    /// <param name="columnName">The column's header name, or null.</param>
    /// <param name="value">The text that is not a number.</param>
    /// <param name="fix">What to do about it.</param>
    public RowSourceFormatException(string path, long line, int column, string? columnName, string value, string fix)
        : base(Describe(path, line, column, columnName, value, fix))
    {
        Path = path;
        Line = line;
        Column = column;
        ColumnName = columnName;
        Value = value;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The 1-based line (or row) of the file.</summary>
    public long Line { get; }

    /// <summary>The 0-based column (field) index in the line.</summary>
    public int Column { get; }

    /// <summary>The column's header name, or null when the file has no header.</summary>
    public string? ColumnName { get; }

    /// <summary>The text that is not a number.</summary>
    public string Value { get; }

    private static string Describe(string path, long line, int column, string? columnName, string value, string fix) =>
        string.Create(CultureInfo.InvariantCulture, $"{path} line {line}, column {column}{(columnName is null ? string.Empty : $" (\"{columnName}\")")}: \"{value}\" is not a number. {fix}");
}
