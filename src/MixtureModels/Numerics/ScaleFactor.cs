namespace MixtureModels.Numerics;

/// <summary>The check of a statistics scale factor and the scaling of a span, shared by the statistics types.</summary>
internal static class ScaleFactor
{
    /// <summary>Throws unless <paramref name="factor"/> is finite and non-negative.</summary>
    public static void Check(double factor)
    {
        if (!(factor >= 0) || !double.IsFinite(factor))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(factor), factor, "Use a finite, non-negative scale factor.");
        }
    }

    /// <summary>Multiplies every value by <paramref name="factor"/> in place.</summary>
    public static void Apply(Span<double> values, double factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }
}
