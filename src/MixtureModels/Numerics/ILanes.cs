using System.Runtime.Intrinsics;

namespace MixtureModels.Numerics;

/// <summary>
/// A vector of doubles across consecutive rows, as the block kernels use it: <see cref="Lanes512"/> (eight lanes, AVX-512)
/// or <see cref="Lanes256"/> (four lanes, AVX2 with FMA). The kernels are written once, generic over this type, and the
/// JIT compiles one specialised copy per width (a struct operator: no calls, no casts). Every lane computes the same
/// operations in the same order at either width; only sums across lanes (<see cref="Sum"/>, <see cref="SumEach"/>)
/// group the rows differently.
/// </summary>
/// <typeparam name="TSelf">The implementing vector type.</typeparam>
internal interface ILanes<TSelf>
    where TSelf : unmanaged, ILanes<TSelf>
{
    /// <summary>Doubles per vector.</summary>
    static abstract int Count { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>Every lane <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>The first <see cref="Count"/> values of <paramref name="values"/>.</summary>
    static abstract TSelf Create(ReadOnlySpan<double> values);

    /// <summary>The <see cref="Count"/> values at <paramref name="source"/>[<paramref name="offset"/>..].</summary>
    static abstract TSelf Load(ref double source, nuint offset);

    /// <summary>Writes the lanes to <paramref name="destination"/>[<paramref name="offset"/>..].</summary>
    static abstract void Store(TSelf value, ref double destination, nuint offset);

    /// <summary>Lane-wise sum.</summary>
    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>Lane-wise difference.</summary>
    static abstract TSelf operator -(TSelf left, TSelf right);

    /// <summary>Lane-wise product.</summary>
    static abstract TSelf operator *(TSelf left, TSelf right);

    /// <summary>Lane-wise quotient.</summary>
    static abstract TSelf operator /(TSelf left, TSelf right);

    /// <summary>a·b + c with one rounding (the fused multiply-add instruction).</summary>
    static abstract TSelf MulAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>The larger of each pair of lanes, for operands that are never NaN.</summary>
    static abstract TSelf Max(TSelf left, TSelf right);

    /// <summary>The larger of each pair of lanes as <c>Vector512.Max</c> and <c>Vector256.Max</c> define it (+0 above −0).</summary>
    static abstract TSelf MaxNumber(TSelf left, TSelf right);

    /// <summary><paramref name="value"/> in the lanes where <paramref name="x"/> &gt; <paramref name="threshold"/>, +0 elsewhere.</summary>
    static abstract TSelf WhereGreater(TSelf x, TSelf threshold, TSelf value);

    /// <summary><paramref name="ifGreater"/> in the lanes where <paramref name="x"/> &gt; <paramref name="threshold"/>, <paramref name="otherwise"/> elsewhere.</summary>
    static abstract TSelf SelectWhereGreater(TSelf x, TSelf threshold, TSelf ifGreater, TSelf otherwise);

    /// <summary>Whether any lane is −∞.</summary>
    static abstract bool AnyNegativeInfinity(TSelf value);

    /// <summary>Lane <paramref name="index"/>.</summary>
    static abstract double GetElement(TSelf value, int index);

    /// <summary>The sum of the lanes.</summary>
    static abstract double Sum(TSelf value);

    /// <summary>[Σ lanes of a, Σ lanes of b, Σ lanes of c, Σ lanes of d].</summary>
    static abstract Vector256<double> SumEach(TSelf a, TSelf b, TSelf c, TSelf d);

    /// <summary>
    /// 2^(j/16) as a high and a low double (together within 5e−33 relative) for j the low four bits of each lane's bits in
    /// <paramref name="shifted"/>: the table lookup of <see cref="BlockVectorMath.ExpNonPositive{TLanes}"/>.
    /// </summary>
    static abstract void TwoToSixteenths(TSelf shifted, out TSelf high, out TSelf low);

    /// <summary>
    /// <paramref name="value"/> with 16m (the bits of <paramref name="shifted"/> above the low four, shifted left by 48)
    /// added to its bits: value·2^m for a normal result.
    /// </summary>
    static abstract TSelf AddToExponent(TSelf value, TSelf shifted);

    /// <summary>
    /// x = 2^e·m with m in [¾, 1.5) and e an integer, both exact, for positive, finite x (subnormal ones too): the split of
    /// <see cref="BlockVectorMath.LogPositive{TLanes}"/>.
    /// </summary>
    static abstract void SplitMantissa(TSelf x, out TSelf mantissa, out TSelf exponent);

    /// <summary>
    /// Writes the transpose of the <see cref="Count"/> × <see cref="Count"/> tile at <paramref name="source"/> (row stride
    /// <paramref name="sourceStride"/>) to <paramref name="target"/> (row stride <paramref name="targetStride"/>).
    /// </summary>
    static abstract void TransposeTile(ref double source, int sourceStride, ref double target, int targetStride);
}
