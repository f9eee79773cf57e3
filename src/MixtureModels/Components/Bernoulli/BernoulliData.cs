using System.Globalization;

namespace MixtureModels.Components.Bernoulli;

/// <summary>Input checks for binary data, done once at the public boundary of Bernoulli estimators and models.</summary>
internal static class BernoulliData
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming the first entry that is not exactly 0 or 1 (NaN included).</summary>
    /// <param name="data">The data to check.</param>
    /// <param name="parameterName">Name of the caller's parameter, used in the message.</param>
    /// <param name="allowMissing">Whether NaN (a missing entry) is accepted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">An entry is not 0 or 1.</exception>
    public static void EnsureBinary(DataMatrix data, string parameterName, bool allowMissing = false)
    {
        ArgumentNullException.ThrowIfNull(data, parameterName);
        var values = data.Values;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v != 0 && v != 1 && !(allowMissing && double.IsNaN(v)))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{parameterName}[{i / data.Columns}, {i % data.Columns}] = {v} is not 0 or 1. Bernoulli components model binary data: binarise the column first (for example x >= threshold ? 1 : 0), or use a model for counts or continuous values."),
                    parameterName);
            }
        }
    }
}
