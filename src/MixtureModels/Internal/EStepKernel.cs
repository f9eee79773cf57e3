using MixtureModels.Components;

namespace MixtureModels.Internal;

/// <summary>The E-step on one block of rows, shared by the EM engine and the fitted model's queries.</summary>
internal static class EStepKernel
{
    /// <summary>
    /// Writes log π_k + log p(xₙ | θ_k) into logProb[k·stride + n] for the <paramref name="count"/> rows of the block.
    /// </summary>
    public static void JointLogDensity<TComponent>(IReadOnlyList<TComponent> components, ReadOnlySpan<double> logWeights, ReadOnlySpan<double> rows, int count, Span<double> logProb, int stride)
        where TComponent : IComponent
    {
        for (int k = 0; k < components.Count; k++)
        {
            var destination = logProb.Slice(k * stride, count);
            components[k].LogDensity(rows, destination);
            double logWeight = logWeights[k];
            for (int n = 0; n < count; n++)
            {
                destination[n] += logWeight;
            }
        }
    }

    /// <summary>log Σ_k exp(logProb[k·stride + n]) for row n, and the index of the largest term (the first on ties).</summary>
    public static double RowLogSumExp(ReadOnlySpan<double> logProb, int n, int componentCount, int stride, out int best)
    {
        double max = double.NegativeInfinity;
        best = 0;
        for (int k = 0; k < componentCount; k++)
        {
            double v = logProb[(k * stride) + n];
            if (v > max)
            {
                max = v;
                best = k;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double total = 0;
        for (int k = 0; k < componentCount; k++)
        {
            total += Math.Exp(logProb[(k * stride) + n] - max);
        }

        return max + Math.Log(total);
    }

    /// <summary>
    /// Turns row n of the joint log-densities into responsibilities in place, p_k = exp(l_k − max) / Σ_j exp(l_j − max),
    /// and returns log Σ_k exp(l_k). Normalising against the row maximum keeps every row finite and summing to 1 even
    /// when the log-densities are huge and negative; a row where every term is −∞ gets uniform responsibilities.
    /// </summary>
    public static double NormalizeRow(Span<double> logProb, int n, int componentCount, int stride)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < componentCount; k++)
        {
            max = Math.Max(max, logProb[(k * stride) + n]);
        }

        if (double.IsNegativeInfinity(max))
        {
            for (int k = 0; k < componentCount; k++)
            {
                logProb[(k * stride) + n] = 1.0 / componentCount;
            }

            return max;
        }

        double total = 0;
        for (int k = 0; k < componentCount; k++)
        {
            double p = Math.Exp(logProb[(k * stride) + n] - max);
            logProb[(k * stride) + n] = p;
            total += p;
        }

        for (int k = 0; k < componentCount; k++)
        {
            logProb[(k * stride) + n] /= total;
        }

        return max + Math.Log(total);
    }

    /// <summary>log of every weight (−∞ for a zero weight).</summary>
    public static double[] LogWeights(IReadOnlyList<double> weights)
    {
        var result = new double[weights.Count];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = Math.Log(weights[k]);
        }

        return result;
    }
}
