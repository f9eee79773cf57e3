using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MixtureModels.Numerics;

/// <summary>Throw helpers kept out of hot methods so the callers stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string parameterName, object? value, string fix) =>
        throw new ArgumentOutOfRangeException(parameterName, value, string.Create(CultureInfo.InvariantCulture, $"{parameterName} = {value} is out of range. {fix}"));

    [DoesNotReturn]
    public static void ThrowArgument(string parameterName, string message) =>
        throw new ArgumentException(message, parameterName);

    [DoesNotReturn]
    public static void ThrowNotPositiveDefinite(int componentIndex, double regularization) =>
        throw new CovarianceNotPositiveDefiniteException(componentIndex, regularization);
}
