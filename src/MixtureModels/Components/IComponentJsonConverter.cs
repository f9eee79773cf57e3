using System.Text.Json;

namespace MixtureModels.Components;

/// <summary>
/// Optional capability of a family written outside the library: writes and reads its component type as JSON, so that a
/// <see cref="FittedMixtureModel{TComponent}"/> of the family can be saved and loaded by
/// <see cref="Serialization.MixtureModelSerializer"/> in the library's model file format (schema version, library version, kind, weights, fit report, training labels). The
/// built-in families' models are saved by their presets' models (<see cref="GaussianMixtureModel.Save(Stream)"/> and the others).
/// </summary>
/// <remarks>
/// Write every double with <see cref="Utf8JsonWriter.WriteNumberValue(double)"/> and rebuild the component from exactly
/// those values, so that the loaded model gives the same bits. <see cref="ReadComponent"/> reports a bad value by
/// throwing an <see cref="InvalidDataException"/>, <see cref="ArgumentException"/>, <see cref="FormatException"/>,
/// <see cref="KeyNotFoundException"/> or <see cref="InvalidOperationException"/>; loading turns it into an
/// <see cref="InvalidDataException"/> naming the JSON path of the component.
/// </remarks>
/// <typeparam name="TComponent">The component type.</typeparam>
public interface IComponentJsonConverter<TComponent>
    where TComponent : IComponent
{
    /// <summary>The name of the component kind; the file's kind is <c>FittedMixtureModel&lt;ComponentKind&gt;</c> (for example "VonMises").</summary>
    string ComponentKind { get; }

    /// <summary>Writes one component as a single JSON value (usually an object holding its parameters).</summary>
    /// <param name="writer">The writer, positioned where the value goes.</param>
    /// <param name="component">The component.</param>
    void WriteComponent(Utf8JsonWriter writer, TComponent component);

    /// <summary>Rebuilds a component from the JSON value <see cref="WriteComponent"/> wrote.</summary>
    /// <param name="element">The value.</param>
    /// <returns>The component.</returns>
    TComponent ReadComponent(JsonElement element);
}
