using MixtureModels.Internal;

namespace MixtureModels.Components.Gaussian;

/// <summary>The density and sampling kernels shared by diagonal and spherical Gaussians (a spherical one has equal precisions).</summary>
internal static class DiagonalKernel
{
    /// <summary>destination[n] = constant − ½ Σ_d precisions[d]·(rows[n·D + d] − mean[d])².</summary>
    public static void LogDensity(ReadOnlySpan<double> rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> precisions, double constant, Span<double> destination)
    {
        int d = mean.Length;
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            double quad = 0;
            for (int i = 0; i < d; i++)
            {
                double diff = row[i] - mean[i];
                quad += diff * diff * precisions[i];
            }

            destination[n] = constant - (0.5 * quad);
        }
    }

    /// <summary>destination[d] = mean[d] + z_d / √precisions[d] with z_d ~ N(0, 1).</summary>
    public static void Sample(Random random, ReadOnlySpan<double> mean, ReadOnlySpan<double> precisions, Span<double> destination)
    {
        int d = mean.Length;
        StandardNormal.Fill(random, destination[..d]);
        for (int i = 0; i < d; i++)
        {
            destination[i] = mean[i] + (destination[i] / Math.Sqrt(precisions[i]));
        }
    }
}
