using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Register-blocked kernels for full and tied covariance on blocks of rows: the E-step quadratic forms ‖(x − μ)ᵀP‖²
/// (a small GEMM with the upper-triangular precision Cholesky P) and the M-step scatter Σ wₙ(xₙ − a)(xₙ − a)ᵀ.
/// Centring happens in registers. Matrices have their row stride dp = D rounded up to a whole number of 4-double
/// vectors, zero-padded. The vector path uses 256-bit FMA; the scalar path computes the same sums in plain arithmetic.
/// </summary>
internal static class FullCovarianceKernel
{
    private const int Lanes = 4;
    private const int RowTile = 4;

    /// <summary>D rounded up to a multiple of the vector width.</summary>
    public static int PaddedDimension(int d) => (d + Lanes - 1) / Lanes * Lanes;

    /// <summary>
    /// destination[n·dp + i] = rows[n·d + i] − center[i] for n &lt; count and i &lt; d, and zero in the padding columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Centre(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> center, int dp, Span<double> destination)
    {
        int d = center.Length;
        for (int n = 0; n < count; n++)
        {
            var source = rows.Slice(n * d, d);
            var target = destination.Slice(n * dp, dp);
            for (int i = 0; i < d; i++)
            {
                target[i] = source[i] - center[i];
            }

            target[d..].Clear();
        }
    }

