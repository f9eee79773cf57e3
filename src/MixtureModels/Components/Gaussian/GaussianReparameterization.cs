using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Shared pieces of the Gaussian families' unconstrained parameterisations (see
/// <see cref="IReparameterization{TComponent, TStatistics}"/>): packing of the precision Cholesky factor and the
/// gradients of Σₙ cₙ log N(xₙ | μ, Σ) from statistics accumulated about an arbitrary reference point.
/// </summary>
/// <remarks>
/// The gradients are those of the plain weighted log-likelihood: the covariance regularisation (reg_covar) of the
/// EM M-step does not enter them. The optional <see cref="CovariancePrior"/> adds its own term
/// (<see cref="IReparameterization{TComponent, TStatistics}.AddLogPrior"/>).
/// </remarks>
internal static class GaussianReparameterization
{
    /// <summary>A usable standard deviation √v for standardising, or 1 when v is not positive and finite.</summary>
    public static double Scale(double variance)
    {
        double s = Math.Sqrt(variance);
        return s > 0 && double.IsFinite(s) && double.IsFinite(1 / s) ? s : 1;
    }

    /// <summary>The standard deviations of a D × D covariance's diagonal, by <see cref="Scale"/>.</summary>
    public static double[] DiagonalScales(ReadOnlySpan<double> covariance, int d)
    {
        var scales = new double[d];
        for (int i = 0; i < d; i++)
        {
            scales[i] = Scale(covariance[(i * d) + i]);
        }

        return scales;
    }

