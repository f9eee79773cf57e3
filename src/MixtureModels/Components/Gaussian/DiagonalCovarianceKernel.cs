using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Gaussian;

/// <summary>
/// Element-wise kernels for diagonal and spherical covariance (a spherical Gaussian has equal precisions) on blocks of
/// rows: the E-step log-density and the M-step weighted first and second moments about a reference point.
/// The vector path uses 256-bit FMA over columns; the scalar path computes the same sums in plain arithmetic.
/// </summary>
internal static class DiagonalCovarianceKernel
{
    private const int Lanes = 4;

    /// <summary>destination[n] = constant − ½ Σ_d precisions[d]·(rows[n·D + d] − mean[d])².</summary>
    public static void LogDensity(ReadOnlySpan<double> rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> precisions, double constant, Span<double> destination)
    {
        if (Vector256.IsHardwareAccelerated && mean.Length >= Lanes)
        {
            LogDensityVector(rows, mean, precisions, constant, destination);
        }
        else
        {
            LogDensityScalar(rows, mean, precisions, constant, destination);
        }
    }

    /// <summary>sum[d] += Σₙ wₙ(xₙ_d − a_d) and scatter[d] += Σₙ wₙ(xₙ_d − a_d)² over the rows of a block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Moments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum, Span<double> scatter)
    {
        int d = reference.Length;
        int vectorColumns = Vector256.IsHardwareAccelerated ? d / Lanes * Lanes : 0;
        if (vectorColumns > 0)
        {
            MomentsVector(rows, weights, reference, sum, scatter, vectorColumns);
        }

        for (int j = vectorColumns; j < d; j++)
        {
            double a = reference[j], s1 = 0, s2 = 0;
            for (int n = 0; n < weights.Length; n++)
            {
                double diff = rows[(n * d) + j] - a;
                double wd = weights[n] * diff;
                s1 += wd;
                s2 += wd * diff;
            }

            sum[j] += s1;
            scatter[j] += s2;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LogDensityScalar(ReadOnlySpan<double> rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> precisions, double constant, Span<double> destination)
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LogDensityVector(ReadOnlySpan<double> rows, ReadOnlySpan<double> mean, ReadOnlySpan<double> precisions, double constant, Span<double> destination)
    {
        int d = mean.Length, count = destination.Length;
        int vectorColumns = d / Lanes * Lanes;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double m = ref MemoryMarshal.GetReference(mean);
        ref double p = ref MemoryMarshal.GetReference(precisions);
        ref double q = ref MemoryMarshal.GetReference(destination);
        var half = Vector256.Create(-0.5);
        var offset = Vector256.Create(constant);
        int n = 0;
        if (Avx.IsSupported)
        {
            // Four rows at a time: four lane-wise accumulators, reduced together into one vector of four sums.
            for (; n + Lanes <= count; n += Lanes)
            {
                ref double r0 = ref Unsafe.Add(ref x, n * d);
                ref double r1 = ref Unsafe.Add(ref r0, d);
                ref double r2 = ref Unsafe.Add(ref r1, d);
                ref double r3 = ref Unsafe.Add(ref r2, d);
                var acc0 = Vector256<double>.Zero;
                var acc1 = Vector256<double>.Zero;
                var acc2 = Vector256<double>.Zero;
                var acc3 = Vector256<double>.Zero;
                for (int j = 0; j < vectorColumns; j += Lanes)
                {
                    var mj = Vector256.LoadUnsafe(ref Unsafe.Add(ref m, j));
                    var pj = Vector256.LoadUnsafe(ref Unsafe.Add(ref p, j));
                    var d0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r0, j)) - mj;
                    var d1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r1, j)) - mj;
                    var d2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r2, j)) - mj;
                    var d3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref r3, j)) - mj;
                    acc0 = Simd.MulAdd(d0 * pj, d0, acc0);
                    acc1 = Simd.MulAdd(d1 * pj, d1, acc1);
                    acc2 = Simd.MulAdd(d2 * pj, d2, acc2);
                    acc3 = Simd.MulAdd(d3 * pj, d3, acc3);
                }

                var sums = Simd.SumEach(acc0, acc1, acc2, acc3);
                for (int j = vectorColumns; j < d; j++)
                {
                    double mj = Unsafe.Add(ref m, j), pj = Unsafe.Add(ref p, j);
                    double d0 = Unsafe.Add(ref r0, j) - mj, d1 = Unsafe.Add(ref r1, j) - mj;
                    double d2 = Unsafe.Add(ref r2, j) - mj, d3 = Unsafe.Add(ref r3, j) - mj;
                    sums += Vector256.Create(d0 * d0 * pj, d1 * d1 * pj, d2 * d2 * pj, d3 * d3 * pj);
                }

                Simd.MulAdd(half, sums, offset).StoreUnsafe(ref Unsafe.Add(ref q, n));
            }
        }

        for (; n < count; n++)
        {
            ref double row = ref Unsafe.Add(ref x, n * d);
            var acc = Vector256<double>.Zero;
            for (int j = 0; j < vectorColumns; j += Lanes)
            {
                var diff = Vector256.LoadUnsafe(ref Unsafe.Add(ref row, j)) - Vector256.LoadUnsafe(ref Unsafe.Add(ref m, j));
                acc = Simd.MulAdd(diff * Vector256.LoadUnsafe(ref Unsafe.Add(ref p, j)), diff, acc);
            }

            double quad = Vector256.Sum(acc);
            for (int j = vectorColumns; j < d; j++)
            {
                double diff = Unsafe.Add(ref row, j) - Unsafe.Add(ref m, j);
                quad += diff * diff * Unsafe.Add(ref p, j);
            }

            destination[n] = constant - (0.5 * quad);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MomentsVector(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, ReadOnlySpan<double> reference, Span<double> sum, Span<double> scatter, int vectorColumns)
    {
        int d = reference.Length, count = weights.Length;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double w = ref MemoryMarshal.GetReference(weights);

        // Up to 8 columns per sweep over the rows, with their sums in registers.
        for (int j = 0; j < vectorColumns; j += 2 * Lanes)
        {
            bool two = j + Lanes < vectorColumns;
            var a0 = Vector256.Create(reference.Slice(j, Lanes));
            var s10 = Vector256.Create(sum.Slice(j, Lanes));
            var s20 = Vector256.Create(scatter.Slice(j, Lanes));
            var a1 = two ? Vector256.Create(reference.Slice(j + Lanes, Lanes)) : Vector256<double>.Zero;
            var s11 = two ? Vector256.Create(sum.Slice(j + Lanes, Lanes)) : Vector256<double>.Zero;
            var s21 = two ? Vector256.Create(scatter.Slice(j + Lanes, Lanes)) : Vector256<double>.Zero;
            ref double column = ref Unsafe.Add(ref x, j);

            // Two rows per step into two sets of sums, so the additions of consecutive rows do not wait on each other.
            var t10 = Vector256<double>.Zero;
            var t20 = Vector256<double>.Zero;
            var t11 = Vector256<double>.Zero;
            var t21 = Vector256<double>.Zero;
            int n = 0;
            for (; n + 1 < count; n += 2)
            {
                var wa = Vector256.Create(Unsafe.Add(ref w, n));
                var wb = Vector256.Create(Unsafe.Add(ref w, n + 1));
                ref double cellA = ref Unsafe.Add(ref column, n * d);
                ref double cellB = ref Unsafe.Add(ref cellA, d);
                var diffA0 = Vector256.LoadUnsafe(ref cellA) - a0;
                var diffB0 = Vector256.LoadUnsafe(ref cellB) - a0;
                var wdA0 = wa * diffA0;
                var wdB0 = wb * diffB0;
                s10 += wdA0;
                t10 += wdB0;
                s20 = Simd.MulAdd(wdA0, diffA0, s20);
                t20 = Simd.MulAdd(wdB0, diffB0, t20);
                if (two)
                {
                    var diffA1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cellA, Lanes)) - a1;
                    var diffB1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cellB, Lanes)) - a1;
                    var wdA1 = wa * diffA1;
                    var wdB1 = wb * diffB1;
                    s11 += wdA1;
                    t11 += wdB1;
                    s21 = Simd.MulAdd(wdA1, diffA1, s21);
                    t21 = Simd.MulAdd(wdB1, diffB1, t21);
                }
            }

            for (; n < count; n++)
            {
                var wn = Vector256.Create(Unsafe.Add(ref w, n));
                ref double cell = ref Unsafe.Add(ref column, n * d);
                var diff0 = Vector256.LoadUnsafe(ref cell) - a0;
                var wd0 = wn * diff0;
                s10 += wd0;
                s20 = Simd.MulAdd(wd0, diff0, s20);
                if (two)
                {
                    var diff1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref cell, Lanes)) - a1;
                    var wd1 = wn * diff1;
                    s11 += wd1;
                    s21 = Simd.MulAdd(wd1, diff1, s21);
                }
            }

            s10 += t10;
            s20 += t20;
            s11 += t11;
            s21 += t21;
            s10.CopyTo(sum.Slice(j, Lanes));
            s20.CopyTo(scatter.Slice(j, Lanes));
            if (two)
            {
                s11.CopyTo(sum.Slice(j + Lanes, Lanes));
                s21.CopyTo(scatter.Slice(j + Lanes, Lanes));
            }
        }
    }

}
