using System.Globalization;
using System.IO.Compression;

namespace MixtureModels.Pictures;

/// <summary>
/// The UCI optical handwritten digits, test set (1797 images of 8 × 8 pixels, counts 0..16, and the digit), as
/// shipped by scikit-learn in <c>digits.csv.gz</c>; see data/README.md for provenance and licence.
/// </summary>
internal sealed class DigitsData
{
    /// <summary>Pixels per side of an image.</summary>
    public const int Side = 8;

    private DigitsData(double[,] pixels, int[] digits)
    {
        Pixels = pixels;
        Digits = digits;
    }

    /// <summary>N × 64 pixel counts in 0..16, row-major within each image (row 0 is the top of the image).</summary>
    public double[,] Pixels { get; }

    /// <summary>The digit each image shows (0..9); never given to the fit.</summary>
    public int[] Digits { get; }

    /// <summary>Reads data/digits.csv.gz next to the executable.</summary>
    public static DigitsData Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                rows.Add(line.Split(','));
            }
        }

        const int pixelCount = Side * Side;
        var pixels = new double[rows.Count, pixelCount];
        var digits = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            for (int j = 0; j < pixelCount; j++)
            {
                pixels[i, j] = double.Parse(rows[i][j], NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            digits[i] = (int)double.Parse(rows[i][pixelCount], NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return new DigitsData(pixels, digits);
    }

    /// <summary>1 where a pixel count is at least <paramref name="threshold"/> (of 16), else 0.</summary>
    public double[,] Binarize(int threshold)
    {
        var binary = new double[Pixels.GetLength(0), Pixels.GetLength(1)];
        for (int i = 0; i < binary.GetLength(0); i++)
        {
            for (int j = 0; j < binary.GetLength(1); j++)
            {
                binary[i, j] = Pixels[i, j] >= threshold ? 1 : 0;
            }
        }

        return binary;
    }
}
