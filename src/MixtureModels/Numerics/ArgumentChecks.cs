namespace MixtureModels.Numerics;

/// <summary>Checks of single arguments (counts, non-negative numbers, degrees of parallelism), shared by every layer.</summary>
internal static class ArgumentChecks
{
    /// <summary>Throws unless min ≤ value.</summary>
    public static void AtLeast(int value, int minimum, string parameterName, string fix)
    {
        if (value < minimum)
        {
            ThrowHelper.ThrowArgumentOutOfRange(parameterName, value, fix);
        }
    }

    /// <summary>Throws unless value is finite and ≥ 0.</summary>
    public static void NonNegative(double value, string parameterName, string fix)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            ThrowHelper.ThrowArgumentOutOfRange(parameterName, value, fix);
        }
    }

    /// <summary>Throws unless value is -1 or positive.</summary>
    public static void DegreeOfParallelism(int value, string parameterName)
    {
        if (value == 0 || value < -1)
        {
            ThrowHelper.ThrowArgumentOutOfRange(parameterName, value, "Use -1 for all cores or a positive number of threads.");
        }
    }
}
