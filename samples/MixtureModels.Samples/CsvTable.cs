using System.Globalization;

namespace MixtureModels.Samples;

/// <summary>A small CSV file read into numeric columns plus an optional text label column.</summary>
internal sealed class CsvTable
{
    private CsvTable(string[] columnNames, double[,] values, string[] labels)
    {
        ColumnNames = columnNames;
        Values = values;
        Labels = labels;
    }

    /// <summary>Names of the numeric columns, from the header.</summary>
    public string[] ColumnNames { get; }

    /// <summary>N × D numeric values.</summary>
    public double[,] Values { get; }

    /// <summary>The text in the column after the numeric ones (empty strings when there is none).</summary>
    public string[] Labels { get; }

    /// <summary>Reads <paramref name="fileName"/> from the data folder next to the executable.</summary>
    /// <param name="fileName">File name, e.g. "iris.csv".</param>
    /// <param name="numericColumns">How many leading columns are numeric.</param>
    public static CsvTable Load(string fileName, int numericColumns)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", fileName);
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        string[] header = [.. lines[0].Split(',').Take(numericColumns).Select(Unquote)];
        var values = new double[lines.Length - 1, numericColumns];
        var labels = new string[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            string[] parts = lines[i].Split(',');
            for (int j = 0; j < numericColumns; j++)
            {
                values[i - 1, j] = double.Parse(Unquote(parts[j]), NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            labels[i - 1] = parts.Length > numericColumns ? Unquote(parts[numericColumns]) : string.Empty;
        }

        return new CsvTable(header, values, labels);
    }

    private static string Unquote(string s) => s.Trim().Trim('"');
}
