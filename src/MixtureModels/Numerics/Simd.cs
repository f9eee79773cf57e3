using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MixtureModels.Numerics;

/// <summary>The vector operations the kernels share.</summary>
internal static class Simd
{
    /// <summary>a·b + c, fused where the CPU has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MulAdd(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>[Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d]: four horizontal sums in one vector (needs AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SumEach(Vector256<double> a, Vector256<double> b, Vector256<double> c, Vector256<double> d)
    {
        var ab = Avx.HorizontalAdd(a, b); // [a0+a1, b0+b1, a2+a3, b2+b3]
        var cd = Avx.HorizontalAdd(c, d);
        return Avx.Permute2x128(ab, cd, 0x20) + Avx.Permute2x128(ab, cd, 0x31);
    }

    /// <summary>[Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d] of four 512-bit vectors (needs AVX).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SumEach(Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d) =>
        SumEach(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), c.GetLower() + c.GetUpper(), d.GetLower() + d.GetUpper());

    /// <summary>target[j] += sums[j] for the four values of <paramref name="target"/>: a tile's lane sums added into its accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<double> target, Vector256<double> sums) => (Vector256.Create((ReadOnlySpan<double>)target) + sums).CopyTo(target);
}
