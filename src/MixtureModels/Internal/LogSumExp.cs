namespace MixtureModels.Internal;

/// <summary>Numerically stable log Σ exp.</summary>
internal static class LogSumExp
{
    /// <summary>log Σ_i exp(values[i]), computed as max + log Σ exp(values[i] − max).</summary>
    public static double Compute(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
