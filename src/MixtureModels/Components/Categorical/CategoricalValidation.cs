using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels.Components.Categorical;

/// <summary>Boundary checks for columns modelled by a categorical component: every value must be an integer level in [0, L).</summary>
internal static class CategoricalValidation
{
    /// <summary>Whether <paramref name="value"/> is one of the integers 0, …, <paramref name="levelCount"/> − 1.</summary>
    public static bool IsLevel(double value, int levelCount) => value >= 0 && value < levelCount && value == Math.Floor(value);

    /// <summary>Throws unless every value of a single column (one value per row) is an integer level in [0, <paramref name="levelCount"/>).</summary>
    /// <param name="values">The column, one value per row.</param>
    /// <param name="levelCount">L.</param>
    /// <param name="parameterName">Name of the public argument the values came from.</param>
    public static void Levels(ReadOnlySpan<double> values, int levelCount, string parameterName) => Column(values, 1, 0, levelCount, parameterName);

    /// <summary>Throws unless column <paramref name="column"/> of <paramref name="data"/> holds only integer levels in [0, <paramref name="levelCount"/>).</summary>
    /// <param name="data">The data matrix.</param>
    /// <param name="column">Index of the categorical column.</param>
    /// <param name="levelCount">L.</param>
    /// <param name="parameterName">Name of the public argument the data came from.</param>
    public static void Column(DataMatrix data, int column, int levelCount, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data);
        Column(data.Values, data.Columns, column, levelCount, parameterName);
    }

    /// <summary>Throws unless column <paramref name="column"/> of row-major values with <paramref name="columns"/> columns holds only integer levels in [0, <paramref name="levelCount"/>).</summary>
    public static void Column(ReadOnlySpan<double> values, int columns, int column, int levelCount, string parameterName)
    {
        for (int i = column; i < values.Length; i += columns)
        {
            double x = values[i];
            if (!IsLevel(x, levelCount))
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} has {x} at row {i / columns}, column {column}, which a categorical component with {levelCount} levels models as a level. Code that column as the integers 0 to {levelCount - 1} (one per category), or raise the level count."));
            }
        }
    }
}
