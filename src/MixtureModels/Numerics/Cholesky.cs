namespace MixtureModels.Numerics;

/// <summary>Cholesky helpers on small dense D × D matrices stored row-major in spans.</summary>
internal static class Cholesky
{
    /// <summary>
    /// Factors a symmetric matrix A = L·Lᵀ (L lower triangular, written into <paramref name="lower"/>, upper part zeroed).
    /// Reads only the lower triangle of <paramref name="matrix"/>. Returns false when A is not positive definite.
    /// </summary>
    public static bool TryFactor(ReadOnlySpan<double> matrix, int d, Span<double> lower)
    {
        lower.Clear();
        for (int j = 0; j < d; j++)
        {
            double sum = matrix[(j * d) + j];
            var lj = lower.Slice(j * d, j);
            for (int k = 0; k < j; k++)
            {
                sum -= lj[k] * lj[k];
            }

            if (!(sum > 0) || !double.IsFinite(sum))
            {
                return false;
            }

            double diag = Math.Sqrt(sum);
            lower[(j * d) + j] = diag;
            for (int i = j + 1; i < d; i++)
            {
                double s = matrix[(i * d) + j];
                var li = lower.Slice(i * d, j);
                for (int k = 0; k < j; k++)
                {
                    s -= li[k] * lj[k];
                }

                lower[(i * d) + j] = s / diag;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes P = L⁻ᵀ (upper triangular) into <paramref name="upper"/>, so that P·Pᵀ = (L·Lᵀ)⁻¹.
    /// This is scikit-learn's precision Cholesky factor.
    /// </summary>
    public static void InverseTranspose(ReadOnlySpan<double> lower, int d, Span<double> upper)
    {
        upper.Clear();
        // Solve L·X = I column by column; X = L⁻¹ is lower triangular, P = Xᵀ.
        for (int c = 0; c < d; c++)
        {
            for (int i = c; i < d; i++)
            {
                double s = i == c ? 1.0 : 0.0;
                for (int k = c; k < i; k++)
                {
                    s -= lower[(i * d) + k] * upper[(c * d) + k];
                }

                upper[(c * d) + i] = s / lower[(i * d) + i];
            }
        }
    }

    /// <summary>Writes A = F·Fᵀ for a square factor F (row-major).</summary>
    public static void MultiplyByTranspose(ReadOnlySpan<double> factor, int d, Span<double> product)
    {
        for (int i = 0; i < d; i++)
        {
            var fi = factor.Slice(i * d, d);
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                var fj = factor.Slice(j * d, d);
                for (int k = 0; k < d; k++)
                {
                    s += fi[k] * fj[k];
                }

                product[(i * d) + j] = s;
                product[(j * d) + i] = s;
            }
        }
    }
}
