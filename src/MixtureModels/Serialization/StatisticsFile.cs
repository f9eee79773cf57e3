using System.Buffers;
using System.Globalization;
using System.Text.Json;
using MixtureModels.Components;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// The envelope of saved statistics: format tag, schema version, library version, kind (the statistics type's name or
/// the user converter's <see cref="IStatisticsJsonConverter{TStatistics}.StatisticsKind"/>), dimension, count and the
/// statistics. Writing builds the whole file in memory first; reading parses and checks all of it before returning, so
/// neither leaves anything half done.
/// </summary>
internal static class StatisticsFile
{
    /// <summary>The value of the "format" property of every statistics file.</summary>
    public const string Format = "MixtureModels.Statistics";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Writes K statistics of <paramref name="family"/> as UTF-8 JSON.</summary>
    public static ArrayBufferWriter<byte> Write<TComponent, TStatistics>(IReadOnlyList<TStatistics> statistics, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(family);
        var codec = Codec<TComponent, TStatistics>.For(family);
        for (int i = 0; i < statistics.Count; i++)
        {
            if (statistics[i] is null || statistics[i].Dimension != family.Dimension)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"statistics[{i}] is null or has dimension {statistics[i]?.Dimension} but the family has dimension {family.Dimension}. Pass statistics created by this family."), nameof(statistics));
            }
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("schemaVersion", SchemaVersion);
            writer.WriteString("libraryVersion", ModelFile.LibraryVersion);
            writer.WriteString("kind", codec.Kind);
            writer.WriteNumber("dimension", family.Dimension);
            writer.WriteNumber("count", statistics.Count);
            writer.WriteStartArray("statistics");
            foreach (var s in statistics)
            {
                codec.Write(writer, s);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer;
    }

    /// <summary>Reads statistics of <paramref name="family"/> from UTF-8 JSON; <paramref name="expectedCount"/> ≥ 0 requires that many.</summary>
    public static TStatistics[] Read<TComponent, TStatistics>(JsonDocument document, IComponentFamily<TComponent, TStatistics> family, int expectedCount)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var codec = Codec<TComponent, TStatistics>.For(family);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
        {
            bool model = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == ModelFile.Format;
            throw Invalid("$.format", model
                ? $"this is a model file (\"{ModelFile.Format}\"), not a statistics file. Load it with the model's Load."
                : $"this is not a MixtureModels statistics file (it has no \"format\": \"{Format}\").");
        }

        ModelFile.CheckSchemaVersion(root, SchemaVersion, "statistics file", "read");

        _ = String(root, "libraryVersion", "$");
        string kind = String(root, "kind", "$");
        if (kind != codec.Kind)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The statistics file holds {kind}, not {codec.Kind} (the statistics of {family.GetType().Name}). Read it with the family that wrote it."));
        }

        int dimension = Int32(root, "dimension", "$", 1);
        if (dimension != family.Dimension)
        {
            throw Invalid("$.dimension", string.Create(CultureInfo.InvariantCulture, $"the file's statistics have dimension {dimension} but the family has dimension {family.Dimension}."));
        }

        int count = Int32(root, "count", "$", 0);
        if (expectedCount >= 0 && count != expectedCount)
        {
            throw Invalid("$.count", string.Create(CultureInfo.InvariantCulture, $"the file holds {count} statistics objects but {expectedCount} is expected. Read it with Deserialize, which returns all of them."));
        }

        var items = Array(root, "statistics", "$", count);
        var result = new TStatistics[count];
        for (int i = 0; i < count; i++)
        {
            string path = Index("$.statistics", i);
            var s = codec.Read(items[i], path);
            if (s is null || s.Dimension != family.Dimension)
            {
                throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"the converter returned {(s is null ? "null" : "statistics of dimension " + s.Dimension.ToString(CultureInfo.InvariantCulture))}, but the family has dimension {family.Dimension}."));
            }

            result[i] = s;
        }

        return result;
    }

    /// <summary>Parses UTF-8 JSON, turning a syntax error (a truncated or corrupted file) into an <see cref="InvalidDataException"/>.</summary>
    public static JsonDocument Parse(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("stream cannot be read. Pass a readable stream, for example File.OpenRead(path).", nameof(stream));
        }

        try
        {
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }
    }

    /// <summary>Parses UTF-8 JSON bytes (copied), as <see cref="Parse(Stream)"/>.</summary>
    public static JsonDocument Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }
    }

    private static InvalidDataException NotJson(JsonException ex) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The statistics file is not valid JSON; it is truncated or corrupted ({ex.Message}). Write it again."), ex);

    /// <summary>How one family's statistics are written and read: its own converter, or the built-in JSON.</summary>
    private sealed record Codec<TComponent, TStatistics>(string Kind, Action<Utf8JsonWriter, TStatistics> Write, Func<JsonElement, string, TStatistics?> Read)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        public static Codec<TComponent, TStatistics> For(IComponentFamily<TComponent, TStatistics> family)
        {
            if (family is IStatisticsJsonConverter<TStatistics> converter)
            {
                return new(converter.StatisticsKind, converter.WriteStatistics, (element, path) => UserConverter.Guard(path, () => converter.ReadStatistics(element)));
            }

            var template = family.CreateStatistics(default);
            if (StatisticsJson.IsBuiltIn(template))
            {
                return new(template.GetType().Name, (writer, s) => StatisticsJson.Write(writer, s), (element, path) => (TStatistics)StatisticsJson.Read(element, path, family.CreateStatistics(default)));
            }

            throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{family.GetType().Name}'s statistics ({typeof(TStatistics).Name}) have no JSON form. Implement IStatisticsJsonConverter<{typeof(TStatistics).Name}> on the family."));
        }
    }
}
