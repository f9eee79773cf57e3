using MixtureModels.CustomComponent.VonMises;

namespace MixtureModels.ConsumerTests;

/// <summary>
/// EM for a von Mises mixture in plain loops, independent of the library's engine: the E-step evaluates
/// log π_k + κ_k cos(x − μ_k) − log(2π I₀(κ_k)) directly and normalises with log-sum-exp, the M-step sums
/// w·r, w·r·cos x, w·r·sin x over all rows at once. Only the Bessel functions and the κ = A⁻¹(R̄) solve are shared
/// with the family (both are tested on their own against numerical integrals).
/// </summary>
internal static class BruteForceVonMisesEm
{
    /// <summary>10ε with ε = 2⁻⁵² the machine epsilon: what the maximum-likelihood weight step adds to every N_k.</summary>
    private const double EmptyWeight = 10 * 2.220446049250313e-16;

    public sealed record Result(double[] Weights, double[] Means, double[] Concentrations, List<double> LowerBounds);

    public static Result Run(double[] x, double[]? sampleWeights, double[] weights, double[] means, double[] kappas, int iterations, VonMisesFamily family)
    {
        int n = x.Length;
        int k = weights.Length;
        double[] w = sampleWeights ?? [.. Enumerable.Repeat(1.0, n)];
        double totalWeight = w.Sum();
        var pi = (double[])weights.Clone();
        var mu = (double[])means.Clone();
        var kappa = (double[])kappas.Clone();
        var history = new List<double>();
        var logp = new double[k];
        for (int it = 0; it < iterations; it++)
        {
            var nk = new double[k];
            var ck = new double[k];
            var sk = new double[k];
            double ll = 0;
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int j = 0; j < k; j++)
                {
                    logp[j] = Math.Log(pi[j]) + (kappa[j] * Math.Cos(x[i] - mu[j])) - Math.Log(2 * Math.PI) - BesselI.LogI0(kappa[j]);
                    max = Math.Max(max, logp[j]);
                }

                double sum = 0;
                for (int j = 0; j < k; j++)
                {
                    sum += Math.Exp(logp[j] - max);
                }

                ll += w[i] * (max + Math.Log(sum));
                for (int j = 0; j < k; j++)
                {
                    double r = Math.Exp(logp[j] - max) / sum;
                    nk[j] += w[i] * r;
                    ck[j] += w[i] * r * Math.Cos(x[i]);
                    sk[j] += w[i] * r * Math.Sin(x[i]);
                }
            }

            history.Add(ll / totalWeight);

            // Maximum-likelihood weights as documented by MaximumLikelihoodWeights: (N_k + 10ε) / Σ (N_j + 10ε).
            double total = nk.Sum(v => v + EmptyWeight);
            for (int j = 0; j < k; j++)
            {
                pi[j] = (nk[j] + EmptyWeight) / total;
                mu[j] = Math.Atan2(sk[j], ck[j]);
                kappa[j] = family.Concentration(Math.Sqrt((ck[j] * ck[j]) + (sk[j] * sk[j])) / nk[j]);
            }
        }

        return new Result(pi, mu, kappa, history);
    }
}
