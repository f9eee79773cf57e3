using MixtureModels.Samples;
using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>Old Faithful: the fitted two-component density as contours of log p(x) over the eruptions.</summary>
internal static class FaithfulDensity
{
    /// <summary>Contours of the fitted log-density, the rows coloured by their most likely component, the means.</summary>
    public static Plot Draw(CsvTable faithful, GaussianMixtureModel model)
    {
        double[,] values = faithful.Values;
        int n = values.GetLength(0);
        double[] x = [.. Enumerable.Range(0, n).Select(i => values[i, 0])];
        double[] y = [.. Enumerable.Range(0, n).Select(i => values[i, 1])];

        // The log-density on a grid a little larger than the data, as contour lines one nat apart from the peak down.
        const int gridSize = 200;
        (double xMin, double xMax) = Padded(x, 0.08);
        (double yMin, double yMax) = Padded(y, 0.08);
        var points = new double[gridSize * gridSize, 2];
        for (int i = 0; i < gridSize; i++)
        {
            for (int j = 0; j < gridSize; j++)
            {
                points[(i * gridSize) + j, 0] = xMin + ((xMax - xMin) * j / (gridSize - 1));
                points[(i * gridSize) + j, 1] = yMin + ((yMax - yMin) * i / (gridSize - 1));
            }
        }

        double[] logDensity = model.LogDensity(points);
        // ScottPlot draws contour levels at min + i·(max − min)/(n + 1), i = 0..n: with z clipped below at max − (n + 1)
        // they fall at max − 1, max − 2, …, max − n and at the floor, whose line is dropped.
        const int levels = 9;
        double top = logDensity.Max();
        double floor = top - (levels + 1);
        var grid = new Coordinates3d[gridSize, gridSize];
        for (int i = 0; i < gridSize; i++)
        {
            for (int j = 0; j < gridSize; j++)
            {
                int p = (i * gridSize) + j;
                grid[i, j] = new Coordinates3d(points[p, 0], points[p, 1], Math.Max(logDensity[p], floor));
            }
        }

        var plot = PlotStyle.NewPlot();
        var contours = plot.Add.ContourLines(grid, levels);
        contours.LabelStyle.IsVisible = false;
        contours.Lines.RemoveAll(line => line.Z < floor + 0.5);   // the level at the clipping floor itself
        contours.Colormap = new ScottPlot.Colormaps.Viridis();
        contours.LineWidth = 1.5f;

        int[] labels = [.. model.TrainingLabels];
        for (int k = 0; k < model.ComponentCount; k++)
        {
            double[] xs = [.. Enumerable.Range(0, n).Where(i => labels[i] == k).Select(i => x[i])];
            double[] ys = [.. Enumerable.Range(0, n).Where(i => labels[i] == k).Select(i => y[i])];
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 5, PlotStyle.Colors[k].WithAlpha(0.7));
            markers.LegendText = $"component {k + 1} (weight {model.Weights[k]:F2})";
        }

        var means = model.GetMeans();
        double[] meanX = [.. Enumerable.Range(0, model.ComponentCount).Select(k => means[k, 0])];
        double[] meanY = [.. Enumerable.Range(0, model.ComponentCount).Select(k => means[k, 1])];
        var centre = plot.Add.Markers(meanX, meanY, MarkerShape.Cross, 16, Colors.Black);
        centre.MarkerLineWidth = 3;
        centre.LegendText = "means";

        plot.Title($"Old Faithful: log-density of a {model.ComponentCount}-component full-covariance Gaussian mixture");
        plot.XLabel("eruption duration (minutes)");
        plot.YLabel("waiting time to next eruption (minutes)");
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.ShowLegend(Alignment.UpperLeft);
        var note = plot.Add.Text($"contours: log p(x) = max − 1, max − 2, …, max − {levels} (nats)", xMax, yMin);
        note.Alignment = Alignment.LowerRight;
        note.LabelFontSize = 12;
        return plot;
    }

    private static (double Min, double Max) Padded(double[] values, double fraction)
    {
        double min = values.Min();
        double max = values.Max();
        double pad = (max - min) * fraction;
        return (min - pad, max + pad);
    }
}
