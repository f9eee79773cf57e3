using System.Globalization;
using MixtureModels.Numerics;

namespace MixtureModels;

/// <summary>Checks of the column lists that Marginalize and Condition take.</summary>
internal static class ColumnSelection
{
    /// <summary>Checks a list of column indices: non-empty, in [0, D), distinct, and not all D columns.</summary>
    public static int[] CheckColumns(IReadOnlyList<int>? columns, int dimension, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(columns, parameterName);
        if (columns.Count == 0)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} is empty. List at least one column index in [0, {dimension})."));
        }

        var seen = new int[dimension];
        var result = new int[columns.Count];
        for (int i = 0; i < columns.Count; i++)
        {
            int column = columns[i];
            if ((uint)column >= (uint)dimension)
            {
                ThrowHelper.ThrowArgumentOutOfRange(parameterName, column, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] must be a column index in [0, {dimension})."));
            }

            if (seen[column] != 0)
            {
                ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i}] = {column} repeats {parameterName}[{seen[column] - 1}]. List each column once."));
            }

            seen[column] = i + 1;
            result[i] = column;
        }

        if (result.Length == dimension)
        {
            ThrowHelper.ThrowArgument(parameterName, string.Create(CultureInfo.InvariantCulture, $"{parameterName} lists all {dimension} columns, so no column would remain. Leave at least one column out."));
        }

        return result;
    }

    /// <summary>The identity column map 0, 1, …, D − 1.</summary>
    public static int[] Identity(int dimension)
    {
        var result = new int[dimension];
        for (int i = 0; i < dimension; i++)
        {
            result[i] = i;
        }

        return result;
    }
}
