using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Internal;

/// <summary>Small element-wise SIMD helpers over spans (span in, span out, destination last).</summary>
internal static class VectorKernels
{
    private const int Lanes = 4;

    /// <summary>Σ values[i], with four independent vector sums so consecutive additions do not wait on each other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(ReadOnlySpan<double> values)
    {
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 4 * Lanes)
        {
            ref double v = ref MemoryMarshal.GetReference(values);
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            var s2 = Vector256<double>.Zero;
            var s3 = Vector256<double>.Zero;
            for (; i + (4 * Lanes) <= values.Length; i += 4 * Lanes)
            {
                s0 += Vector256.LoadUnsafe(ref Unsafe.Add(ref v, i));
                s1 += Vector256.LoadUnsafe(ref Unsafe.Add(ref v, i + Lanes));
                s2 += Vector256.LoadUnsafe(ref Unsafe.Add(ref v, i + (2 * Lanes)));
                s3 += Vector256.LoadUnsafe(ref Unsafe.Add(ref v, i + (3 * Lanes)));
            }

            total = Vector256.Sum((s0 + s1) + (s2 + s3));
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }

    /// <summary>destination[i] += value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScalar(double value, Span<double> destination)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double d = ref MemoryMarshal.GetReference(destination);
            var v = Vector256.Create(value);
            for (; i + Lanes <= destination.Length; i += Lanes)
            {
                ref double target = ref Unsafe.Add(ref d, i);
                (Vector256.LoadUnsafe(ref target) + v).StoreUnsafe(ref target);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] += value;
        }
    }

    /// <summary>destination[i] += values[i] for i &lt; destination.Length (values at least as long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<double> values, Span<double> destination)
    {
        values = values[..destination.Length]; // throws when values is shorter, before the unchecked loads
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double v = ref MemoryMarshal.GetReference(values);
            ref double d = ref MemoryMarshal.GetReference(destination);
            for (; i + Lanes <= destination.Length; i += Lanes)
            {
                ref double target = ref Unsafe.Add(ref d, i);
                (Vector256.LoadUnsafe(ref target) + Vector256.LoadUnsafe(ref Unsafe.Add(ref v, i))).StoreUnsafe(ref target);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] += values[i];
        }
    }

    /// <summary>
    /// destination[i] = constant − (scale·dᵢ)·dᵢ with dᵢ = values[i] − centre, for i &lt; destination.Length (values at
    /// least as long): the same operations in the same order on every element, vector or scalar.
    /// </summary>
    /// <param name="values">xᵢ.</param>
    /// <param name="centre">The value subtracted from each xᵢ.</param>
    /// <param name="scale">The factor of each square.</param>
    /// <param name="constant">The value the scaled squares are subtracted from.</param>
    /// <param name="destination">Receives the results.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ConstantMinusScaledSquares(ReadOnlySpan<double> values, double centre, double scale, double constant, Span<double> destination)
    {
        values = values[..destination.Length]; // throws when values is shorter, before the unchecked loads
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref double x = ref MemoryMarshal.GetReference(values);
            ref double y = ref MemoryMarshal.GetReference(destination);
            var c = Vector256.Create(centre);
            var f = Vector256.Create(scale);
            var k = Vector256.Create(constant);
            for (; i + Lanes <= destination.Length; i += Lanes)
            {
                var d = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, i)) - c;
                (k - (f * d * d)).StoreUnsafe(ref Unsafe.Add(ref y, i));
            }
        }

        for (; i < destination.Length; i++)
        {
            double d = values[i] - centre;
            destination[i] = constant - (scale * d * d);
        }
    }
}
