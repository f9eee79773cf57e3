namespace MixtureModels.Numerics;

/// <summary>softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x), shifted by the maximum so that nothing overflows.</summary>
internal static class Softmax
{
    /// <summary>Writes softmax(<paramref name="logits"/>) into <paramref name="destination"/>; the logits must be finite.</summary>
    public static void Compute(ReadOnlySpan<double> logits, Span<double> destination)
    {
        double max = double.NegativeInfinity;
        foreach (double v in logits)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            destination[i] = Math.Exp(logits[i] - max);
            sum += destination[i]; // at least 1: the largest logit contributes e⁰
        }

        for (int i = 0; i < logits.Length; i++)
        {
            destination[i] /= sum;
        }
    }
}
