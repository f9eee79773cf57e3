using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Numerics;

/// <summary>
/// Cholesky helpers on dense D × D matrices stored row-major in spans. Up to <see cref="BlockedFrom"/> − 1 rows the
/// textbook loops run (their summation order is part of the library's reproducible results); from
/// <see cref="BlockedFrom"/> on, blocked algorithms whose inner products run on 256-bit vectors over panels of
/// <see cref="Panel"/> columns, so that a D = 2000 factorisation is limited by arithmetic rather than memory.
/// </summary>
internal static class Cholesky
{
    /// <summary>The dimension from which the blocked, vectorised algorithms are used.</summary>
    internal const int BlockedFrom = 65;

    /// <summary>Columns per panel of the blocked factorisation, and right-hand sides per block of the blocked inverse.</summary>
    private const int Panel = 64;

    /// <summary>
    /// Factors a symmetric matrix A = L·Lᵀ (L lower triangular, written into <paramref name="lower"/>, upper part zeroed).
    /// Reads only the lower triangle of <paramref name="matrix"/>. Returns false when A is not positive definite.
    /// </summary>
    public static bool TryFactor(ReadOnlySpan<double> matrix, int d, Span<double> lower) =>
        d >= BlockedFrom && Vector256.IsHardwareAccelerated ? TryFactorBlocked(matrix, d, lower) : TryFactorUnblocked(matrix, d, lower);

    /// <summary>
    /// Writes P = L⁻ᵀ (upper triangular) into <paramref name="upper"/>, so that P·Pᵀ = (L·Lᵀ)⁻¹.
    /// This is scikit-learn's precision Cholesky factor.
    /// </summary>
    public static void InverseTranspose(ReadOnlySpan<double> lower, int d, Span<double> upper)
    {
        if (d >= BlockedFrom && Vector256.IsHardwareAccelerated)
        {
            InverseTransposeBlocked(lower, d, upper);
        }
        else
        {
            InverseTransposeUnblocked(lower, d, upper);
        }
    }

    /// <summary>The textbook left-looking factorisation (the reference the blocked one is tested against): one panel of all D columns.</summary>
    internal static bool TryFactorUnblocked(ReadOnlySpan<double> matrix, int d, Span<double> lower)
    {
        CopyLowerTriangle(matrix, d, lower);
        return FactorPanel(lower, d, 0, d);
    }

    /// <summary>The textbook column-by-column forward substitution for P = L⁻ᵀ (the reference the blocked one is tested against).</summary>
    internal static void InverseTransposeUnblocked(ReadOnlySpan<double> lower, int d, Span<double> upper)
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

    /// <summary>
    /// Right-looking blocked factorisation: for each panel of <see cref="Panel"/> columns, the panel is factored with
    /// short scalar sums, then the trailing lower triangle is updated by A_ij −= L_i,panel · L_j,panel, four rows i at a
    /// time against one row j so that every load of row j's panel serves four dot products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryFactorBlocked(ReadOnlySpan<double> matrix, int d, Span<double> lower)
    {
        CopyLowerTriangle(matrix, d, lower);
        for (int p = 0; p < d; p += Panel)
        {
            int pe = Math.Min(p + Panel, d);
            if (!FactorPanel(lower, d, p, pe))
            {
                return false;
            }

            UpdateTrailing(lower, d, p, pe);
        }

        return true;
    }

    /// <summary>Copies the lower triangle of <paramref name="matrix"/> into <paramref name="lower"/> and zeroes the rest.</summary>
    private static void CopyLowerTriangle(ReadOnlySpan<double> matrix, int d, Span<double> lower)
    {
        for (int i = 0; i < d; i++)
        {
            matrix.Slice(i * d, i + 1).CopyTo(lower.Slice(i * d, i + 1));
            lower.Slice((i * d) + i + 1, d - i - 1).Clear();
        }
    }

    /// <summary>
    /// Factors columns [<paramref name="p"/>, <paramref name="pe"/>) of <paramref name="lower"/> in place, whose entries
    /// already hold A minus the contributions of the columns before <paramref name="p"/>; false when a pivot is not positive.
    /// </summary>
    private static bool FactorPanel(Span<double> lower, int d, int p, int pe)
    {
        for (int j = p; j < pe; j++)
        {
            var lj = lower.Slice((j * d) + p, j - p);
            double sum = lower[(j * d) + j];
            for (int k = 0; k < lj.Length; k++)
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
                var li = lower.Slice((i * d) + p, j - p);
                double s = lower[(i * d) + j];
                for (int k = 0; k < li.Length; k++)
                {
                    s -= li[k] * lj[k];
                }

                lower[(i * d) + j] = s / diag;
            }
        }

