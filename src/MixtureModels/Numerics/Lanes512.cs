using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MixtureModels.Numerics;

/// <summary>Eight doubles in one 512-bit register (AVX-512F): the block kernels' vector where the CPU has it.</summary>
internal readonly struct Lanes512 : ILanes<Lanes512>
{
    private readonly Vector512<double> _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes512(Vector512<double> value) => _value = value;

    /// <summary>Whether this CPU runs these vectors in hardware.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <inheritdoc />
    public static int Count => 8;

    /// <inheritdoc />
    public static Lanes512 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(double value) => new(Vector512.Create(value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Create(ReadOnlySpan<double> values) => new(Vector512.Create(values));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ref double source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes512 value, ref double destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator +(Lanes512 left, Lanes512 right) => new(left._value + right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator -(Lanes512 left, Lanes512 right) => new(left._value - right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator *(Lanes512 left, Lanes512 right) => new(left._value * right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 operator /(Lanes512 left, Lanes512 right) => new(left._value / right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 MulAdd(Lanes512 a, Lanes512 b, Lanes512 c) => new(Avx512F.FusedMultiplyAdd(a._value, b._value, c._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Max(Lanes512 left, Lanes512 right)
    {
#if NET9_0_OR_GREATER
        return new(Vector512.MaxNative(left._value, right._value));
#else
        return new(Vector512.Max(left._value, right._value));
#endif
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 WhereGreater(Lanes512 x, Lanes512 threshold, Lanes512 value) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(x._value, threshold._value), value._value, Vector512<double>.Zero));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 MaxNumber(Lanes512 left, Lanes512 right) => new(Vector512.Max(left._value, right._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 SelectWhereGreater(Lanes512 x, Lanes512 threshold, Lanes512 ifGreater, Lanes512 otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(x._value, threshold._value), ifGreater._value, otherwise._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyNegativeInfinity(Lanes512 value) => Vector512.EqualsAny(value._value, Vector512.Create(double.NegativeInfinity));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Lanes512 value, int index) => value._value.GetElement(index);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Lanes512 value) => Vector512.Sum(value._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SumEach(Lanes512 a, Lanes512 b, Lanes512 c, Lanes512 d) => Simd.SumEach(a._value, b._value, c._value, d._value);

    /// <inheritdoc />
    /// <remarks>Two-source permutes of the sixteen table entries held in registers.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoToSixteenths(Lanes512 shifted, out Lanes512 high, out Lanes512 low)
    {
        var index = shifted._value.AsInt64();
        var highLower = Vector512.Create(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916, 1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927);
        var highUpper = Vector512.Create(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543, 1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474);
        var lowLower = Vector512.Create(0.0, 8.551889705537965e-17, -3.046782079812471e-17, 8.912812676025408e-17, 3.982015231465646e-17, 4.658027591836937e-17, 2.5382502794888315e-17, 7.70094837980299e-17);
        var lowUpper = Vector512.Create(-9.667293313452913e-17, -3.483994556892796e-17, 7.949834809697621e-17, 2.4707192569797888e-17, 8.199010020581497e-17, 2.960140695448873e-17, 3.283107224245627e-17, -1.0619946056195963e-16);
        high = new(Avx512F.PermuteVar8x64x2(highLower, index, highUpper));
        low = new(Avx512F.PermuteVar8x64x2(lowLower, index, lowUpper));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 AddToExponent(Lanes512 value, Lanes512 shifted)
    {
        var exponent = (shifted._value.AsUInt64() & Vector512.Create(~15UL)) << 48;
        return new((value._value.AsUInt64() + exponent).AsDouble());
    }

    /// <inheritdoc />
    /// <remarks>With the exponent and mantissa instructions (VGETMANTPD to [¾, 1.5) with the sign of the source).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SplitMantissa(Lanes512 x, out Lanes512 mantissa, out Lanes512 exponent)
    {
        const byte MantissaThreeQuartersToThreeHalves = 3;
        var m = Avx512F.GetMantissa(x._value, MantissaThreeQuartersToThreeHalves);
        mantissa = new(m);
        exponent = new(Avx512F.GetExponent(x._value) - Avx512F.GetExponent(m));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride)
    {
        var r0 = Vector512.LoadUnsafe(ref source);
        var r1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));
        var r4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 4 * sourceStride));
        var r5 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 5 * sourceStride));
        var r6 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 6 * sourceStride));
        var r7 = Vector512.LoadUnsafe(ref Unsafe.Add(ref source, 7 * sourceStride));

        // Pairs of rows interleaved: t0 = [r0₀ r1₀ r0₂ r1₂ r0₄ r1₄ r0₆ r1₆], t1 the odd columns, and so on.
        var t0 = Avx512F.UnpackLow(r0, r1);
        var t1 = Avx512F.UnpackHigh(r0, r1);
        var t2 = Avx512F.UnpackLow(r2, r3);
        var t3 = Avx512F.UnpackHigh(r2, r3);
        var t4 = Avx512F.UnpackLow(r4, r5);
        var t5 = Avx512F.UnpackHigh(r4, r5);
        var t6 = Avx512F.UnpackLow(r6, r7);
        var t7 = Avx512F.UnpackHigh(r6, r7);

        // Then 128-bit pairs: u0 = [r0₀ r1₀ r0₄ r1₄ r2₀ r3₀ r2₄ r3₄] and so on.
        var u0 = Avx512F.Shuffle4x128(t0, t2, 0x88);
        var u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        var u2 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        var u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        var u4 = Avx512F.Shuffle4x128(t4, t6, 0x88);
        var u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        var u6 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        var u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);

        Avx512F.Shuffle4x128(u0, u4, 0x88).StoreUnsafe(ref target);
        Avx512F.Shuffle4x128(u2, u6, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, targetStride));
        Avx512F.Shuffle4x128(u1, u5, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 2 * targetStride));
        Avx512F.Shuffle4x128(u3, u7, 0x88).StoreUnsafe(ref Unsafe.Add(ref target, 3 * targetStride));
        Avx512F.Shuffle4x128(u0, u4, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 4 * targetStride));
        Avx512F.Shuffle4x128(u2, u6, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 5 * targetStride));
        Avx512F.Shuffle4x128(u1, u5, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 6 * targetStride));
        Avx512F.Shuffle4x128(u3, u7, 0xDD).StoreUnsafe(ref Unsafe.Add(ref target, 7 * targetStride));
    }
}
