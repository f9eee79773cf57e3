using MixtureModels.Selection;
using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>The model search (mclust's <c>Mclust</c>): BIC over the component count, one line per covariance type.</summary>
internal static class SearchCurves
{
    /// <summary>
    /// BIC of every sound or degenerate cell, the chosen model ringed, degenerate fits crossed: all of it on the left,
    /// the neighbourhood of the minimum on the right.
    /// </summary>
    public static Multiplot Draw(string dataName, ModelSearchResult<GaussianMixtureModel> search)
    {
        var best = search.Best!;
        var overview = Curves(search);
        int failed = search.Rows.Count(r => r.Status == CandidateStatus.Failed);
        overview.Title($"{dataName}: model search, {search.Rows.Count} fits{(failed > 0 ? $" ({failed} failed)" : string.Empty)}");

        var zoom = Curves(search);
        zoom.Title("the same, near the minimum");
        double[] near = [.. search.Rows.Where(r => r.Status != CandidateStatus.Failed).Select(r => r.CriterionValue).Where(v => v < best.CriterionValue + 150)];
        double pad = (near.Max() - near.Min()) * 0.08;
        zoom.Axes.SetLimitsY(near.Min() - pad, near.Max() + pad);
        zoom.HideLegend();   // the same lines and markers as on the left

        var multiplot = new Multiplot(overview);
        multiplot.Subplots.Add(zoom);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        return multiplot;
    }

    private static Plot Curves(ModelSearchResult<GaussianMixtureModel> search)
    {
        var plot = PlotStyle.NewPlot();
        CovarianceType[] types = [.. search.Rows.Select(r => r.CovarianceType!.Value).Distinct()];
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond];
        for (int t = 0; t < types.Length; t++)
        {
            var rows = search.Rows.Where(r => r.CovarianceType == types[t] && r.Status != CandidateStatus.Failed).OrderBy(r => r.ComponentCount).ToArray();
            double[] k = [.. rows.Select(r => (double)r.ComponentCount)];
            double[] bic = [.. rows.Select(r => r.CriterionValue)];
            var line = plot.Add.Scatter(k, bic, PlotStyle.Colors[t]);
            line.LineWidth = 2;
            line.MarkerShape = shapes[t % shapes.Length];
            line.MarkerSize = 8;
            line.LegendText = types[t].ToString();
        }

        var degenerate = search.Rows.Where(r => r.Status == CandidateStatus.Degenerate).ToArray();
        if (degenerate.Length > 0)
        {
            double[] k = [.. degenerate.Select(r => (double)r.ComponentCount)];
            double[] bic = [.. degenerate.Select(r => r.CriterionValue)];
            var crosses = plot.Add.Markers(k, bic, MarkerShape.Eks, 14, Colors.Black);
            crosses.MarkerLineWidth = 2;
            crosses.LegendText = "degenerate (never chosen)";
        }

        var best = search.Best!;
        var ring = plot.Add.Marker(best.ComponentCount, best.CriterionValue, MarkerShape.OpenCircle, 26, Colors.Red);
        ring.MarkerLineWidth = 2.5f;
        ring.LegendText = $"chosen: K = {best.ComponentCount}, {best.CovarianceType}, BIC {best.CriterionValue:F1}";

        plot.XLabel("number of components K");
        plot.YLabel("BIC (lower is better)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
