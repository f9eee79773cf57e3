using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Poisson;

/// <summary>Boundary checks for columns modelled by a Poisson component: every value must be a non-negative integer count.</summary>
internal static class PoissonValidation
{
    /// <summary>Whether <paramref name="value"/> is a finite, non-negative integer.</summary>
    public static bool IsCount(double value) => value >= 0 && double.IsFinite(value) && value == Math.Floor(value);

    /// <summary>Throws unless every value of a single column (one value per row) is a non-negative integer.</summary>
    /// <param name="values">The column, one value per row.</param>
    /// <param name="parameterName">Name of the public argument the values came from.</param>
    public static void Counts(ReadOnlySpan<double> values, string parameterName) => Column(values, 1, 0, parameterName);

    /// <summary>Throws unless column <paramref name="column"/> of <paramref name="data"/> holds only non-negative integers.</summary>
    /// <param name="data">The data matrix.</param>
    /// <param name="column">Index of the Poisson column.</param>
    /// <param name="parameterName">Name of the public argument the data came from.</param>
    public static void Column(DataMatrix data, int column, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data);
        Column(data.Values, data.Columns, column, parameterName);
    }

    /// <summary>Throws unless column <paramref name="column"/> of row-major values with <paramref name="columns"/> columns holds only non-negative integers.</summary>
    public static void Column(ReadOnlySpan<double> values, int columns, int column, string parameterName)
    {
        for (int i = column; i < values.Length; i += columns)
        {
            double x = values[i];
            if (!IsCount(x))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} has {x} at row {i / columns}, column {column}, which a Poisson component models as a count. Use non-negative integer counts (0, 1, 2, …) in that column: round or remove the value, or model the column with a Normal component."));
            }
        }
    }
}
