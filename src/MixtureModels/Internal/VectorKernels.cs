using System.Numerics;
using System.Runtime.InteropServices;

namespace MixtureModels.Internal;

/// <summary>Element-wise SIMD kernels over spans (span in, span out, destination last).</summary>
internal static class VectorKernels
{
    /// <summary>destination[i] += scale · x[i].</summary>
    public static void MultiplyAdd(ReadOnlySpan<double> x, double scale, Span<double> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var ds = MemoryMarshal.Cast<double, Vector<double>>(destination);
            var s = new Vector<double>(scale);
            for (int v = 0; v < xs.Length; v++)
            {
                ds[v] += xs[v] * s;
            }

            i = xs.Length * Vector<double>.Count;
        }

        for (; i < x.Length; i++)
        {
            destination[i] += scale * x[i];
        }
    }

    /// <summary>destination[i] += x[i]².</summary>
    public static void AddSquares(ReadOnlySpan<double> x, Span<double> destination)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var ds = MemoryMarshal.Cast<double, Vector<double>>(destination);
            for (int v = 0; v < xs.Length; v++)
            {
                ds[v] += xs[v] * xs[v];
            }

            i = xs.Length * Vector<double>.Count;
        }

        for (; i < x.Length; i++)
        {
            destination[i] += x[i] * x[i];
        }
    }

    /// <summary>Σ x[i]·y[i], in a fixed summation order for a given length.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var ys = MemoryMarshal.Cast<double, Vector<double>>(y);
            var acc = Vector<double>.Zero;
            for (int v = 0; v < xs.Length; v++)
            {
                acc += xs[v] * ys[v];
            }

            sum = Vector.Sum(acc);
            i = xs.Length * Vector<double>.Count;
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// Transposes the centred rows of a block into column-major form: destination[c·count + n] = rows[n·d + c] − center[c].
    /// </summary>
    public static void CenterTranspose(ReadOnlySpan<double> rows, int count, ReadOnlySpan<double> center, Span<double> destination)
    {
        int d = center.Length;
        for (int n = 0; n < count; n++)
        {
            var row = rows.Slice(n * d, d);
            for (int c = 0; c < d; c++)
            {
                destination[(c * count) + n] = row[c] - center[c];
            }
        }
    }
}
