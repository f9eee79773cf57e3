using System.Text.Json;

namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family: writes and reads its statistics type as JSON, so that
/// <see cref="Serialization.StatisticsSerializer"/> can save them, or ship them to another process or machine (a
/// distributed fit merges the statistics of its workers). The built-in families need no converter (the serializer knows
/// their statistics); a family written outside the library implements this interface, usually on the family itself.
/// </summary>
/// <remarks>
/// Write every double with <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> (its shortest round-trip form), and
/// rebuild the statistics from exactly the values written, so that a round trip gives back the same bits. The
/// serializer writes the envelope (format, schema version, library version, <see cref="StatisticsKind"/>, dimension,
/// count) and checks it on reading; <see cref="ReadStatistics"/> reports a bad value by throwing an
/// <see cref="InvalidDataException"/>, <see cref="ArgumentException"/>, <see cref="FormatException"/>,
/// <see cref="KeyNotFoundException"/> or <see cref="InvalidOperationException"/> (what <see cref="JsonElement"/>'s getters
/// throw), which the serializer turns into an <see cref="InvalidDataException"/> naming the JSON path of the statistics object.
/// </remarks>
/// <typeparam name="TStatistics">The statistics type.</typeparam>
public interface IStatisticsJsonConverter<TStatistics>
    where TStatistics : ISufficientStatistics
{
    /// <summary>The name written as the file's "kind" and required on reading (for example "VonMisesStatistics").</summary>
    string StatisticsKind { get; }

    /// <summary>Writes one statistics object as a single JSON value (usually an object holding its properties).</summary>
    /// <param name="writer">The writer, positioned where the value goes.</param>
    /// <param name="statistics">The statistics; not modified.</param>
    void WriteStatistics(Utf8JsonWriter writer, TStatistics statistics);

    /// <summary>Rebuilds statistics from the JSON value <see cref="WriteStatistics"/> wrote.</summary>
    /// <param name="element">The value.</param>
    /// <returns>New statistics with the saved values, which merge and estimate like the saved ones.</returns>
    TStatistics ReadStatistics(JsonElement element);
}
