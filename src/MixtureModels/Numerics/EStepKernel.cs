using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MixtureModels.Numerics;

/// <summary>
/// The E-step on one block of rows, shared by the EM engine and the fitted model's queries: log-sum-exp and
/// responsibilities from the joint log-densities (which <c>ComponentDensities</c> computes from the components).
/// </summary>
internal static class EStepKernel
{
    /// <summary>
    /// ln of the smallest normal double (≈ −708.4). Relative responsibilities below exp of this are flushed to zero:
    /// they cannot change any sum, and subnormal numbers would slow every later multiplication on most CPUs.
    /// </summary>
    internal const double SmallestNormalExponent = -708.3964185322641;

    /// <summary>log Σ_k exp(logProb[k·stride + n]) for row n, and the index of the largest term (the first on ties).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double RowLogSumExp(ReadOnlySpan<double> logProb, int n, int componentCount, int stride, out int best)
    {
        double max = double.NegativeInfinity;
        best = 0;
        for (int k = 0; k < componentCount; k++)
        {
            double v = logProb[(k * stride) + n];
            if (v > max)
            {
                max = v;
                best = k;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double total = 0;
        for (int k = 0; k < componentCount; k++)
        {
            total += Math.Exp(logProb[(k * stride) + n] - max);
        }

        return max + Math.Log(total);
    }

    /// <summary>
    /// <see cref="RowLogSumExp"/> for every row of a block, vectorised over rows: logLikelihood[n] = log Σ_k
    /// exp(logProb[k·stride + n]) and, unless <paramref name="labels"/> is empty, labels[n] = the index of the largest
    /// term (the first on ties). Rows whose terms are all −∞ get −∞ and label 0, as on the scalar path.
    /// </summary>
    /// <param name="logProb">K × stride joint log-densities.</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) per row.</param>
    /// <param name="labels">Receives the most probable component per row, or empty.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSumExp(ReadOnlySpan<double> logProb, int count, int componentCount, int stride, Span<double> logLikelihood, Span<int> labels)
    {
        int n = Lanes512.IsSupported ? LogSumExpVectors<Lanes512>(logProb, count, componentCount, stride, logLikelihood, labels)
            : Lanes256.IsSupported ? LogSumExpVectors<Lanes256>(logProb, count, componentCount, stride, logLikelihood, labels)
            : 0;
        for (; n < count; n++)
        {
            logLikelihood[n] = RowLogSumExp(logProb, n, componentCount, stride, out int best);
            if (!labels.IsEmpty)
            {
                labels[n] = best;
            }
        }
    }

    /// <summary>
    /// Turns row n of the joint log-densities into responsibilities in place, p_k = exp(l_k − max) / Σ_j exp(l_j − max)
    /// (a term below e^−708 relative to the largest is flushed to 0), and returns log Σ_k exp(l_k). Normalising against the row maximum keeps every row finite and summing to 1 even
    /// when the log-densities are huge and negative; a row where every term is −∞ gets uniform responsibilities.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double NormalizeRow(Span<double> logProb, int n, int componentCount, int stride)
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < componentCount; k++)
        {
            max = Math.Max(max, logProb[(k * stride) + n]);
        }

        if (double.IsNegativeInfinity(max))
        {
            for (int k = 0; k < componentCount; k++)
            {
                logProb[(k * stride) + n] = 1.0 / componentCount;
            }

            return max;
        }

        double total = 0;
        for (int k = 0; k < componentCount; k++)
        {
            double shifted = logProb[(k * stride) + n] - max;
            double p = shifted > SmallestNormalExponent ? Math.Exp(shifted) : 0.0;
            logProb[(k * stride) + n] = p;
            total += p;
        }

        for (int k = 0; k < componentCount; k++)
        {
            logProb[(k * stride) + n] /= total;
        }

        return max + Math.Log(total);
    }

