using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Numerics;

/// <summary>
/// Squared Euclidean distances of a block of rows to a set of centres, the kernel of k-means and k-means++. The
/// centres are stored transposed (D × P, P the centre count padded to <see cref="LaneMultiple"/>) so that a vector holds
/// one column of several centres: each lane sums (x_j − c_j)² over j in column order with a separate subtraction,
/// multiplication and addition, exactly as the textbook loop <c>s += (x[j] − c[j])²</c> does. The 512-bit, 256-bit and
/// scalar paths therefore give the same bits, and the differences are formed directly, so there is no cancellation
/// (unlike ‖x‖² − 2x·c + ‖c‖²). Four rows share each centre load, which keeps four independent addition chains in flight.
/// </summary>
internal static class CentreDistances
{
    /// <summary>The padded centre count is a multiple of this (one 256-bit vector of doubles; the 512-bit path takes groups of eight and a last group of four).</summary>
    public const int LaneMultiple = 4;

    /// <summary>The centre count rounded up to a multiple of <see cref="LaneMultiple"/>.</summary>
    public static int Padded(int centres) => (centres + LaneMultiple - 1) & ~(LaneMultiple - 1);

    /// <summary>
    /// Writes the row-major centres (count × D) transposed into <paramref name="destination"/> (D × P, P =
    /// <see cref="Padded(int)"/>); the padding lanes are 0.
    /// </summary>
    public static void Transpose(ReadOnlySpan<double> centres, int columns, Span<double> destination)
    {
        int count = centres.Length / columns, padded = Padded(count);
        destination = destination[..(columns * padded)];
        destination.Clear();
        for (int c = 0; c < count; c++)
        {
            for (int j = 0; j < columns; j++)
            {
                destination[(j * padded) + c] = centres[(c * columns) + j];
            }
        }
    }

