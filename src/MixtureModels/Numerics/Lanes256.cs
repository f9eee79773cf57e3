using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MixtureModels.Numerics;

/// <summary>
/// Four doubles in one 256-bit register (AVX2 with FMA): the block kernels' vector on CPUs without AVX-512. Every
/// operation gives in each lane the same bits as <see cref="Lanes512"/> does, the exponential's table lookup and the
/// logarithm's exponent split included.
/// </summary>
internal readonly struct Lanes256 : ILanes<Lanes256>
{
    private readonly Vector256<double> _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lanes256(Vector256<double> value) => _value = value;

    /// <summary>Whether this CPU runs these vectors in hardware, with fused multiply-adds.</summary>
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc />
    public static int Count => 4;

    /// <inheritdoc />
    public static Lanes256 Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => default;
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(double value) => new(Vector256.Create(value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Create(ReadOnlySpan<double> values) => new(Vector256.Create(values));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ref double source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lanes256 value, ref double destination, nuint offset) => value._value.StoreUnsafe(ref destination, offset);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator +(Lanes256 left, Lanes256 right) => new(left._value + right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator -(Lanes256 left, Lanes256 right) => new(left._value - right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator *(Lanes256 left, Lanes256 right) => new(left._value * right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 operator /(Lanes256 left, Lanes256 right) => new(left._value / right._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 MulAdd(Lanes256 a, Lanes256 b, Lanes256 c) => new(Fma.MultiplyAdd(a._value, b._value, c._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Max(Lanes256 left, Lanes256 right) => new(Avx.Max(left._value, right._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 WhereGreater(Lanes256 x, Lanes256 threshold, Lanes256 value) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(x._value, threshold._value), value._value, Vector256<double>.Zero));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 MaxNumber(Lanes256 left, Lanes256 right) => new(Vector256.Max(left._value, right._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 SelectWhereGreater(Lanes256 x, Lanes256 threshold, Lanes256 ifGreater, Lanes256 otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(x._value, threshold._value), ifGreater._value, otherwise._value));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyNegativeInfinity(Lanes256 value) => Vector256.EqualsAny(value._value, Vector256.Create(double.NegativeInfinity));

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double GetElement(Lanes256 value, int index) => value._value.GetElement(index);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Lanes256 value) => Vector256.Sum(value._value);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> SumEach(Lanes256 a, Lanes256 b, Lanes256 c, Lanes256 d) => Simd.SumEach(a._value, b._value, c._value, d._value);

    /// <inheritdoc />
    /// <remarks>
    /// The table in four registers of four entries: each is permuted by j mod 4 (as pairs of 32-bit halves, the one
    /// cross-lane variable permute AVX2 has), and bits 2 and 3 of j pick among the four results with two levels of blends.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TwoToSixteenths(Lanes256 shifted, out Lanes256 high, out Lanes256 low)
    {
        var bits = shifted._value.AsUInt64();
        var twice = (bits & Vector256.Create(3UL)) << 1;
        var index = (twice | ((twice + Vector256<ulong>.One) << 32)).AsInt32(); // the 32-bit halves 2(j mod 4), 2(j mod 4) + 1
        var bit2 = (bits << 61).AsDouble(); // bit 2 of j in the sign bit
        var bit3 = (bits << 60).AsDouble(); // bit 3 of j in the sign bit
        high = new(Pick(
            index,
            bit2,
            bit3,
            Vector256.Create(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916),
            Vector256.Create(1.189207115002721, 1.241857812073484, 1.2968395546510096, 1.3542555469368927),
            Vector256.Create(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543),
            Vector256.Create(1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474)));
        low = new(Pick(
            index,
            bit2,
            bit3,
            Vector256.Create(0.0, 8.551889705537965e-17, -3.046782079812471e-17, 8.912812676025408e-17),
            Vector256.Create(3.982015231465646e-17, 4.658027591836937e-17, 2.5382502794888315e-17, 7.70094837980299e-17),
            Vector256.Create(-9.667293313452913e-17, -3.483994556892796e-17, 7.949834809697621e-17, 2.4707192569797888e-17),
            Vector256.Create(8.199010020581497e-17, 2.960140695448873e-17, 3.283107224245627e-17, -1.0619946056195963e-16)));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 AddToExponent(Lanes256 value, Lanes256 shifted)
    {
        var exponent = (shifted._value.AsUInt64() & Vector256.Create(~15UL)) << 48;
        return new((value._value.AsUInt64() + exponent).AsDouble());
    }

    /// <inheritdoc />
    /// <remarks>
    /// From the bits: the fraction with the exponent of 1 is m in [1, 2); where its top bit is set (m ≥ 1.5) the exponent
    /// field is lowered by one (m/2) and e raised by one, the split VGETMANTPD makes. A subnormal x is first scaled by
    /// 2^54 (exactly), and e lowered by 54, so that it splits as VGETMANTPD splits it. e is converted to a double exactly
    /// by adding it to the bits of 1.5·2^52 and subtracting that number.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SplitMantissa(Lanes256 x, out Lanes256 mantissa, out Lanes256 exponent)
    {
        const ulong ExponentMask = 0x7FF0_0000_0000_0000UL;
        const ulong FractionMask = 0x000F_FFFF_FFFF_FFFFUL;
        const ulong OneBits = 0x3FF0_0000_0000_0000UL;
        const ulong TopFractionBit = 1UL << 51;
        const double TwoTo54 = 18014398509481984.0;
        const double Shifter = 6755399441055744.0; // 1.5·2^52
        var subnormal = Vector256.Equals(x._value.AsUInt64() & Vector256.Create(ExponentMask), Vector256<ulong>.Zero);
        var bits = Vector256.ConditionalSelect(subnormal.AsDouble(), x._value * Vector256.Create(TwoTo54), x._value).AsUInt64();
        var top = bits & Vector256.Create(TopFractionBit);
        mantissa = new((((bits & Vector256.Create(FractionMask)) | Vector256.Create(OneBits)) - (top << 1)).AsDouble());
        var biased = Vector256.ShiftRightLogical(bits, 52) + Vector256.ShiftRightLogical(top, 51); // the exponent field, plus one where m was halved
        var shifterBits = Vector256.Create(Shifter).AsUInt64() - Vector256.Create(1023UL);
        exponent = new((biased + shifterBits - (subnormal & Vector256.Create(54UL))).AsDouble() - Vector256.Create(Shifter));
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride)
    {
        var r0 = Vector256.LoadUnsafe(ref source);
        var r1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, sourceStride));
        var r2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 2 * sourceStride));
        var r3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref source, 3 * sourceStride));

        // Pairs of rows interleaved: t0 = [r0₀ r1₀ r0₂ r1₂], t1 = [r0₁ r1₁ r0₃ r1₃], and so on; then 128-bit halves paired.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref target);
        Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref Unsafe.Add(ref target, targetStride));
        Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 2 * targetStride));
        Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref Unsafe.Add(ref target, 3 * targetStride));
    }

    /// <summary>The entry of a 16-entry table (four registers of four) picked by j's halves and its bits 2 and 3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Pick(Vector256<int> index, Vector256<double> bit2, Vector256<double> bit3, Vector256<double> t0, Vector256<double> t1, Vector256<double> t2, Vector256<double> t3)
    {
        var p0 = Avx2.PermuteVar8x32(t0.AsSingle(), index).AsDouble();
        var p1 = Avx2.PermuteVar8x32(t1.AsSingle(), index).AsDouble();
        var p2 = Avx2.PermuteVar8x32(t2.AsSingle(), index).AsDouble();
        var p3 = Avx2.PermuteVar8x32(t3.AsSingle(), index).AsDouble();
        return Avx.BlendVariable(Avx.BlendVariable(p0, p1, bit2), Avx.BlendVariable(p2, p3, bit2), bit3);
    }
}