    /// <summary>
    /// The E-step of a block, vectorised over rows: turns the joint log-densities logProb[k·stride + n] into
    /// responsibilities × row weight in place and writes log p(xₙ) = log Σ_k exp(logProb) into
    /// <paramref name="logLikelihood"/>. Rows are normalised against their maximum as in <see cref="NormalizeRow"/>.
    /// </summary>
    /// <param name="logProb">K × stride joint log-densities; overwritten with wₙ·p(z = k | xₙ).</param>
    /// <param name="count">Rows in the block.</param>
    /// <param name="componentCount">K.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    /// <param name="rowWeights">wₙ per row, or empty for weight 1.</param>
    /// <param name="logLikelihood">Receives log p(xₙ) per row.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Responsibilities(Span<double> logProb, int count, int componentCount, int stride, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood)
    {
        int n = Lanes512.IsSupported ? ResponsibilitiesVectors<Lanes512>(logProb, count, componentCount, stride, rowWeights, logLikelihood)
            : Lanes256.IsSupported ? ResponsibilitiesVectors<Lanes256>(logProb, count, componentCount, stride, rowWeights, logLikelihood)
            : 0;
        for (; n < count; n++)
        {
            logLikelihood[n] = NormalizeRow(logProb, n, componentCount, stride);
            double w = rowWeights.IsEmpty ? 1.0 : rowWeights[n];
            for (int k = 0; k < componentCount; k++)
            {
                logProb[(k * stride) + n] *= w;
            }
        }
    }

    /// <summary>
    /// The index of the largest log π_k + log p(xₙ | θ_k) of every row (the first on ties), as <see cref="RowLogSumExp"/>
    /// reports it, without the exponentials: labels need no normalisation.
    /// </summary>
    /// <param name="logProb">K × stride joint log-densities.</param>
    /// <param name="count">Rows in the block (at most 256).</param>
    /// <param name="componentCount">K.</param>
    /// <param name="stride">Distance between components in <paramref name="logProb"/>.</param>
    /// <param name="labels">Receives one index per row.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ArgMax(ReadOnlySpan<double> logProb, int count, int componentCount, int stride, Span<int> labels)
    {
        const int Lanes = 4;
        int start = 0;
        if (Vector256.IsHardwareAccelerated && logProb.Length >= ((componentCount - 1) * stride) + count)
        {
            // Four rows at a time, without branches: a lane takes component k only where it is strictly larger.
            ref double lp = ref MemoryMarshal.GetReference(logProb);
            for (; start + Lanes <= count; start += Lanes)
            {
                var max = Vector256.LoadUnsafe(ref lp, (nuint)start);
                var best = Vector256<long>.Zero;
                for (int k = 1; k < componentCount; k++)
                {
                    var v = Vector256.LoadUnsafe(ref lp, (nuint)((k * stride) + start));
                    var greater = Vector256.GreaterThan(v, max);
                    max = Vector256.ConditionalSelect(greater, v, max);
                    best = Vector256.ConditionalSelect(greater.AsInt64(), Vector256.Create((long)k), best);
                }

                labels[start] = (int)best.GetElement(0);
                labels[start + 1] = (int)best.GetElement(1);
                labels[start + 2] = (int)best.GetElement(2);
                labels[start + 3] = (int)best.GetElement(3);
            }
        }

        for (int n = start; n < count; n++)
        {
            double best = logProb[n];
            int label = 0;
            for (int k = 1; k < componentCount; k++)
            {
                double v = logProb[(k * stride) + n];
                if (v > best)
                {
                    best = v;
                    label = k;
                }
            }

            labels[n] = label;
        }
    }