    /// <summary>
    /// q[n] = Σ_j (Σ_i (x[n, i] − μ_i)·P[i, j])² for the <paramref name="count"/> rows of a block (row-major, D
    /// columns). <paramref name="precisionCholesky"/> is dp × dp, upper triangular, zero-padded. Centring happens
    /// in registers, so the rows are read once and nothing is written but q.
    /// </summary>
    public static void QuadraticForms(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> mean, int dp, ReadOnlySpan<double> precisionCholesky, Span<double> q)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            QuadraticFormsVector(rows, count, mean, dp, precisionCholesky, q);
        }
        else
        {
            QuadraticFormsScalar(rows, count, mean, dp, precisionCholesky, q);
        }
    }

    /// <summary>
    /// With xcₙ = sourceₙ − center (rows of stride dp, center of length dp, both zero in the padding columns): adds
    /// Σₙ wₙ·xcₙ·xcₙᵀ to the upper triangle (and some entries below it) of <paramref name="scatter"/> (dp × dp) and
    /// Σₙ wₙ·xcₙ to <paramref name="sum"/> (dp). <paramref name="weighted"/> is scratch of count·dp.
    /// </summary>
    public static void Scatter(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weights, int count, int dp, Span<double> weighted, Span<double> scatter, Span<double> sum)
    {
        WeightRows(source, center, weights, count, dp, weighted, sum);
        ScatterRows(source, center, weighted, count, dp, scatter, 0, dp);
    }

    /// <summary>The first half of <see cref="Scatter"/>: writes wₙ·xcₙ into <paramref name="weighted"/> and adds Σₙ wₙ·xcₙ to <paramref name="sum"/>.</summary>
    public static void WeightRows(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weights, int count, int dp, Span<double> weighted, Span<double> sum)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            WeightRowsVector(source, center, weights, count, dp, weighted, sum);
        }
        else
        {
            WeightRowsScalar(source, center, weights, count, dp, weighted, sum);
        }
    }

    /// <summary>
    /// The second half of <see cref="Scatter"/> for the scatter rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>)
    /// only (both multiples of 4, or the end dp), written into <paramref name="scatter"/> from its row 0 on (stride dp):
    /// every entry is computed exactly as the whole-matrix call computes it, so a D × D scatter can be built a strip of
    /// rows at a time in O(D) scratch.
    /// </summary>
    public static void ScatterRows(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weighted, int count, int dp, Span<double> scatter, int rowStart, int rowEnd)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            ScatterVector(source, center, weighted, count, dp, scatter, rowStart, rowEnd);
        }
        else
        {
            ScatterScalar(source, center, weighted, count, dp, scatter, rowStart, rowEnd);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightRowsScalar(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weights, int count, int dp, Span<double> weighted, Span<double> sum)
    {
        for (int n = 0; n < count; n++)
        {
            double w = weights[n];
            for (int i = 0; i < dp; i++)
            {
                double v = w * (source[(n * dp) + i] - center[i]);
                weighted[(n * dp) + i] = v;
                sum[i] += v;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightRowsVector(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weights, int count, int dp, Span<double> weighted, Span<double> sum)
    {
        ref double x = ref MemoryMarshal.GetReference(source);
        ref double wx = ref MemoryMarshal.GetReference(weighted);
        ref double s = ref MemoryMarshal.GetReference(sum);
        for (int i = 0; i < dp; i += Lanes)
        {
            var total = Vector256.LoadUnsafe(ref Unsafe.Add(ref s, i));
            var c = Vector256.Create(center.Slice(i, Lanes));
            for (int n = 0; n < count; n++)
            {
                var v = Vector256.Create(weights[n]) * (Vector256.LoadUnsafe(ref Unsafe.Add(ref x, (n * dp) + i)) - c);
                v.StoreUnsafe(ref Unsafe.Add(ref wx, (n * dp) + i));
                total += v;
            }

            total.StoreUnsafe(ref Unsafe.Add(ref s, i));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void QuadraticFormsScalar(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> mean, int dp, ReadOnlySpan<double> p, Span<double> q)
    {
        int d = mean.Length;
        for (int n = 0; n < count; n++)
        {
            var x = rows.Slice(n * d, d);
            double total = 0;
            for (int j = 0; j < d; j++)
            {
                double y = 0;
                for (int i = 0; i <= j; i++)
                {
                    y += (x[i] - mean[i]) * p[(i * dp) + j];
                }

                total += y * y;
            }

            q[n] = total;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ScatterScalar(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weighted, int count, int dp, Span<double> scatter, int rowStart, int rowEnd)
    {
        for (int n = 0; n < count; n++)
        {
            var wx = weighted.Slice(n * dp, dp);
            for (int i = rowStart; i < rowEnd; i++)
            {
                double a = wx[i];
                var row = scatter.Slice((i - rowStart) * dp, dp);
                for (int j = i; j < dp; j++)
                {
                    row[j] += a * (source[(n * dp) + j] - center[j]);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void QuadraticFormsVector(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> mean, int dp, ReadOnlySpan<double> p, Span<double> q)
    {
        int d = mean.Length;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double pr = ref MemoryMarshal.GetReference(p);
        for (int r = 0; r < count; r += RowTile)
        {
            // A tile past the last row repeats the last row; its results are not stored.
            ref double x0 = ref Unsafe.Add(ref x, r * d);
            ref double x1 = ref Unsafe.Add(ref x, Math.Min(r + 1, count - 1) * d);
            ref double x2 = ref Unsafe.Add(ref x, Math.Min(r + 2, count - 1) * d);
            ref double x3 = ref Unsafe.Add(ref x, Math.Min(r + 3, count - 1) * d);
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            var s2 = Vector256<double>.Zero;
            var s3 = Vector256<double>.Zero;
            for (int j0 = 0; j0 < dp; j0 += 2 * Lanes)
            {
                bool two = j0 + Lanes < dp;
                var a00 = Vector256<double>.Zero;
                var a01 = Vector256<double>.Zero;
                var a10 = Vector256<double>.Zero;
                var a11 = Vector256<double>.Zero;
                var a20 = Vector256<double>.Zero;
                var a21 = Vector256<double>.Zero;
                var a30 = Vector256<double>.Zero;
                var a31 = Vector256<double>.Zero;
                // P is upper triangular: rows i ≥ j0 + 8 contribute nothing to these columns, and rows i ≥ j0 + 4
                // contribute only to the second vector.
                int iBoth = Math.Min(d, j0 + Lanes);
                int iMax = two ? Math.Min(d, j0 + (2 * Lanes)) : iBoth;
                for (int i = 0; i < iBoth; i++)
                {
                    ref double prow = ref Unsafe.Add(ref pr, (i * dp) + j0);
                    var p0 = Vector256.LoadUnsafe(ref prow);
                    var p1 = two ? Vector256.LoadUnsafe(ref Unsafe.Add(ref prow, Lanes)) : Vector256<double>.Zero;
                    double mi = Unsafe.Add(ref m, i);
                    var b0 = Vector256.Create(Unsafe.Add(ref x0, i) - mi);
                    var b1 = Vector256.Create(Unsafe.Add(ref x1, i) - mi);
                    var b2 = Vector256.Create(Unsafe.Add(ref x2, i) - mi);
                    var b3 = Vector256.Create(Unsafe.Add(ref x3, i) - mi);
                    a00 = Simd.MulAdd(b0, p0, a00);
                    a01 = Simd.MulAdd(b0, p1, a01);
                    a10 = Simd.MulAdd(b1, p0, a10);
                    a11 = Simd.MulAdd(b1, p1, a11);
                    a20 = Simd.MulAdd(b2, p0, a20);
                    a21 = Simd.MulAdd(b2, p1, a21);
                    a30 = Simd.MulAdd(b3, p0, a30);
                    a31 = Simd.MulAdd(b3, p1, a31);
                }

                for (int i = iBoth; i < iMax; i++)
                {
                    var p1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref pr, (i * dp) + j0 + Lanes));
                    double mi = Unsafe.Add(ref m, i);
                    a01 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref x0, i) - mi), p1, a01);
                    a11 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref x1, i) - mi), p1, a11);
                    a21 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref x2, i) - mi), p1, a21);
                    a31 = Simd.MulAdd(Vector256.Create(Unsafe.Add(ref x3, i) - mi), p1, a31);
                }

                s0 = Simd.MulAdd(a00, a00, Simd.MulAdd(a01, a01, s0));
                s1 = Simd.MulAdd(a10, a10, Simd.MulAdd(a11, a11, s1));
                s2 = Simd.MulAdd(a20, a20, Simd.MulAdd(a21, a21, s2));
                s3 = Simd.MulAdd(a30, a30, Simd.MulAdd(a31, a31, s3));
            }

            int remaining = count - r;
            q[r] = Vector256.Sum(s0);
            if (remaining > 1)
            {
                q[r + 1] = Vector256.Sum(s1);
            }

            if (remaining > 2)
            {
                q[r + 2] = Vector256.Sum(s2);
            }

            if (remaining > 3)
            {
                q[r + 3] = Vector256.Sum(s3);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ScatterVector(ReadOnlySpan<double> source, ReadOnlySpan<double> center, ReadOnlySpan<double> weighted, int count, int dp, Span<double> scatter, int rowStart, int rowEnd)
    {
        ref double x = ref MemoryMarshal.GetReference(source);
        ref double wx = ref MemoryMarshal.GetReference(weighted);
        ref double s = ref MemoryMarshal.GetReference(scatter);
        for (int i0 = rowStart; i0 < rowEnd; i0 += RowTile)
        {
            // Column chunks from the diagonal block on: only 4 × 4 blocks on or above the diagonal are computed.
            for (int j0 = i0; j0 < dp; j0 += 2 * Lanes)
            {
                if (j0 + Lanes < dp)
                {
                    ScatterTile<TwoVectors>(ref x, ref wx, ref s, center, count, dp, i0, j0, rowStart);
                }
                else
                {
                    ScatterTile<OneVector>(ref x, ref wx, ref s, center, count, dp, i0, j0, rowStart);
                }
            }
        }
    }

    /// <summary>One 4 × (4 or 8) tile of the scatter, streaming every row of the block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScatterTile<TWidth>(ref double x, ref double wx, ref double s, ReadOnlySpan<double> center, int count, int dp, int i0, int j0, int rowStart)
        where TWidth : struct, IColumnWidth
    {
        bool two = TWidth.Two;
        var c0 = Vector256.Create(center.Slice(j0, Lanes));
        var c1 = two ? Vector256.Create(center.Slice(j0 + Lanes, Lanes)) : Vector256<double>.Zero;
        var a00 = Vector256<double>.Zero;
        var a01 = Vector256<double>.Zero;
        var a10 = Vector256<double>.Zero;
        var a11 = Vector256<double>.Zero;
        var a20 = Vector256<double>.Zero;
        var a21 = Vector256<double>.Zero;
        var a30 = Vector256<double>.Zero;
        var a31 = Vector256<double>.Zero;
        ref double xrow = ref Unsafe.Add(ref x, j0);
        ref double wrow = ref Unsafe.Add(ref wx, i0);
        for (int n = 0; n < count; n++)
        {
            var x0 = Vector256.LoadUnsafe(ref xrow) - c0;
            var b0 = Vector256.Create(wrow);
            var b1 = Vector256.Create(Unsafe.Add(ref wrow, 1));
            var b2 = Vector256.Create(Unsafe.Add(ref wrow, 2));
            var b3 = Vector256.Create(Unsafe.Add(ref wrow, 3));
            a00 = Simd.MulAdd(b0, x0, a00);
            a10 = Simd.MulAdd(b1, x0, a10);
            a20 = Simd.MulAdd(b2, x0, a20);
            a30 = Simd.MulAdd(b3, x0, a30);
            if (two)
            {
                var x1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref xrow, Lanes)) - c1;
                a01 = Simd.MulAdd(b0, x1, a01);
                a11 = Simd.MulAdd(b1, x1, a11);
                a21 = Simd.MulAdd(b2, x1, a21);
                a31 = Simd.MulAdd(b3, x1, a31);
            }

            xrow = ref Unsafe.Add(ref xrow, dp);
            wrow = ref Unsafe.Add(ref wrow, dp);
        }

        int r = i0 - rowStart;
        AddTo(ref s, (r * dp) + j0, a00, a01, two);
        AddTo(ref s, ((r + 1) * dp) + j0, a10, a11, two);
        AddTo(ref s, ((r + 2) * dp) + j0, a20, a21, two);
        AddTo(ref s, ((r + 3) * dp) + j0, a30, a31, two);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref double destination, int offset, Vector256<double> first, Vector256<double> second, bool two)
    {
        ref double target = ref Unsafe.Add(ref destination, offset);
        (Vector256.LoadUnsafe(ref target) + first).StoreUnsafe(ref target);
        if (two)
        {
            ref double next = ref Unsafe.Add(ref target, Lanes);
            (Vector256.LoadUnsafe(ref next) + second).StoreUnsafe(ref next);
        }
    }


    /// <summary>Compile-time column width of a kernel tile: the JIT specialises the tile loop for each.</summary>
    private interface IColumnWidth
    {
        static abstract bool Two { get; }
    }

    /// <summary>A tile of two 4-double vectors (8 columns).</summary>
    private readonly struct TwoVectors : IColumnWidth
    {
        public static bool Two => true;
    }

    /// <summary>A tile of one 4-double vector (4 columns).</summary>
    private readonly struct OneVector : IColumnWidth
    {
        public static bool Two => false;
    }
}
