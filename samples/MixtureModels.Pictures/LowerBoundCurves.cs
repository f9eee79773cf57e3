using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>The EM lower bound after every iteration (<see cref="FitReport.LowerBoundHistory"/>).</summary>
internal static class LowerBoundCurves
{
    /// <summary>One line per fit; the lower bound is the mean log-likelihood per row and never decreases.</summary>
    public static Plot Draw(string title, IReadOnlyList<(string Name, GaussianMixtureModel Model)> fits)
    {
        var plot = PlotStyle.NewPlot();
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];
        for (int f = 0; f < fits.Count; f++)
        {
            var history = fits[f].Model.Report.LowerBoundHistory;
            double[] iterations = [.. Enumerable.Range(1, history.Count).Select(i => (double)i)];
            var line = plot.Add.Scatter(iterations, history.ToArray(), PlotStyle.Colors[f]);
            line.LineWidth = 2;
            line.MarkerShape = shapes[f % shapes.Length];
            line.MarkerSize = 5;
            line.LegendText = $"{fits[f].Name}: {history.Count} iterations{(fits[f].Model.Converged ? string.Empty : " (not converged)")}, final {history[^1]:F3}";
        }

        plot.Title(title);
        plot.XLabel("EM iteration");
        plot.YLabel("lower bound (mean log-likelihood per row, nats)");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