    /// <summary>
    /// count += Σₙ wₙ·rₙ and entropy += Σₙ wₙ·(−rₙ ln rₙ) over one component's responsibilities (0 ln 0 = 0), a vector
    /// of rows at a time where <see cref="Lanes512"/> or <see cref="Lanes256"/> is supported, the rest one row at a time.
    /// </summary>
    /// <param name="responsibilities">rₙ of one component for the rows of a block, in [0, 1].</param>
    /// <param name="rowWeights">wₙ, or empty for weight 1.</param>
    /// <param name="count">The running weighted count.</param>
    /// <param name="entropy">The running weighted entropy.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddCountAndEntropy(ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> rowWeights, ref double count, ref double entropy)
    {
        int n = Lanes512.IsSupported ? AddCountAndEntropyVectors<Lanes512>(responsibilities, rowWeights, ref count, ref entropy)
            : Lanes256.IsSupported ? AddCountAndEntropyVectors<Lanes256>(responsibilities, rowWeights, ref count, ref entropy)
            : 0;
        for (; n < responsibilities.Length; n++)
        {
            double r = responsibilities[n];
            double w = rowWeights.IsEmpty ? 1.0 : rowWeights[n];
            count += w * r;
            if (r > 0)
            {
                entropy -= w * (r * Math.Log(r));
            }
        }
    }

    /// <summary>
    /// <see cref="LogSumExp"/> a vector of rows at a time (eight with AVX-512, four with AVX2) with the inlined exponential
    /// and logarithm of <see cref="BlockVectorMath"/>; returns the rows done (whole vectors; a vector with a row where
    /// every term is −∞ goes row by row). Terms below e^−708 relative to the row's largest, which add nothing to a total
    /// of at least 1, are left out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LogSumExpVectors<TLanes>(ReadOnlySpan<double> logProb, int count, int componentCount, int stride, Span<double> logLikelihood, Span<int> labels)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int lanes = TLanes.Count;
        ref double lp = ref MemoryMarshal.GetReference(logProb);
        var negativeInfinity = TLanes.Create(double.NegativeInfinity);
        var smallest = TLanes.Create(SmallestNormalExponent);
        int n = 0;
        for (; n + lanes <= count; n += lanes)
        {
            var max = negativeInfinity;
            var best = TLanes.Zero; // the component index of each lane's maximum, exact as a double
            for (int k = 0; k < componentCount; k++)
            {
                var v = TLanes.Load(ref lp, (nuint)((k * stride) + n));
                best = TLanes.SelectWhereGreater(v, max, TLanes.Create(k), best);
                max = TLanes.SelectWhereGreater(v, max, v, max);
            }

            if (TLanes.AnyNegativeInfinity(max))
            {
                // Rare: a row where every term is −∞. These rows one at a time.
                for (int row = n; row < n + lanes; row++)
                {
                    logLikelihood[row] = RowLogSumExp(logProb, row, componentCount, stride, out int label);
                    if (!labels.IsEmpty)
                    {
                        labels[row] = label;
                    }
                }

                continue;
            }

            var total = TLanes.Zero;
            for (int k = 0; k < componentCount; k++)
            {
                var shifted = TLanes.Load(ref lp, (nuint)((k * stride) + n)) - max;
                total += TLanes.WhereGreater(shifted, smallest, BlockVectorMath.ExpNonPositive(shifted));
            }

            TLanes.Store(max + BlockVectorMath.LogPositive(total), ref logLikelihood[n], 0);
            if (!labels.IsEmpty)
            {
                for (int lane = 0; lane < lanes; lane++)
                {
                    labels[n + lane] = (int)TLanes.GetElement(best, lane);
                }
            }
        }

