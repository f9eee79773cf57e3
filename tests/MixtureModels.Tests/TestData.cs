using System.Globalization;

namespace MixtureModels.Tests;

/// <summary>The real data sets shipped with the tests (copied from ../shared/data).</summary>
internal static class TestData
{
    /// <summary>Old Faithful: 272 rows × (eruptions, waiting).</summary>
    public static double[,] Faithful() => ReadNumeric("faithful.csv", 2, out _);

    /// <summary>Iris: 150 rows × 4 measurements, and the species of every row.</summary>
    public static double[,] Iris(out string[] species) => ReadNumeric("iris.csv", 4, out species);

    /// <summary>UCI wine: 178 rows × 13 chemical measurements on scales from about 0.1 to 1,680, and the cultivar (0, 1, 2) of every row.</summary>
    public static double[,] Wine(out string[] cultivar) => ReadNumeric("wine.csv", 13, out cultivar);

    private static double[,] ReadNumeric(string file, int columns, out string[] extra)
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", file)).Skip(1).Where(l => l.Length > 0).ToArray();
        var result = new double[lines.Length, columns];
        extra = new string[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(',');
            for (int j = 0; j < columns; j++)
            {
                result[i, j] = double.Parse(parts[j], CultureInfo.InvariantCulture);
            }

            extra[i] = parts.Length > columns ? parts[columns].Trim('"') : string.Empty;
        }

        return result;
    }
}
