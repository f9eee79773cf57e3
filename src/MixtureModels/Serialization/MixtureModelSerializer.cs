using System.Globalization;
using System.Text.Json;
using MixtureModels.Components;
using static MixtureModels.Serialization.ModelJsonReader;

namespace MixtureModels.Serialization;

/// <summary>
/// Saves and loads a <see cref="FittedMixtureModel{TComponent}"/> of a family written outside the library, in the
/// library's model file format (format tag, schema version, library version, kind, dimension, component count, parameter
/// count, missing-value setting, weights, the fit report and the training labels), with the components written by the
/// family's <see cref="IComponentJsonConverter{TComponent}"/>. The file's kind is <c>FittedMixtureModel&lt;ComponentKind&gt;</c>.
/// A round trip is bit-exact when the converter writes every double with <see cref="Utf8JsonWriter.WriteNumberValue(double)"/>
/// and rebuilds components from exactly those values. The built-in families' models are saved by their presets' models
/// (<see cref="GaussianMixtureModel.Save(Stream)"/> and the others).
/// </summary>
/// <example>
/// <code>
/// MixtureModelSerializer.Save(model, stream, family);          // family : IComponentJsonConverter&lt;VonMisesComponent&gt;
/// FittedMixtureModel&lt;VonMisesComponent&gt; loaded = MixtureModelSerializer.Load(stream, family);
/// </code>
/// </example>
public static class MixtureModelSerializer
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="stream"/> (built in memory first; the stream is not closed).</summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="stream">A writable stream.</param>
    /// <param name="family">The model's family; it must implement <see cref="IComponentJsonConverter{TComponent}"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable.</exception>
    /// <exception cref="NotSupportedException">The family does not implement <see cref="IComponentJsonConverter{TComponent}"/>.</exception>
    public static void Save<TComponent, TStatistics>(FittedMixtureModel<TComponent> model, Stream stream, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(model);
        var converter = ConverterOf(family);
        ModelFile.Save(stream, Kind(converter), model, writer => WriteComponents(writer, converter, model));
    }

    /// <summary>Writes <paramref name="model"/> to the file <paramref name="path"/> (created or overwritten).</summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="family">The model's family; it must implement <see cref="IComponentJsonConverter{TComponent}"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="family"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="NotSupportedException">The family does not implement <see cref="IComponentJsonConverter{TComponent}"/>.</exception>
    public static void Save<TComponent, TStatistics>(FittedMixtureModel<TComponent> model, string path, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(model);
        var converter = ConverterOf(family);
        ModelFile.Save(path, Kind(converter), model, writer => WriteComponents(writer, converter, model));
    }

    /// <summary>Reads a model written by <see cref="Save{TComponent, TStatistics}(FittedMixtureModel{TComponent}, Stream, IComponentFamily{TComponent, TStatistics})"/>; the whole file is checked before the model is built.</summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="stream">A readable stream positioned at the JSON; not closed.</param>
    /// <param name="family">The family (its dimension, parameter count and data check serve the loaded model); it must implement <see cref="IComponentJsonConverter{TComponent}"/>.</param>
    /// <returns>The model, which answers every query as the saved one did.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file of this kind; the message names the JSON path and what is wrong.</exception>
    /// <exception cref="NotSupportedException">The family does not implement <see cref="IComponentJsonConverter{TComponent}"/>.</exception>
    public static FittedMixtureModel<TComponent> Load<TComponent, TStatistics>(Stream stream, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var converter = ConverterOf(family);
        return ModelFile.Load(stream, Kind(converter), (root, envelope) => Build(root, envelope, family, converter));
    }

    /// <summary>Reads a model from the file <paramref name="path"/> as <see cref="Load{TComponent, TStatistics}(Stream, IComponentFamily{TComponent, TStatistics})"/> does.</summary>
    /// <typeparam name="TComponent">The component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="path">The file to read.</param>
    /// <param name="family">The family; it must implement <see cref="IComponentJsonConverter{TComponent}"/>.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid model file of this kind.</exception>
    /// <exception cref="NotSupportedException">The family does not implement <see cref="IComponentJsonConverter{TComponent}"/>.</exception>
    public static FittedMixtureModel<TComponent> Load<TComponent, TStatistics>(string path, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        var converter = ConverterOf(family);
        return ModelFile.Load(path, Kind(converter), (root, envelope) => Build(root, envelope, family, converter));
    }

    private static string Kind<TComponent>(IComponentJsonConverter<TComponent> converter)
        where TComponent : IComponent =>
        string.Create(CultureInfo.InvariantCulture, $"FittedMixtureModel<{converter.ComponentKind}>");

    private static IComponentJsonConverter<TComponent> ConverterOf<TComponent, TStatistics>(IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(family);
        return family as IComponentJsonConverter<TComponent>
            ?? throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"{family.GetType().Name} does not implement IComponentJsonConverter<{typeof(TComponent).Name}>, so its models have no JSON form. Implement it on the family (the built-in families' models are saved by GaussianMixtureModel.Save and the other preset models)."));
    }

    private static void WriteComponents<TComponent>(Utf8JsonWriter writer, IComponentJsonConverter<TComponent> converter, FittedMixtureModel<TComponent> model)
        where TComponent : IComponent
    {
        writer.WriteStartArray("components");
        foreach (var component in model.Components)
        {
            converter.WriteComponent(writer, component);
        }

        writer.WriteEndArray();
    }

    private static FittedMixtureModel<TComponent> Build<TComponent, TStatistics>(JsonElement root, ModelEnvelope envelope, IComponentFamily<TComponent, TStatistics> family, IComponentJsonConverter<TComponent> converter)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        if (envelope.Dimension != family.Dimension)
        {
            throw Invalid("$.dimension", string.Create(CultureInfo.InvariantCulture, $"the file's model has dimension {envelope.Dimension} but the family has dimension {family.Dimension}."));
        }

        var items = Array(root, "components", "$", envelope.ComponentCount);
        var components = new TComponent[items.Length];
        for (int k = 0; k < items.Length; k++)
        {
            string path = Index("$.components", k);
            var component = UserConverter.Guard(path, () => converter.ReadComponent(items[k]));
            if (component is null || component.Dimension != envelope.Dimension)
            {
                throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"the converter returned {(component is null ? "null" : "a component of dimension " + component.Dimension.ToString(CultureInfo.InvariantCulture))}, but the model has dimension {envelope.Dimension}."));
            }

            components[k] = component;
        }

        return new FittedMixtureModel<TComponent>(envelope.Outcome(family, components));
    }
}