        return n;
    }

    /// <summary>
    /// <see cref="Responsibilities"/> a vector of rows at a time (eight with AVX-512, four with AVX2) with the inlined
    /// exponential and logarithm of <see cref="BlockVectorMath"/>; returns the rows done (whole vectors; a vector with a
    /// row where every term is −∞ goes row by row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ResponsibilitiesVectors<TLanes>(Span<double> logProb, int count, int componentCount, int stride, ReadOnlySpan<double> rowWeights, Span<double> logLikelihood)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        int lanes = TLanes.Count;
        ref double lp = ref MemoryMarshal.GetReference(logProb);
        var smallest = TLanes.Create(SmallestNormalExponent);
        int n = 0;
        for (; n + lanes <= count; n += lanes)
        {
            var max = TLanes.Load(ref lp, (nuint)n);
            for (int k = 1; k < componentCount; k++)
            {
                max = TLanes.MaxNumber(max, TLanes.Load(ref lp, (nuint)((k * stride) + n)));
            }

            if (TLanes.AnyNegativeInfinity(max))
            {
                // Rare: a row where every term is −∞. These rows one at a time, as the scalar path does.
                for (int row = n; row < n + lanes; row++)
                {
                    logLikelihood[row] = NormalizeRow(logProb, row, componentCount, stride);
                    double w = rowWeights.IsEmpty ? 1.0 : rowWeights[row];
                    for (int k = 0; k < componentCount; k++)
                    {
                        logProb[(k * stride) + row] *= w;
                    }
                }

                continue;
            }

            var total = TLanes.Zero;
            for (int k = 0; k < componentCount; k++)
            {
                ref double target = ref Unsafe.Add(ref lp, (k * stride) + n);
                var shifted = TLanes.Load(ref target, 0) - max;
                var e = TLanes.WhereGreater(shifted, smallest, BlockVectorMath.ExpNonPositive(shifted));
                TLanes.Store(e, ref target, 0);
                total += e;
            }

            var weight = rowWeights.IsEmpty ? TLanes.Create(1.0) : TLanes.Create(rowWeights.Slice(n, lanes));
            var scale = weight / total;
            for (int k = 0; k < componentCount; k++)
            {
                ref double target = ref Unsafe.Add(ref lp, (k * stride) + n);
                TLanes.Store(TLanes.Load(ref target, 0) * scale, ref target, 0);
            }

            TLanes.Store(max + BlockVectorMath.LogPositive(total), ref logLikelihood[n], 0);
        }

        return n;
    }

    /// <summary>
    /// <see cref="AddCountAndEntropy"/> a vector of rows at a time (eight with AVX-512, four with AVX2) with the inlined
    /// logarithm of <see cref="BlockVectorMath"/> (subnormal responsibilities scaled by 2⁵⁴ first); returns the rows done.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int AddCountAndEntropyVectors<TLanes>(ReadOnlySpan<double> responsibilities, ReadOnlySpan<double> rowWeights, ref double count, ref double entropy)
        where TLanes : unmanaged, ILanes<TLanes>
    {
        const double SmallestNormal = 2.2250738585072014E-308;
        const double Scale = 18014398509481984.0;              // 2^54
        const double LogScale = 37.429947750237046;            // 54 ln 2
        int lanes = TLanes.Count;
        var counts = TLanes.Zero;
        var entropies = TLanes.Zero;
        var one = TLanes.Create(1.0);
        var smallestNormal = TLanes.Create(SmallestNormal);
        int n = 0;
        for (; n + lanes <= responsibilities.Length; n += lanes)
        {
            var r = TLanes.Create(responsibilities.Slice(n, lanes));
            var w = rowWeights.IsEmpty ? one : TLanes.Create(rowWeights.Slice(n, lanes));

            // log r of the positive lanes (1 elsewhere, whose log 0 adds nothing); a positive subnormal r scaled into the
            // normal range first and 54 ln 2 taken off its log afterwards (+0 off the others).
            var argument = TLanes.SelectWhereGreater(r, TLanes.Zero, r, one);
            var scaled = TLanes.SelectWhereGreater(smallestNormal, argument, argument * TLanes.Create(Scale), argument);
            var logR = BlockVectorMath.LogPositive(scaled) - TLanes.WhereGreater(smallestNormal, argument, TLanes.Create(LogScale));
            counts += w * r;
            entropies -= w * (r * logR);
        }

        count += TLanes.Sum(counts);
        entropy += TLanes.Sum(entropies);
        return n;
    }

    /// <summary>log of every weight (−∞ for a zero weight).</summary>
    public static double[] LogWeights(IReadOnlyList<double> weights)
    {
        var result = new double[weights.Count];
        for (int k = 0; k < result.Length; k++)
        {
            result[k] = Math.Log(weights[k]);
        }

        return result;
    }
}
