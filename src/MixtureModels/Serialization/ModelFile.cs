using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using MixtureModels.Components;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// The envelope of a saved model: format tag, schema version, library version, kind, shape, weights, the kind's body,
/// the fit report and the training labels. Saving builds the whole file in memory before writing it; loading parses
/// and checks the whole file before building the model, so neither leaves anything half done.
/// </summary>
internal static class ModelFile
{
    /// <summary>The value of the "format" property of every model file.</summary>
    public const string Format = "MixtureModels.Model";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The library version written into every file.</summary>
    public static string LibraryVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ModelFile).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Writes <paramref name="model"/> with the body written by <paramref name="writeBody"/> to <paramref name="stream"/>.</summary>
    public static void Save<TComponent>(Stream stream, string kind, FittedMixtureModel<TComponent> model, Action<Utf8JsonWriter> writeBody)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("stream cannot be written to. Pass a writable stream, for example File.Create(path).", nameof(stream));
        }

        var buffer = Write(kind, model, writeBody);
        stream.Write(buffer.WrittenSpan);
        stream.Flush();
    }

    /// <summary>Writes <paramref name="model"/> to the file <paramref name="path"/> (created or overwritten).</summary>
    public static void Save<TComponent>(string path, string kind, FittedMixtureModel<TComponent> model, Action<Utf8JsonWriter> writeBody)
        where TComponent : IComponent
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var buffer = Write(kind, model, writeBody);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(buffer.WrittenSpan);
    }

    /// <summary>Reads a model of kind <paramref name="kind"/> from the file <paramref name="path"/>.</summary>
    public static TModel Load<TModel>(string path, string kind, Func<JsonElement, ModelEnvelope, TModel> build)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Load(file, kind, build);
    }

    /// <summary>Reads a model of kind <paramref name="kind"/> from <paramref name="stream"/>: the envelope here, the body by <paramref name="build"/>.</summary>
    public static TModel Load<TModel>(Stream stream, string kind, Func<JsonElement, ModelEnvelope, TModel> build)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("stream cannot be read. Pass a readable stream, for example File.OpenRead(path).", nameof(stream));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file is not valid JSON; it is truncated or corrupted ({ex.Message}). Save the model again."), ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw Invalid("$.format", $"this is not a MixtureModels model file (it has no \"format\": \"{Format}\").");
            }

            CheckSchemaVersion(root, SchemaVersion, "model file", "load");

            string fileKind = String(root, "kind", "$");
            if (fileKind != kind)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file holds a {fileKind}, not a {kind}. Load it with {fileKind}.Load."));
            }

            _ = String(root, "libraryVersion", "$");
            var envelope = ReadEnvelope(root);
            try
            {
                return build(root, envelope);
            }
            catch (ArgumentException ex)
            {
                // A family setting or component the library's own checks reject.
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The model file is invalid: {ex.Message} The file is corrupted or was not written by MixtureModels; save the model again."), ex);
            }
        }
    }

    private static ArrayBufferWriter<byte> Write<TComponent>(string kind, FittedMixtureModel<TComponent> model, Action<Utf8JsonWriter> writeBody)
        where TComponent : IComponent
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("schemaVersion", SchemaVersion);
            writer.WriteString("libraryVersion", LibraryVersion);
            writer.WriteString("kind", kind);
            writer.WriteNumber("dimension", model.Dimension);
            writer.WriteNumber("componentCount", model.ComponentCount);
            writer.WriteNumber("parameterCount", model.ParameterCount);
            writer.WriteString("missingValues", model.MissingValues.ToString());
            ComponentJson.WriteDoubles(writer, "weights", [.. model.Weights]);
            writeBody(writer);
            WriteReport(writer, model.Report);
            ComponentJson.WriteInts(writer, "trainingLabels", model.TrainingLabels);
            writer.WriteEndObject();
        }

        return buffer;
    }

    private static void WriteReport(Utf8JsonWriter writer, FitReport report)
    {
        writer.WriteStartObject("report");
        writer.WriteBoolean("converged", report.Converged);
        writer.WriteNumber("iterationCount", report.IterationCount);
        writer.WritePropertyName("lowerBound");
        ComponentJson.WriteDouble(writer, report.LowerBound);
        ComponentJson.WriteDoubles(writer, "lowerBoundHistory", [.. report.LowerBoundHistory]);
        ComponentJson.WriteDoubles(writer, "initializationLowerBounds", [.. report.InitializationLowerBounds]);
        writer.WriteNumber("bestInitialization", report.BestInitialization);
        writer.WriteNumber("seed", report.Seed); // added in 0.2.0; optional when read (0)
        writer.WritePropertyName("trainingLogLikelihood");
        ComponentJson.WriteDouble(writer, report.TrainingLogLikelihood);

        // Written since the model search; optional when read, so files written before it still load.
        writer.WritePropertyName("trainingWeight");
        ComponentJson.WriteDouble(writer, report.TrainingWeight);
        writer.WritePropertyName("responsibilityEntropy");
        ComponentJson.WriteDouble(writer, report.ResponsibilityEntropy);
        if (report.ComponentRowCounts.Count > 0)
        {
            ComponentJson.WriteDoubles(writer, "componentRowCounts", [.. report.ComponentRowCounts]);
        }

        if (report.ComponentDegeneracies.Count > 0)
        {
            ComponentJson.WriteInts(writer, "componentDegeneracies", report.ComponentDegeneracies.Select(d => (int)d));
        }

        if (report.DegenerateInitializations.Count > 0)
        {
            ComponentJson.WriteInts(writer, "degenerateInitializations", report.DegenerateInitializations.Select(d => d ? 1 : 0));
        }
        writer.WriteEndObject();
    }

    private static ModelEnvelope ReadEnvelope(JsonElement root)
    {
        int dimension = Int32(root, "dimension", "$", 1);
        int k = Int32(root, "componentCount", "$", 1);
        int parameterCount = Int32(root, "parameterCount", "$", 0);
        var missing = Enum<MissingValueHandling>(root, "missingValues", "$");
        var weights = FiniteArray(root, "weights", "$", k);
        double total = 0;
        for (int i = 0; i < k; i++)
        {
            if (weights[i] < 0)
            {
                throw Invalid(Index("$.weights", i), string.Create(CultureInfo.InvariantCulture, $"{weights[i]:R} is negative; weights must be non-negative."));
            }

            total += weights[i];
        }

        if (!(Math.Abs(total - 1) <= 1e-8))
        {
            throw Invalid("$.weights", string.Create(CultureInfo.InvariantCulture, $"the weights sum to {total:R}, not 1."));
        }

        var report = Object(root, "report", "$");
        var bounds = AnyDoubleArray(report, "initializationLowerBounds", "$.report");
        if (bounds.Length == 0)
        {
            throw Invalid("$.report.initializationLowerBounds", "the array is empty; a fit has at least one initialisation.");
        }

        var fitReport = new FitReport
        {
            Converged = Boolean(report, "converged", "$.report"),
            IterationCount = Int32(report, "iterationCount", "$.report", 0),
            LowerBound = AnyDouble(report, "lowerBound", "$.report"),
            LowerBoundHistory = System.Array.AsReadOnly(AnyDoubleArray(report, "lowerBoundHistory", "$.report")),
            InitializationLowerBounds = System.Array.AsReadOnly(bounds),
            BestInitialization = Int32(report, "bestInitialization", "$.report", 0, bounds.Length - 1),
            Seed = report.TryGetProperty("seed", out _) ? Int32(report, "seed", "$.report", int.MinValue) : 0,
            TrainingLogLikelihood = AnyDouble(report, "trainingLogLikelihood", "$.report"),
            TrainingWeight = report.TryGetProperty("trainingWeight", out _) ? AnyDouble(report, "trainingWeight", "$.report") : double.NaN,
            ResponsibilityEntropy = report.TryGetProperty("responsibilityEntropy", out _) ? AnyDouble(report, "responsibilityEntropy", "$.report") : double.NaN,
            ComponentRowCounts = report.TryGetProperty("componentRowCounts", out _) ? System.Array.AsReadOnly(FiniteArray(report, "componentRowCounts", "$.report")) : [],
            ComponentDegeneracies = report.TryGetProperty("componentDegeneracies", out _)
                ? System.Array.AsReadOnly(System.Array.ConvertAll(Int32Array(report, "componentDegeneracies", "$.report", 0, 3), d => (ComponentDegeneracy)d))
                : [],
            DegenerateInitializations = report.TryGetProperty("degenerateInitializations", out _)
                ? System.Array.AsReadOnly(System.Array.ConvertAll(Int32Array(report, "degenerateInitializations", "$.report", 0, 1, bounds.Length), d => d == 1))
                : [],
        };
        var labels = Int32Array(root, "trainingLabels", "$", 0, k - 1);
        return new ModelEnvelope(dimension, k, parameterCount, missing, weights, fitReport, labels);
    }

    /// <summary>
    /// Reads the "schemaVersion" of a file's root and throws, naming the version, the library that wrote it and the fix,
    /// when it is newer than <paramref name="newest"/>.
    /// </summary>
    /// <param name="root">The root object.</param>
    /// <param name="newest">The newest schema version this library reads.</param>
    /// <param name="what">What the file is ("model file", "statistics file").</param>
    /// <param name="verb">What the user does with it ("load", "read").</param>
    public static void CheckSchemaVersion(JsonElement root, int newest, string what, string verb)
    {
        int version = Int32(root, "schemaVersion", "$", 1);
        if (version > newest)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"The {what} has schema version {version}, written by MixtureModels {TryString(root, "libraryVersion")}, but this library ({LibraryVersion}) reads schema versions up to {newest}. Update the MixtureModels package to {verb} it."));
        }
    }

    private static string TryString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "(unknown version)";
}
