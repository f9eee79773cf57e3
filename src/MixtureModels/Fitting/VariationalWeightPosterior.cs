using MathNet.Numerics;

namespace MixtureModels.Fitting;

/// <summary>
/// The variational posterior of the mixing weights under a Dirichlet-distribution or Dirichlet-process (stick-breaking)
/// prior, as functions of the responsibility totals n_k = N_k + 10ε: its concentration, E[log π_k], E[π_k] and the
/// weight term of the lower bound (scikit-learn's <c>_estimate_weights</c>, <c>_estimate_log_weights</c>, <c>weights_</c>
/// and <c>_compute_lower_bound</c>, in the same order of operations).
/// </summary>
internal static class VariationalWeightPosterior
{
    /// <summary>
    /// The posterior concentration: α_k = α₀ + n_k (Dirichlet distribution, <paramref name="second"/> left untouched), or the
    /// Beta parameters a_k = 1 + n_k and b_k = γ + Σ_{j&gt;k} n_j (Dirichlet process).
    /// </summary>
    public static void Concentration(WeightConcentrationPriorType type, double prior, ReadOnlySpan<double> totals, Span<double> first, Span<double> second)
    {
        int k = totals.Length;
        if (type == WeightConcentrationPriorType.DirichletDistribution)
        {
            for (int j = 0; j < k; j++)
            {
                first[j] = prior + totals[j];
            }

            return;
        }

        double tail = 0;
        for (int j = k - 1; j >= 0; j--)
        {
            first[j] = 1.0 + totals[j];
            second[j] = prior + tail;
            tail += totals[j];
        }
    }

    /// <summary>E[log π_k]: ψ(α_k) − ψ(Σα), or ψ(a_k) − ψ(a_k + b_k) + Σ_{j&lt;k} (ψ(b_j) − ψ(a_j + b_j)).</summary>
    public static void ExpectedLogWeights(WeightConcentrationPriorType type, ReadOnlySpan<double> first, ReadOnlySpan<double> second, Span<double> destination)
    {
        int k = first.Length;
        if (type == WeightConcentrationPriorType.DirichletDistribution)
        {
            double total = 0;
            for (int j = 0; j < k; j++)
            {
                total += first[j];
            }

            double digammaTotal = SpecialFunctions.DiGamma(total);
            for (int j = 0; j < k; j++)
            {
                destination[j] = SpecialFunctions.DiGamma(first[j]) - digammaTotal;
            }

            return;
        }

        double cumulative = 0;
        for (int j = 0; j < k; j++)
        {
            double digammaSum = SpecialFunctions.DiGamma(first[j] + second[j]);
            destination[j] = SpecialFunctions.DiGamma(first[j]) - digammaSum + cumulative;
            cumulative += SpecialFunctions.DiGamma(second[j]) - digammaSum;
        }
    }

    /// <summary>E[π_k]: α_k / Σα, or a_k/(a_k + b_k) Π_{j&lt;k} b_j/(a_j + b_j), normalised to sum to 1 (scikit-learn's <c>weights_</c>).</summary>
    public static void ExpectedWeights(WeightConcentrationPriorType type, ReadOnlySpan<double> first, ReadOnlySpan<double> second, Span<double> destination)
    {
        int k = first.Length;
        double total = 0;
        if (type == WeightConcentrationPriorType.DirichletDistribution)
        {
            for (int j = 0; j < k; j++)
            {
                total += first[j];
            }

            for (int j = 0; j < k; j++)
            {
                destination[j] = first[j] / total;
            }

            return;
        }

        double product = 1;
        for (int j = 0; j < k; j++)
        {
            double sum = first[j] + second[j];
            destination[j] = first[j] / sum * product;
            product *= second[j] / sum;
        }

        for (int j = 0; j < k; j++)
        {
            total += destination[j];
        }

        for (int j = 0; j < k; j++)
        {
            destination[j] /= total;
        }
    }

    /// <summary>
    /// The weights' term of scikit-learn's lower bound, −log_norm_weight: Σ_k log B(a_k, b_k) for the Dirichlet process,
    /// Σ_k log Γ(α_k) − log Γ(Σα) for the Dirichlet distribution.
    /// </summary>
    public static double BoundTerm(WeightConcentrationPriorType type, ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        int k = first.Length;
        if (type == WeightConcentrationPriorType.DirichletDistribution)
        {
            double total = 0, sumLogGamma = 0;
            for (int j = 0; j < k; j++)
            {
                total += first[j];
                sumLogGamma += SpecialFunctions.GammaLn(first[j]);
            }

            return -(SpecialFunctions.GammaLn(total) - sumLogGamma);
        }

        double sumLogBeta = 0;
        for (int j = 0; j < k; j++)
        {
            sumLogBeta += SpecialFunctions.BetaLn(first[j], second[j]);
        }

        return sumLogBeta;
    }
}
