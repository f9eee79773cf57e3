using System.Globalization;
using System.Text;

namespace MixtureModels.Numerics;

/// <summary>Short, culture-invariant text of parameter vectors for the <c>ToString</c> of components and models.</summary>
internal static class DisplayText
{
    /// <summary>The most entries written before an ellipsis.</summary>
    public const int MaxEntries = 6;

    /// <summary>"[v₀, v₁, …]" with at most <see cref="MaxEntries"/> entries in the shortest round-trip form ("…" marks the rest).</summary>
    public static string Vector(ReadOnlySpan<double> values)
    {
        var text = new StringBuilder("[");
        int shown = Math.Min(values.Length, MaxEntries);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(values[i].ToString("G6", CultureInfo.InvariantCulture));
        }

        if (values.Length > shown)
        {
            text.Append(", …");
        }

        return text.Append(']').ToString();
    }
}
