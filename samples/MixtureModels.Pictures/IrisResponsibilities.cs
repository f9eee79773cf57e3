using MathNet.Numerics.LinearAlgebra;
using MixtureModels.Samples;
using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>Iris on its first two principal components, each flower coloured by its responsibilities.</summary>
internal static class IrisResponsibilities
{
    /// <summary>
    /// Each flower's colour is the mix of the component colours weighted by its responsibilities r_nk, so an uncertain
    /// flower shows a blend; the marker shape is the species, which the fit never sees.
    /// </summary>
    public static Plot Draw(CsvTable iris, GaussianMixtureModel model)
    {
        double[,] values = iris.Values;
        int n = values.GetLength(0);
        var (scores, explained) = PrincipalComponents(values);
        double[,] r = model.PredictProbabilities(values);

        var plot = PlotStyle.NewPlot();
        string[] species = [.. iris.Labels.Distinct()];
        MarkerShape[] shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp];
        for (int i = 0; i < n; i++)
        {
            var colour = Blend(r, i, model.ComponentCount);
            int s = Array.IndexOf(species, iris.Labels[i]);
            var point = plot.Add.Marker(scores[i, 0], scores[i, 1], shapes[s], 9, colour);
            point.MarkerLineColor = Colors.Black.WithAlpha(0.5);
            point.MarkerLineWidth = 0.5f;
        }

        // Flowers the model is not sure about (largest responsibility below 0.9) get a ring.
        int[] uncertain = [.. Enumerable.Range(0, n).Where(i => Enumerable.Range(0, model.ComponentCount).Max(k => r[i, k]) < 0.9)];
        foreach (int i in uncertain)
        {
            var ring = plot.Add.Marker(scores[i, 0], scores[i, 1], MarkerShape.OpenCircle, 22, Colors.Black);
            ring.MarkerLineWidth = 1.5f;
        }

        // Legend: the component colours, the species shapes and the ring.
        var items = new List<LegendItem>();
        for (int k = 0; k < model.ComponentCount; k++)
        {
            items.Add(new LegendItem
            {
                LabelText = $"component {k + 1} (r = 1)",
                MarkerShape = MarkerShape.FilledCircle,
                MarkerFillColor = PlotStyle.Colors[k],
                MarkerLineColor = PlotStyle.Colors[k],
                MarkerSize = 10,
            });
        }

        for (int s = 0; s < species.Length; s++)
        {
            items.Add(new LegendItem
            {
                LabelText = $"species {species[s]}",
                MarkerShape = shapes[s],
                MarkerFillColor = Colors.Gray,
                MarkerLineColor = Colors.Gray,
                MarkerSize = 10,
            });
        }

        items.Add(new LegendItem
        {
            LabelText = $"largest r below 0.9 ({uncertain.Length})",
            MarkerShape = MarkerShape.OpenCircle,
            MarkerLineColor = Colors.Black,
            MarkerLineWidth = 1.5f,
            MarkerSize = 12,
        });
        plot.ShowLegend(items, Alignment.UpperRight);
        plot.Title($"Iris: {model.ComponentCount}-component full Gaussian mixture; colour = responsibilities, shape = species");
        plot.XLabel($"first principal component ({explained[0]:P0} of the variance)");
        plot.YLabel($"second principal component ({explained[1]:P0})");
        return plot;
    }

    /// <summary>The responsibility-weighted mix of the component colours.</summary>
    private static Color Blend(double[,] r, int row, int k)
    {
        double red = 0, green = 0, blue = 0;
        for (int j = 0; j < k; j++)
        {
            red += r[row, j] * PlotStyle.Colors[j].Red;
            green += r[row, j] * PlotStyle.Colors[j].Green;
            blue += r[row, j] * PlotStyle.Colors[j].Blue;
        }

        return new Color((byte)Math.Round(red), (byte)Math.Round(green), (byte)Math.Round(blue));
    }

    /// <summary>Scores on the first two principal components of the centred data, and the share of variance of each.</summary>
    private static (double[,] Scores, double[] Explained) PrincipalComponents(double[,] values)
    {
        var x = Matrix<double>.Build.DenseOfArray(values);
        var mean = x.ColumnSums() / x.RowCount;
        var centred = Matrix<double>.Build.Dense(x.RowCount, x.ColumnCount, (i, j) => x[i, j] - mean[j]);
        var svd = centred.Svd(computeVectors: true);
        var scores = centred * svd.VT.Transpose().SubMatrix(0, x.ColumnCount, 0, 2);
        double total = svd.S.Sum(s => s * s);
        return (scores.ToArray(), [svd.S[0] * svd.S[0] / total, svd.S[1] * svd.S[1] / total]);
    }
}