    /// <summary>
    /// Standardising factors of one mean (s_j per column) and, unless <paramref name="triangle"/> is empty, of a packed
    /// precision Cholesky factor: with Σ = S·Σ'·S (S = diag(s)), P = S⁻¹·P', so log Pᵢᵢ = log P'ᵢᵢ − log sᵢ (factor 1)
    /// and Pᵢⱼ = P'ᵢⱼ / sᵢ (factor 1/sᵢ).
    /// </summary>
    public static void StandardizingScales(ReadOnlySpan<double> scales, Span<double> mean, Span<double> triangle)
    {
        int d = scales.Length;
        scales.CopyTo(mean);
        if (triangle.IsEmpty)
        {
            return;
        }

        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                triangle[index++] = j == i ? 1 : 1 / scales[i];
            }
        }
    }

    /// <summary>
    /// Whether the covariance (P·Pᵀ)⁻¹ of a precision Cholesky factor P (upper, D × D row-major), standardised as
    /// S⁻¹ΣS⁻¹, has an eigenvalue below <paramref name="floor"/>: true unless I − floor·(SP)(SP)ᵀ is positive definite.
    /// </summary>
    public static bool PrecisionCholeskyCollapsed(ReadOnlySpan<double> p, ReadOnlySpan<double> scales, double floor)
    {
        int d = scales.Length;
        var sp = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                sp[(i * d) + j] = scales[i] * p[(i * d) + j];
            }
        }

        var m = new double[d * d];
        Cholesky.MultiplyByTranspose(sp, d, m);
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                m[(i * d) + j] = (i == j ? 1 : 0) - (floor * m[(i * d) + j]);
            }
        }

        return !Cholesky.TryFactor(m, d, new double[d * d]);
    }

    /// <summary>Whether every entry of a precision Cholesky factor is finite and so is Σ Pᵢⱼ² (so that Λ = PPᵀ is finite).</summary>
    public static bool PrecisionFinite(ReadOnlySpan<double> p)
    {
        double squares = 0;
        foreach (double v in p)
        {
            squares += v * v;
        }

        return double.IsFinite(squares);
    }

    /// <summary>Whether a variance is positive, finite and has a finite precision 1/σ² (not subnormal).</summary>
    public static bool VarianceUsable(double variance) => variance > 0 && double.IsFinite(variance) && double.IsFinite(1 / variance);

    /// <summary>D(D+1)/2, the number of free entries of an upper-triangular D × D factor.</summary>
    public static int TriangleLength(int d) => d * (d + 1) / 2;

    /// <summary>Whether every value is finite.</summary>
    public static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the upper triangle of P row by row, with log Pᵢᵢ in place of each diagonal entry.</summary>
    public static void PackPrecisionCholesky(ReadOnlySpan<double> p, int d, Span<double> destination)
    {
        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = p[(i * d) + j];
                destination[index++] = j == i ? Math.Log(v) : v;
            }
        }
    }

    /// <summary>Inverse of <see cref="PackPrecisionCholesky"/>: a new D × D upper-triangular P; null if exp overflows or underflows to 0.</summary>
    public static double[]? UnpackPrecisionCholesky(ReadOnlySpan<double> values, int d)
    {
        var p = new double[d * d];
        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = values[index++];
                if (j == i)
                {
                    v = Math.Exp(v);
                    if (!(v > 0) || !double.IsFinite(v))
                    {
                        return null;
                    }
                }

                p[(i * d) + j] = v;
            }
        }

        return p;
    }

    /// <summary>
    /// For full-scatter statistics (W, a, s = Σc(x − a), S = Σc(x − a)(x − a)ᵀ upper) and a component N(μ, (PPᵀ)⁻¹):
    /// writes ∂F/∂μ = Λ s_μ into <paramref name="meanGradient"/> and adds ∂F/∂P = W·diag(1/Pᵢᵢ) − S_μ P (upper
    /// triangle, D × D row-major) to <paramref name="precisionCholeskyGradient"/>, with s_μ and S_μ the moments about μ.
    /// </summary>
    public static void FullGradient(FullScatterStatistics statistics, ReadOnlySpan<double> mean, ReadOnlySpan<double> p, Span<double> meanGradient, Span<double> precisionCholeskyGradient)
    {
        int d = mean.Length;
        double w = statistics.TotalWeight;
        var reference = statistics.Reference;
        var s = statistics.WeightedSum;
        var scatter = statistics.Scatter;

        // δ = μ − a; s_μ = s − Wδ; S_μ = S − sδᵀ − δsᵀ + Wδδᵀ (full symmetric).
        var delta = new double[d];
        var sm = new double[d];
        for (int i = 0; i < d; i++)
        {
            delta[i] = reference.IsEmpty ? 0 : mean[i] - reference[i];
            sm[i] = s[i] - (w * delta[i]);
        }

        var sc = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = scatter[(i * d) + j] - (s[i] * delta[j]) - (delta[i] * s[j]) + (w * delta[i] * delta[j]);
                sc[(i * d) + j] = v;
                sc[(j * d) + i] = v;
            }
        }

        // ∂F/∂μ = P (Pᵀ s_μ).
        var t = new double[d];
        for (int j = 0; j < d; j++)
        {
            double v = 0;
            for (int i = 0; i <= j; i++)
            {
                v += p[(i * d) + j] * sm[i];
            }

            t[j] = v;
        }

        for (int i = 0; i < d; i++)
        {
            double v = 0;
            for (int j = i; j < d; j++)
            {
                v += p[(i * d) + j] * t[j];
            }

            meanGradient[i] = v;
        }

        // ∂F/∂P_ij = W·[i = j]/Pᵢᵢ − (S_μ P)_ij, j ≥ i; P upper so (S_μ P)_ij = Σ_{k ≤ j} S_μ,ik P_kj.
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = 0;
                for (int k = 0; k <= j; k++)
                {
                    v += sc[(i * d) + k] * p[(k * d) + j];
                }

                if (j == i)
                {
                    v -= w / p[(i * d) + i];
                }

                precisionCholeskyGradient[(i * d) + j] -= v;
            }
        }
    }

    /// <summary>Packs a D × D gradient with respect to P like <see cref="PackPrecisionCholesky"/>: diagonal entries times Pᵢᵢ (chain rule for log Pᵢᵢ).</summary>
    public static void PackPrecisionCholeskyGradient(ReadOnlySpan<double> gradient, ReadOnlySpan<double> p, int d, Span<double> destination)
    {
        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double g = gradient[(i * d) + j];
                destination[index++] = j == i ? g * p[(i * d) + i] : g;
            }
        }
    }

    /// <summary>
    /// For diagonal-scatter statistics and a component with mean μ and variances σ²_d: writes ∂F/∂μ_d = s_μ,d/σ²_d and
    /// the per-column ∂F/∂(log σ²_d) = −W_d/2 + S_μ,dd/(2σ²_d), W_d being the weight of the rows where column d was
    /// observed (the marginal likelihood of the observed entries when some were missing).
    /// </summary>
    public static void DiagonalGradient(DiagonalScatterStatistics statistics, ReadOnlySpan<double> mean, ReadOnlySpan<double> variances, Span<double> meanGradient, Span<double> logVarianceGradient)
    {
        int d = mean.Length;
        var reference = statistics.Reference;
        var s = statistics.WeightedSum;
        var scatter = statistics.Scatter;
        for (int i = 0; i < d; i++)
        {
            double w = statistics.ObservedWeight(i);
            double delta = reference.IsEmpty ? 0 : mean[i] - reference[i];
            double sm = s[i] - (w * delta);
            double sc = scatter[i] - (2 * s[i] * delta) + (w * delta * delta);
            double variance = variances.Length == 1 ? variances[0] : variances[i];
            meanGradient[i] = sm / variance;
            logVarianceGradient[i] = (-0.5 * w) + (0.5 * sc / variance);
        }
    }
}
