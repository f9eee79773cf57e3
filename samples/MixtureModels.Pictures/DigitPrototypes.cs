using ScottPlot;

namespace MixtureModels.Pictures;

/// <summary>A Bernoulli mixture of binarised digits: each component's pixel probabilities drawn as an image.</summary>
internal static class DigitPrototypes
{
    /// <summary>
    /// One 8 × 8 image per component, φ_kd = p(pixel d is on | component k) from white (0) to black (1), captioned
    /// with its weight and the digit most of its images show (the labels are used for the caption only).
    /// </summary>
    public static Plot Draw(BernoulliMixtureModel model, DigitsData digits)
    {
        const int columns = 5;
        const double cell = DigitsData.Side;
        const double gap = 2.5;
        const double rowPitch = cell + 3.5;   // room for a two-line caption
        var probabilities = model.GetProbabilities();
        int k = model.ComponentCount;
        int rows = (k + columns - 1) / columns;
        int[] labels = [.. model.TrainingLabels];
        var order = Enumerable.Range(0, k).OrderBy(c => MajorityDigit(labels, digits.Digits, c).Digit).ThenByDescending(c => model.Weights[c]).ToArray();

        var plot = PlotStyle.NewPlot();
        for (int slot = 0; slot < k; slot++)
        {
            int c = order[slot];
            var image = new double[DigitsData.Side, DigitsData.Side];
            for (int i = 0; i < DigitsData.Side; i++)
            {
                for (int j = 0; j < DigitsData.Side; j++)
                {
                    image[i, j] = probabilities[c, (i * DigitsData.Side) + j];
                }
            }

            double left = slot % columns * (cell + gap);
            double top = -(slot / columns) * rowPitch;
            var heatmap = plot.Add.Heatmap(image);
            heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
            heatmap.ManualRange = new ScottPlot.Range(0, 1);
            heatmap.Rectangle = new CoordinateRect(left, left + cell, top - cell, top);   // the outer edges of the pixels

            var frame = plot.Add.Rectangle(left, left + cell, top - cell, top);
            frame.FillStyle.Color = Colors.Transparent;
            frame.LineStyle.Color = Colors.Gray;
            frame.LineStyle.Width = 1;

            var (digit, share) = MajorityDigit(labels, digits.Digits, c);
            var caption = plot.Add.Text($"π = {model.Weights[c]:F3}\nmostly {digit} ({share:P0})", left + (cell / 2), top - cell - 0.3);
            caption.Alignment = Alignment.UpperCenter;
            caption.LabelFontSize = 13;
        }

        plot.Layout.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(-gap / 2, (columns * (cell + gap)) - (gap / 2), -(rows * rowPitch) + 0.3, 2.2);
        var title = plot.Add.Text(
            $"Bernoulli mixture, K = {k}, of {digits.Digits.Length} binarised 8 × 8 digits: p(pixel on | component)",
            ((columns * (cell + gap)) - gap) / 2,
            2.1);
        title.Alignment = Alignment.UpperCenter;
        title.LabelFontSize = 16;
        return plot;
    }

    /// <summary>The digit shown by most images whose most likely component is <paramref name="component"/>, and its share.</summary>
    private static (int Digit, double Share) MajorityDigit(int[] labels, int[] digits, int component)
    {
        var members = Enumerable.Range(0, labels.Length).Where(i => labels[i] == component).Select(i => digits[i]).ToArray();
        if (members.Length == 0)
        {
            return (-1, 0);
        }

        var top = members.GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
        return (top.Key, (double)top.Count() / members.Length);
    }
}
