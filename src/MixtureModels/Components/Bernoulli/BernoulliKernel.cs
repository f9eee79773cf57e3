using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Bernoulli;

/// <summary>
/// Kernels for independent Bernoulli components on blocks of rows: the E-step log-density, a matrix-vector product
/// with the log-odds (log p(x) = constant + Σ_d x_d·logit_d), and the M-step weighted column sums Σₙ wₙ·xₙ.
/// The vector path uses 256-bit FMA over columns; the scalar path computes the same sums in plain arithmetic.
/// </summary>
internal static class BernoulliKernel
{
    private const int Lanes = 4;

    /// <summary>destination[n] = constant + Σ_d rows[n·D + d]·logOdds[d], with D = logOdds.Length.</summary>
    public static void LogDensity(ReadOnlySpan<double> rows, ReadOnlySpan<double> logOdds, double constant, Span<double> destination)
    {
        if (Vector256.IsHardwareAccelerated && logOdds.Length >= Lanes)
        {
            LogDensityVector(rows, logOdds, constant, destination);
        }
        else
        {
            LogDensityScalar(rows, logOdds, constant, destination);
        }
    }

    /// <summary>counts[d] += Σₙ weights[n]·rows[n·D + d] over the rows of a block, with D = counts.Length.</summary>
    public static void WeightedColumnSums(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, Span<double> counts)
    {
        int d = counts.Length;
        int vectorColumns = Vector256.IsHardwareAccelerated ? d / Lanes * Lanes : 0;
        if (vectorColumns > 0)
        {
            WeightedColumnSumsVector(rows, weights, counts, vectorColumns);
        }

        WeightedColumnSumsScalar(rows, weights, counts, vectorColumns);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LogDensityScalar(ReadOnlySpan<double> rows, ReadOnlySpan<double> logOdds, double constant, Span<double> destination)
    {
        int d = logOdds.Length;
        for (int n = 0; n < destination.Length; n++)
        {
            var row = rows.Slice(n * d, d);
            double dot = 0;
            for (int i = 0; i < d; i++)
            {
                dot += row[i] * logOdds[i];
            }

            destination[n] = constant + dot;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void LogDensityVector(ReadOnlySpan<double> rows, ReadOnlySpan<double> logOdds, double constant, Span<double> destination)
    {
        int d = logOdds.Length, count = destination.Length;
        if (rows.Length < count * d)
        {
            ThrowHelper.ThrowArgument(nameof(rows), $"rows has {rows.Length} values but {count} rows of {d} columns need {count * d}.");
        }

        int vectorColumns = d / Lanes * Lanes;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double l = ref MemoryMarshal.GetReference(logOdds);
        ref double q = ref MemoryMarshal.GetReference(destination);
        var offset = Vector256.Create(constant);
        int n = 0;
        if (Avx.IsSupported)
        {
            // Four rows at a time: four lane-wise accumulators, reduced together into one vector of four dot products.
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
                    var lj = Vector256.LoadUnsafe(ref Unsafe.Add(ref l, j));
                    acc0 = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref r0, j)), lj, acc0);
                    acc1 = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref r1, j)), lj, acc1);
                    acc2 = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref r2, j)), lj, acc2);
                    acc3 = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref r3, j)), lj, acc3);
                }

                var sums = Simd.SumEach(acc0, acc1, acc2, acc3);
                for (int j = vectorColumns; j < d; j++)
                {
                    double lj = Unsafe.Add(ref l, j);
                    sums += Vector256.Create(Unsafe.Add(ref r0, j) * lj, Unsafe.Add(ref r1, j) * lj, Unsafe.Add(ref r2, j) * lj, Unsafe.Add(ref r3, j) * lj);
                }

                (sums + offset).StoreUnsafe(ref Unsafe.Add(ref q, n));
            }
        }

        for (; n < count; n++)
        {
            ref double row = ref Unsafe.Add(ref x, n * d);
            var acc = Vector256<double>.Zero;
            for (int j = 0; j < vectorColumns; j += Lanes)
            {
                acc = Simd.MulAdd(Vector256.LoadUnsafe(ref Unsafe.Add(ref row, j)), Vector256.LoadUnsafe(ref Unsafe.Add(ref l, j)), acc);
            }

            double dot = Vector256.Sum(acc);
            for (int j = vectorColumns; j < d; j++)
            {
                dot += Unsafe.Add(ref row, j) * Unsafe.Add(ref l, j);
            }

            destination[n] = dot + constant;
        }
    }

    /// <summary>The scalar column sums for columns [<paramref name="firstColumn"/>, D).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightedColumnSumsScalar(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, Span<double> counts, int firstColumn)
    {
        int d = counts.Length;
        for (int j = firstColumn; j < d; j++)
        {
            double s = 0;
            for (int n = 0; n < weights.Length; n++)
            {
                s += weights[n] * rows[(n * d) + j];
            }

            counts[j] += s;
        }
    }

    /// <summary>The vector column sums for columns [0, <paramref name="vectorColumns"/>), a multiple of the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightedColumnSumsVector(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, Span<double> counts, int vectorColumns)
    {
        int d = counts.Length, count = weights.Length;
        if (rows.Length < count * d)
        {
            ThrowHelper.ThrowArgument(nameof(rows), $"rows has {rows.Length} values but {count} rows of {d} columns need {count * d}.");
        }

        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double w = ref MemoryMarshal.GetReference(weights);

        // Up to 8 columns per sweep over the rows, with their sums in registers; two rows per step into two sets of
        // sums, so the additions of consecutive rows do not wait on each other.
        for (int j = 0; j < vectorColumns; j += 2 * Lanes)
        {
            bool two = j + Lanes < vectorColumns;
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            var t0 = Vector256<double>.Zero;
            var t1 = Vector256<double>.Zero;
            ref double column = ref Unsafe.Add(ref x, j);
            int n = 0;
            for (; n + 1 < count; n += 2)
            {
                var wa = Vector256.Create(Unsafe.Add(ref w, n));
                var wb = Vector256.Create(Unsafe.Add(ref w, n + 1));
                ref double cellA = ref Unsafe.Add(ref column, n * d);
                ref double cellB = ref Unsafe.Add(ref cellA, d);
                s0 = Simd.MulAdd(wa, Vector256.LoadUnsafe(ref cellA), s0);
                t0 = Simd.MulAdd(wb, Vector256.LoadUnsafe(ref cellB), t0);
                if (two)
                {
                    s1 = Simd.MulAdd(wa, Vector256.LoadUnsafe(ref Unsafe.Add(ref cellA, Lanes)), s1);
                    t1 = Simd.MulAdd(wb, Vector256.LoadUnsafe(ref Unsafe.Add(ref cellB, Lanes)), t1);
                }
            }

            for (; n < count; n++)
            {
                var wn = Vector256.Create(Unsafe.Add(ref w, n));
                ref double cell = ref Unsafe.Add(ref column, n * d);
                s0 = Simd.MulAdd(wn, Vector256.LoadUnsafe(ref cell), s0);
                if (two)
                {
                    s1 = Simd.MulAdd(wn, Vector256.LoadUnsafe(ref Unsafe.Add(ref cell, Lanes)), s1);
                }
            }

            var target0 = counts.Slice(j, Lanes);
            (Vector256.Create((ReadOnlySpan<double>)target0) + (s0 + t0)).CopyTo(target0);
            if (two)
            {
                var target1 = counts.Slice(j + Lanes, Lanes);
                (Vector256.Create((ReadOnlySpan<double>)target1) + (s1 + t1)).CopyTo(target1);
            }
        }
    }

}
