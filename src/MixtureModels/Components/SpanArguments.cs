using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components;

/// <summary>
/// Checks of the span arguments of the components' and the mixture's public methods (lengths, NaN and ±∞), done once at
/// the public entry; the unchecked paths behind them (<see cref="IUncheckedComponent"/>) do none.
/// </summary>
internal static class SpanArguments
{
    /// <summary>Throws unless <paramref name="rows"/> holds exactly destinationLength whole rows of <paramref name="dimension"/> values.</summary>
    public static void Block(ReadOnlySpan<double> rows, int destinationLength, int dimension)
    {
        if (rows.Length % dimension != 0)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows has length {rows.Length}, which is not a multiple of the dimension {dimension}. Pass whole rows of {dimension} values each, row after row."));
        }

        int rowCount = rows.Length / dimension;
        if (rowCount < destinationLength)
        {
            ThrowHelper.ThrowArgument(nameof(rows), string.Create(CultureInfo.InvariantCulture, $"rows holds {rowCount} rows of {dimension} values ({rows.Length} values) but destination has {destinationLength} slots. Pass {destinationLength * dimension} values, one row of {dimension} per destination slot."));
        }

        if (rowCount > destinationLength)
        {
            ThrowHelper.ThrowArgument("destination", string.Create(CultureInfo.InvariantCulture, $"destination has length {destinationLength} but rows holds {rowCount} rows of {dimension} values. Pass one destination slot per row."));
        }
    }

    /// <summary>Throws unless <paramref name="length"/> equals <paramref name="dimension"/>.</summary>
    public static void Length(int length, int dimension, string parameterName)
    {
        if (length != dimension)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} has length {length}, not the dimension {dimension}. Pass a span of exactly {dimension} values."));
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN or ±∞ of row-major <paramref name="rows"/>.</summary>
    public static void Finite(ReadOnlySpan<double> rows, int dimension, string parameterName, bool missingAllowedElsewhere)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (!double.IsFinite(rows[i]))
            {
                string fix = double.IsNaN(rows[i]) && missingAllowedElsewhere
                    ? "NaN marks a missing entry only in MarginalLogDensity and ConditionalMean; call MarginalLogDensity for rows with missing entries, or impute them first."
                    : "Remove or impute missing and infinite values first.";
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} contains {rows[i]} at row {i / dimension}, column {i % dimension}. {fix}"));
            }
        }
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first NaN (for components whose support check already maps ±∞ to log-density −∞).</summary>
    public static void NotNaN(ReadOnlySpan<double> rows, int dimension, string parameterName)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (double.IsNaN(rows[i]))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} contains NaN at row {i / dimension}, column {i % dimension}. NaN marks a missing entry only in MarginalLogDensity and ConditionalMean; call MarginalLogDensity for rows with missing entries, or impute them first."));
            }
        }
    }

    /// <summary>
    /// Checks rows in which NaN means "not observed": throws for ±∞ and (with <paramref name="needObserved"/>) for a
    /// row with every entry missing.
    /// </summary>
    public static void ObservedOrMissing(ReadOnlySpan<double> rows, int dimension, string parameterName, bool needObserved = true)
    {
        for (int r = 0; r < rows.Length / dimension; r++)
        {
            bool any = false;
            for (int c = 0; c < dimension; c++)
            {
                double v = rows[(r * dimension) + c];
                if (double.IsInfinity(v))
                {
                    ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} contains {v} at row {r}, column {c}. Infinite values are invalid even where NaN marks a missing entry; remove or replace them."));
                }

                any |= !double.IsNaN(v);
            }

            if (!any && needObserved)
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} row {r} has every entry missing (NaN). Give every row at least one observed value."));
            }
        }
    }

    /// <summary>Whether any entry is NaN.</summary>
    public static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (double.IsNaN(v))
            {
                return true;
            }
        }

        return false;
    }
}
