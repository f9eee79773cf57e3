using System.Runtime.CompilerServices;

namespace MixtureModels.Numerics;

/// <summary>
/// Per-thread scratch for the hot kernels, so that no pass over the data allocates. Each owner keeps its own buffer in
/// a private <see cref="ThreadStaticAttribute"/> static field of its class and asks for it through
/// <see cref="Get(ref double[], int)"/>, so two owners never share memory and none needs to know what another holds
/// (a [ThreadStatic] field is the fastest thread-local storage; an instance field cannot be thread-static, and
/// <see cref="ThreadLocal{T}.Value"/> costs a lookup per call). A span is valid until the same thread asks the same
/// field again, so an owner must not hold it across a call that can re-enter the owner on that thread (none does: the
/// marginals of a product are never products).
/// </summary>
internal static class ScratchBuffer
{
    /// <summary>
    /// A span of <paramref name="length"/> doubles (contents undefined) from <paramref name="buffer"/>, which is replaced
    /// by one at least twice as long when it is too short.
    /// </summary>
    /// <param name="buffer">The owner's [ThreadStatic] static field.</param>
    /// <param name="length">The doubles needed.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<double> Get(ref double[]? buffer, int length)
    {
        var current = buffer;
        if (current is null || current.Length < length)
        {
            current = Grow(ref buffer, length);
        }

        return current.AsSpan(0, length);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double[] Grow(ref double[]? buffer, int length)
    {
        var grown = new double[Math.Max(length, (buffer?.Length ?? 0) * 2)];
        buffer = grown;
        return grown;
    }
}
