using System.Globalization;
using System.Runtime.CompilerServices;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Categorical;

/// <summary>
/// The values a categorical column takes: level l is the value levels[l], strictly increasing. The common coding
/// 0, 1, …, L − 1 is kept as null, so that coded columns take the integer fast path and files stay unchanged.
/// </summary>
internal static class CategoricalLevels
{
    /// <summary>Index l of <paramref name="x"/> among the levels, or −1 when it is not one of them (NaN included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(double x, double[]? levels, int levelCount)
    {
        if (levels is null)
        {
            int level = (int)x; // saturating: NaN → 0, caught by the equality test
            return (uint)level < (uint)levelCount && level == x ? level : -1;
        }

        int index = Array.BinarySearch(levels, x);
        return index >= 0 && !double.IsNaN(x) ? index : -1;
    }

    /// <summary>The value of level <paramref name="index"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ValueOf(int index, double[]? levels) => levels is null ? index : levels[index];

    /// <summary>
    /// Checks user-given level values (finite, strictly increasing, at least one) and returns them as stored: null when
    /// they are exactly 0, 1, …, L − 1, else a copy.
    /// </summary>
    public static double[]? Parse(ReadOnlySpan<double> levels, string parameterName)
    {
        if (levels.IsEmpty)
        {
            ThrowHelper.ThrowArgument(parameterName, $"{parameterName} is empty. Pass the values the column takes, at least one, in increasing order (for example [4, 6, 8]).");
        }

        bool coded = true;
        for (int l = 0; l < levels.Length; l++)
        {
            double v = levels[l];
            if (!double.IsFinite(v))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{l}] = {v} is not finite. Pass finite level values."));
            }

            if (l > 0 && !(v > levels[l - 1]))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{l}] = {v} does not exceed {parameterName}[{l - 1}] = {levels[l - 1]}. Pass distinct level values in increasing order."));
            }

            coded &= v == l;
        }

        return coded ? null : levels.ToArray();
    }

    /// <summary>The level values as a read-only list (0, …, L − 1 when coded).</summary>
    public static IReadOnlyList<double> AsList(double[]? levels, int levelCount) =>
        Array.AsReadOnly(levels is null ? Enumerable.Range(0, levelCount).Select(l => (double)l).ToArray() : (double[])levels.Clone());

    /// <summary>"0 to L − 1" for coded levels, else "[4, 6, 8]" (at most six values, then "…"), for messages and ToString.</summary>
    public static string Describe(double[]? levels, int levelCount) =>
        levels is null
            ? string.Create(CultureInfo.InvariantCulture, $"0 to {levelCount - 1}")
            : DisplayText.Vector(levels);
}