        return true;
    }

    /// <summary>A_ij −= Σ_{k ∈ [p, pe)} L_ik·L_jk for pe ≤ j ≤ i &lt; d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateTrailing(Span<double> a, int d, int p, int pe)
    {
        int width = pe - p;
        ref double origin = ref MemoryMarshal.GetReference(a);
        int i = pe;
        for (; i + 4 <= d; i += 4)
        {
            ref double r0 = ref Unsafe.Add(ref origin, (i * d) + p);
            ref double r1 = ref Unsafe.Add(ref r0, d);
            ref double r2 = ref Unsafe.Add(ref r1, d);
            ref double r3 = ref Unsafe.Add(ref r2, d);
            for (int j = pe; j <= i + 3; j++)
            {
                ref double rj = ref Unsafe.Add(ref origin, (j * d) + p);
                Dot4(ref rj, ref r0, ref r1, ref r2, ref r3, width, out double s0, out double s1, out double s2, out double s3);
                if (j <= i)
                {
                    Unsafe.Add(ref origin, (i * d) + j) -= s0;
                }

                if (j <= i + 1)
                {
                    Unsafe.Add(ref origin, ((i + 1) * d) + j) -= s1;
                }

                if (j <= i + 2)
                {
                    Unsafe.Add(ref origin, ((i + 2) * d) + j) -= s2;
                }

                Unsafe.Add(ref origin, ((i + 3) * d) + j) -= s3;
            }
        }

        for (; i < d; i++)
        {
            ref double ri = ref Unsafe.Add(ref origin, (i * d) + p);
            for (int j = pe; j <= i; j++)
            {
                Unsafe.Add(ref origin, (i * d) + j) -= Dot(ref ri, ref Unsafe.Add(ref origin, (j * d) + p), width);
            }
        }
    }

    /// <summary>
    /// Blocked forward substitution for X = L⁻¹, written transposed (P = Xᵀ, row c of P is column c of X): a block of
    /// <see cref="Panel"/> right-hand sides e_c is solved together, so that each row of L is read once per block. Column c
    /// of X is zero above row c, so every dot product can start at the block's first column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InverseTransposeBlocked(ReadOnlySpan<double> lower, int d, Span<double> upper)
    {
        upper.Clear();
        ref double l = ref MemoryMarshal.GetReference(lower);
        ref double u = ref MemoryMarshal.GetReference(upper);
        for (int c0 = 0; c0 < d; c0 += Panel)
        {
            int ce = Math.Min(c0 + Panel, d);
            for (int i = c0; i < d; i++)
            {
                ref double li = ref Unsafe.Add(ref l, (i * d) + c0);
                double inverseDiagonal = 1.0 / Unsafe.Add(ref l, (i * d) + i);
                // x_c[i] = (δ_ic − Σ_{k ∈ [c0, i)} L_ik·x_c[k]) / L_ii, x_c[k] = 0 for k < c; the diagonal entry is 1 / L_ii.
                int below = Math.Min(i, ce); // the columns c < i of this block
                double diagonal = Unsafe.Add(ref l, (i * d) + i);
                int c = c0;
                for (; c + 4 <= below; c += 4)
                {
                    ref double u0 = ref Unsafe.Add(ref u, (c * d) + c0);
                    Dot4(ref li, ref u0, ref Unsafe.Add(ref u0, d), ref Unsafe.Add(ref u0, 2 * d), ref Unsafe.Add(ref u0, 3 * d), i - c0, out double s0, out double s1, out double s2, out double s3);
                    Unsafe.Add(ref u, (c * d) + i) = -s0 / diagonal;
                    Unsafe.Add(ref u, ((c + 1) * d) + i) = -s1 / diagonal;
                    Unsafe.Add(ref u, ((c + 2) * d) + i) = -s2 / diagonal;
                    Unsafe.Add(ref u, ((c + 3) * d) + i) = -s3 / diagonal;
                }

                for (; c < below; c++)
                {
                    Unsafe.Add(ref u, (c * d) + i) = -Dot(ref li, ref Unsafe.Add(ref u, (c * d) + c0), i - c0) / diagonal;
                }

                if (i < ce)
                {
                    Unsafe.Add(ref u, (i * d) + i) = inverseDiagonal;
                }
            }
        }
    }

    /// <summary>Σ_k a_k·b_k over <paramref name="length"/> entries, four 256-bit accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Dot(ref double a, ref double b, int length)
    {
        var acc = Vector256<double>.Zero;
        int k = 0;
        for (; k + 4 <= length; k += 4)
        {
            acc = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref a, k)), Vector256.LoadUnsafe(ref Unsafe.Add(ref b, k)), acc);
        }

        double s = Vector256.Sum(acc);
        for (; k < length; k++)
        {
            s += Unsafe.Add(ref a, k) * Unsafe.Add(ref b, k);
        }

        return s;
    }

    /// <summary>The dot products of one row <paramref name="rj"/> with four rows, each over <paramref name="length"/> entries.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4(ref double rj, ref double r0, ref double r1, ref double r2, ref double r3, int length, out double s0, out double s1, out double s2, out double s3)
    {
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (; k + 4 <= length; k += 4)
        {
            var v = Vector256.LoadUnsafe(ref Unsafe.Add(ref rj, k));
            a0 = Simd.MulAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref r0, k)), a0);
            a1 = Simd.MulAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref r1, k)), a1);
            a2 = Simd.MulAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref r2, k)), a2);
            a3 = Simd.MulAdd(v, Vector256.LoadUnsafe(ref Unsafe.Add(ref r3, k)), a3);
        }

        s0 = Vector256.Sum(a0);
        s1 = Vector256.Sum(a1);
        s2 = Vector256.Sum(a2);
        s3 = Vector256.Sum(a3);
        for (; k < length; k++)
        {
            double v = Unsafe.Add(ref rj, k);
            s0 += v * Unsafe.Add(ref r0, k);
            s1 += v * Unsafe.Add(ref r1, k);
            s2 += v * Unsafe.Add(ref r2, k);
            s3 += v * Unsafe.Add(ref r3, k);
        }
    }
}