    /// <summary>
    /// destination[i·P + c] = Σ_j (rows[i·D + j] − centresTransposed[j·P + c])² for every row i of the block and every
    /// lane c &lt; P (padding lanes hold the distance to the origin-free padding and are to be ignored).
    /// </summary>
    /// <param name="rows">The block, row-major (count × D).</param>
    /// <param name="columns">D, at least 1.</param>
    /// <param name="centresTransposed">D × P, from <see cref="Transpose"/>.</param>
    /// <param name="padded">P, a multiple of <see cref="LaneMultiple"/>.</param>
    /// <param name="destination">count × P.</param>
    public static void Compute(ReadOnlySpan<double> rows, int columns, ReadOnlySpan<double> centresTransposed, int padded, Span<double> destination)
    {
        int count = rows.Length / columns;
        if (centresTransposed.Length < columns * padded || destination.Length < count * padded || padded % LaneMultiple != 0)
        {
            ThrowHelper.ThrowArgument(nameof(destination), "The transposed centres or the destination are shorter than the block needs.");
        }

        if (Vector512.IsHardwareAccelerated)
        {
            Compute512(rows, count, columns, centresTransposed, padded, destination);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Compute256(rows, count, columns, centresTransposed, padded, destination);
        }
        else
        {
            ComputeScalar(rows, count, columns, centresTransposed, padded, destination);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute512(ReadOnlySpan<double> rows, int count, int columns, ReadOnlySpan<double> centresTransposed, int padded, Span<double> destination)
    {
        const int Lanes = 8;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double c = ref MemoryMarshal.GetReference(centresTransposed);
        ref double o = ref MemoryMarshal.GetReference(destination);
        int whole = padded / Lanes * Lanes;
        if (whole < padded)
        {
            // The last four lanes: 256-bit vectors do them at the same cost per lane on every AVX-512 machine.
            Compute256(rows, count, columns, centresTransposed, padded, destination, whole);
        }

        for (int g = 0; g < whole; g += Lanes)
        {
            int i = 0;
            for (; i + 4 <= count; i += 4)
            {
                ref double x0 = ref Unsafe.Add(ref x, i * columns);
                ref double x1 = ref Unsafe.Add(ref x0, columns);
                ref double x2 = ref Unsafe.Add(ref x1, columns);
                ref double x3 = ref Unsafe.Add(ref x2, columns);
                var s0 = Vector512<double>.Zero;
                var s1 = Vector512<double>.Zero;
                var s2 = Vector512<double>.Zero;
                var s3 = Vector512<double>.Zero;
                for (int j = 0; j < columns; j++)
                {
                    var centre = Vector512.LoadUnsafe(ref c, (nuint)((j * padded) + g));
                    var d0 = Vector512.Create(Unsafe.Add(ref x0, j)) - centre;
                    var d1 = Vector512.Create(Unsafe.Add(ref x1, j)) - centre;
                    var d2 = Vector512.Create(Unsafe.Add(ref x2, j)) - centre;
                    var d3 = Vector512.Create(Unsafe.Add(ref x3, j)) - centre;
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }

                s0.StoreUnsafe(ref o, (nuint)((i * padded) + g));
                s1.StoreUnsafe(ref o, (nuint)(((i + 1) * padded) + g));
                s2.StoreUnsafe(ref o, (nuint)(((i + 2) * padded) + g));
                s3.StoreUnsafe(ref o, (nuint)(((i + 3) * padded) + g));
            }

            for (; i < count; i++)
            {
                ref double x0 = ref Unsafe.Add(ref x, i * columns);
                var s0 = Vector512<double>.Zero;
                for (int j = 0; j < columns; j++)
                {
                    var d0 = Vector512.Create(Unsafe.Add(ref x0, j)) - Vector512.LoadUnsafe(ref c, (nuint)((j * padded) + g));
                    s0 += d0 * d0;
                }

                s0.StoreUnsafe(ref o, (nuint)((i * padded) + g));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute256(ReadOnlySpan<double> rows, int count, int columns, ReadOnlySpan<double> centresTransposed, int padded, Span<double> destination, int firstLane = 0)
    {
        const int Lanes = 4;
        ref double x = ref MemoryMarshal.GetReference(rows);
        ref double c = ref MemoryMarshal.GetReference(centresTransposed);
        ref double o = ref MemoryMarshal.GetReference(destination);
        for (int g = firstLane; g < padded; g += Lanes)
        {
            int i = 0;
            for (; i + 4 <= count; i += 4)
            {
                ref double x0 = ref Unsafe.Add(ref x, i * columns);
                ref double x1 = ref Unsafe.Add(ref x0, columns);
                ref double x2 = ref Unsafe.Add(ref x1, columns);
                ref double x3 = ref Unsafe.Add(ref x2, columns);
                var s0 = Vector256<double>.Zero;
                var s1 = Vector256<double>.Zero;
                var s2 = Vector256<double>.Zero;
                var s3 = Vector256<double>.Zero;
                for (int j = 0; j < columns; j++)
                {
                    var centre = Vector256.LoadUnsafe(ref c, (nuint)((j * padded) + g));
                    var d0 = Vector256.Create(Unsafe.Add(ref x0, j)) - centre;
                    var d1 = Vector256.Create(Unsafe.Add(ref x1, j)) - centre;
                    var d2 = Vector256.Create(Unsafe.Add(ref x2, j)) - centre;
                    var d3 = Vector256.Create(Unsafe.Add(ref x3, j)) - centre;
                    s0 += d0 * d0;
                    s1 += d1 * d1;
                    s2 += d2 * d2;
                    s3 += d3 * d3;
                }

                s0.StoreUnsafe(ref o, (nuint)((i * padded) + g));
                s1.StoreUnsafe(ref o, (nuint)(((i + 1) * padded) + g));
                s2.StoreUnsafe(ref o, (nuint)(((i + 2) * padded) + g));
                s3.StoreUnsafe(ref o, (nuint)(((i + 3) * padded) + g));
            }

            for (; i < count; i++)
            {
                ref double x0 = ref Unsafe.Add(ref x, i * columns);
                var s0 = Vector256<double>.Zero;
                for (int j = 0; j < columns; j++)
                {
                    var d0 = Vector256.Create(Unsafe.Add(ref x0, j)) - Vector256.LoadUnsafe(ref c, (nuint)((j * padded) + g));
                    s0 += d0 * d0;
                }

                s0.StoreUnsafe(ref o, (nuint)((i * padded) + g));
            }
        }
    }

    private static void ComputeScalar(ReadOnlySpan<double> rows, int count, int columns, ReadOnlySpan<double> centresTransposed, int padded, Span<double> destination)
    {
        for (int i = 0; i < count; i++)
        {
            var row = rows.Slice(i * columns, columns);
            for (int g = 0; g < padded; g++)
            {
                double s = 0;
                for (int j = 0; j < columns; j++)
                {
                    double diff = row[j] - centresTransposed[(j * padded) + g];
                    s += diff * diff;
                }

                destination[(i * padded) + g] = s;
            }
        }
    }

    /// <summary>
    /// The index of the smallest of the first <paramref name="count"/> distances (the first one on ties), as the scan
    /// <c>if (d[c] &lt; best) …</c> from +∞ finds it: all-+∞ rows give 0. The distances are non-negative and never NaN.
    /// </summary>
    /// <param name="distances">One row of <see cref="Compute"/>'s output: P values, the first <paramref name="count"/> of them used.</param>
    /// <param name="count">The number of centres, 1 ≤ count ≤ P.</param>
    /// <remarks>The vector paths read eight (or, for up to four centres, four) lanes of the row.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Nearest(ReadOnlySpan<double> distances, int count)
    {
        if (Vector512.IsHardwareAccelerated && count <= 8 && distances.Length >= 8)
        {
            var lanes = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(distances));
            var used = Vector512.LessThan(Vector512.Create(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), Vector512.Create((long)count)).AsDouble();
            lanes = Vector512.ConditionalSelect(used, lanes, Vector512.Create(double.PositiveInfinity));
            var half = Vector256.Min(lanes.GetLower(), lanes.GetUpper());
            var quarter = Vector128.Min(half.GetLower(), half.GetUpper());
            double minimum = Math.Min(quarter.GetElement(0), quarter.GetElement(1));
            ulong equal = Vector512.Equals(lanes, Vector512.Create(minimum)).ExtractMostSignificantBits();
            return BitOperations.TrailingZeroCount(equal);
        }

        if (Vector256.IsHardwareAccelerated && count <= 4 && distances.Length >= 4)
        {
            var lanes = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(distances));
            var used = Vector256.LessThan(Vector256.Create(0L, 1L, 2L, 3L), Vector256.Create((long)count)).AsDouble();
            lanes = Vector256.ConditionalSelect(used, lanes, Vector256.Create(double.PositiveInfinity));
            var half = Vector128.Min(lanes.GetLower(), lanes.GetUpper());
            double minimum = Math.Min(half.GetElement(0), half.GetElement(1));
            uint equal = Vector256.Equals(lanes, Vector256.Create(minimum)).ExtractMostSignificantBits();
            return BitOperations.TrailingZeroCount(equal);
        }

        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < count; c++)
        {
            if (distances[c] < bestDistance)
            {
                bestDistance = distances[c];
                best = c;
            }
        }

        return best;
    }
}
