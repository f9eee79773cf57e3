using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>The look shared by every picture: the shipped font, the colours and the file format.</summary>
internal static class PlotStyle
{
    /// <summary>The family name of the font in fonts/ (DejaVu Sans, Bitstream Vera licence, see fonts/LICENSE).</summary>
    public const string FontName = "DejaVu Sans";

    /// <summary>One colour per component or class (Tableau 10, as matplotlib's default cycle).</summary>
    public static readonly Color[] Colors = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>
    /// Registers the shipped font and makes it the default, so text is drawn the same on any machine: the Linux native
    /// assets without dependencies do not use fontconfig, and on a machine without system fonts all text would vanish.
    /// </summary>
    public static void UseShippedFont()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");
        Fonts.AddFontFile(FontName, path, bold: false, italic: false);
        Fonts.Default = FontName;
    }

    /// <summary>A plot with the shipped font on every label.</summary>
    public static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as a PNG file and prints its path.</summary>
    public static void Save(Plot plot, string folder, string fileName, int width, int height)
    {
        plot.Font.Set(FontName);   // also for labels and legends added after NewPlot
        string path = Path.Combine(folder, fileName);
        plot.SavePng(path, width, height);
        Console.WriteLine($"  {path} ({width} × {height})");
    }

    /// <summary>Writes the plots of <paramref name="multiplot"/> side by side as one PNG file and prints its path.</summary>
    public static void Save(Multiplot multiplot, string folder, string fileName, int width, int height)
    {
        foreach (var plot in multiplot.Subplots.GetPlots())
        {
            plot.Font.Set(FontName);
        }

        string path = Path.Combine(folder, fileName);
        multiplot.SavePng(path, width, height);
        Console.WriteLine($"  {path} ({width} × {height})");
    }
}
