using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Numerics;

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
    /// The weighted moments of one column about <paramref name="reference"/>: W = Σₙ wₙ, s = Σₙ wₙ(xₙ − a) and
    /// S = Σₙ wₙ(xₙ − a)², with two sets of vector sums so consecutive rows do not wait on each other.
    /// </summary>
    /// <param name="values">One value per row (at least weights.Length values).</param>
    /// <param name="weights">One weight per row.</param>
    /// <param name="reference">a.</param>
    /// <param name="total">Receives W.</param>
    /// <param name="sum">Receives s.</param>
    /// <param name="scatter">Receives S.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedMoments(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, double reference, out double total, out double sum, out double scatter)
    {
        int count = weights.Length;
        values = values[..count]; // throws when values is shorter, before the unchecked loads
        int n = 0;
        total = 0;
        sum = 0;
        scatter = 0;
        if (Vector256.IsHardwareAccelerated && count >= 2 * Lanes)
        {
            ref double x = ref MemoryMarshal.GetReference(values);
            ref double w = ref MemoryMarshal.GetReference(weights);
            var a = Vector256.Create(reference);
            var t0 = Vector256<double>.Zero;
            var t1 = Vector256<double>.Zero;
            var s0 = Vector256<double>.Zero;
            var s1 = Vector256<double>.Zero;
            var q0 = Vector256<double>.Zero;
            var q1 = Vector256<double>.Zero;
            for (; n + (2 * Lanes) <= count; n += 2 * Lanes)
            {
                var w0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref w, n));
                var w1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref w, n + Lanes));
                var d0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, n)) - a;
                var d1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref x, n + Lanes)) - a;
                var wd0 = w0 * d0;
                var wd1 = w1 * d1;
                t0 += w0;
                t1 += w1;
                s0 += wd0;
                s1 += wd1;
                q0 += wd0 * d0;
                q1 += wd1 * d1;
            }

            total = Vector256.Sum(t0 + t1);
            sum = Vector256.Sum(s0 + s1);
            scatter = Vector256.Sum(q0 + q1);
        }

        for (; n < count; n++)
        {
            double wn = weights[n];
            double d = values[n] - reference;
            double wd = wn * d;
            total += wn;
            sum += wd;
            scatter += wd * d;
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
