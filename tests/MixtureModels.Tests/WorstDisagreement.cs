using System.Globalization;
using MixtureModels.Components.Gaussian;

namespace MixtureModels.Tests;

/// <summary>
/// Records the largest relative disagreement |a − e| / max(|e|, scale) between a fit and an independent reference over
/// every value checked, and names it; shared by the parity tests against numpy references.
/// </summary>
internal sealed class WorstDisagreement
{
    public double Relative { get; private set; }

    public string Name { get; private set; } = "none";

    public void Check(double actual, double expected, string name, double scale = 0)
    {
        double relative = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), scale);
        if (!(relative <= Relative))
        {
            Relative = relative;
            Name = string.Create(CultureInfo.InvariantCulture, $"{name}: {actual:R} vs numpy {expected:R} (relative {relative:E2})");
        }
    }

    /// <summary>The iteration count, every lower bound and the final mean log-likelihood (from the report and recomputed).</summary>
    public void CheckFit(ProductMixtureModel model, double[,] x, int iterations, double[] lowerBounds, double meanLogLikelihood)
    {
        model.IterationCount.Should().Be(iterations);
        model.Report.LowerBoundHistory.Should().HaveCount(lowerBounds.Length);
        for (int i = 0; i < lowerBounds.Length; i++)
        {
            Check(model.Report.LowerBoundHistory[i], lowerBounds[i], $"lower bound {i}");
        }

        Check(model.Report.TrainingLogLikelihood, meanLogLikelihood, "final mean log-likelihood (report)");
        Check(model.MeanLogLikelihood(x), meanLogLikelihood, "final mean log-likelihood (model)");
    }

    /// <summary>The mean and covariance of a full Gaussian block; off-diagonal entries on the scale of the variances they couple.</summary>
    public void CheckFullGaussian(FullGaussian gaussian, double[] mean, double[][] covariance, int component)
    {
        var actual = gaussian.GetCovariance();
        for (int i = 0; i < mean.Length; i++)
        {
            Check(gaussian.Mean[i], mean[i], $"mean[{component}][{i}]");
            for (int j = 0; j < mean.Length; j++)
            {
                double scale = Math.Sqrt(covariance[i][i] * covariance[j][j]);
                Check(actual[i, j], covariance[i][j], $"covariance[{component}][{i}, {j}]", scale);
            }
        }
    }
}
