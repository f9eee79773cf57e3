using System.Globalization;
using System.Text.Json;

namespace MixtureModels.Serialization;

/// <summary>
/// Typed reads of a model file's JSON with checks: every failure is an <see cref="InvalidDataException"/> whose message
/// names the JSON path of the bad value, what is wrong and what to do.
/// </summary>
internal static class ModelJsonReader
{
    /// <summary>The exception for a bad value at <paramref name="path"/>.</summary>
    public static InvalidDataException Invalid(string path, string problem) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The file is invalid at {path}: {problem} The file is corrupted or was not written by MixtureModels; save it again."));

    /// <summary>A required property of an object.</summary>
    public static JsonElement Property(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"the required property \"{name}\" is missing."));
        }

        return value;
    }

    /// <summary>A required object property.</summary>
    public static JsonElement Object(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name, path);
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(Child(path, name), $"expected an object but found {Describe(value)}.");
        }

        return value;
    }

    /// <summary>An object property that may be absent or null.</summary>
    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(Child(path, name), $"expected an object or null but found {Describe(value)}.");
        }

        return value;
    }

    /// <summary>A required string property.</summary>
    public static string String(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name, path);
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Invalid(Child(path, name), $"expected a string but found {Describe(value)}.");
        }

        return value.GetString()!;
    }

    /// <summary>A required enum property, written as its name.</summary>
    public static TEnum Enum<TEnum>(JsonElement parent, string name, string path)
        where TEnum : struct, Enum
    {
        string text = String(parent, name, path);
        if (!System.Enum.TryParse<TEnum>(text, ignoreCase: false, out var result) || !System.Enum.IsDefined(result) || !char.IsLetter(text[0]))
        {
            throw Invalid(Child(path, name), string.Create(CultureInfo.InvariantCulture, $"\"{text}\" is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}."));
        }

        return result;
    }

    /// <summary>A required Boolean property.</summary>
    public static bool Boolean(JsonElement parent, string name, string path)
    {
        var value = Property(parent, name, path);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(Child(path, name), $"expected true or false but found {Describe(value)}."),
        };
    }

    /// <summary>A required integer property in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int Int32(JsonElement parent, string name, string path, int min, int max = int.MaxValue) =>
        Int32Value(Property(parent, name, path), Child(path, name), min, max);

    /// <summary>A required finite number property.</summary>
    public static double Finite(JsonElement parent, string name, string path) =>
        FiniteValue(Property(parent, name, path), Child(path, name));

    /// <summary>A required number property that may also be "NaN", "Infinity" or "-Infinity" (report values).</summary>
    public static double AnyDouble(JsonElement parent, string name, string path) =>
        AnyDoubleValue(Property(parent, name, path), Child(path, name));

    /// <summary>A required array property of exactly <paramref name="length"/> elements (any length when negative).</summary>
    public static JsonElement[] Array(JsonElement parent, string name, string path, int length = -1)
    {
        var value = Property(parent, name, path);
        string at = Child(path, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at, $"expected an array but found {Describe(value)}.");
        }

        int count = value.GetArrayLength();
        if (length >= 0 && count != length)
        {
            throw Invalid(at, string.Create(CultureInfo.InvariantCulture, $"the array has {count} elements but {length} are expected."));
        }

        var result = new JsonElement[count];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            result[i++] = item;
        }

        return result;
    }

    /// <summary>A required array of finite numbers with exactly <paramref name="length"/> elements (any length when negative).</summary>
    public static double[] FiniteArray(JsonElement parent, string name, string path, int length = -1)
    {
        var items = Array(parent, name, path, length);
        string at = Child(path, name);
        var result = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = FiniteValue(items[i], Index(at, i));
        }

        return result;
    }

    /// <summary>A required array of numbers that may hold "NaN", "Infinity" or "-Infinity" (report values).</summary>
    public static double[] AnyDoubleArray(JsonElement parent, string name, string path)
    {
        var items = Array(parent, name, path);
        string at = Child(path, name);
        var result = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = AnyDoubleValue(items[i], Index(at, i));
        }

        return result;
    }

    /// <summary>A required array of integers in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int[] Int32Array(JsonElement parent, string name, string path, int min, int max, int length = -1)
    {
        var items = Array(parent, name, path, length);
        string at = Child(path, name);
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            result[i] = Int32Value(items[i], Index(at, i), min, max);
        }

        return result;
    }

    /// <summary>The path of a property.</summary>
    public static string Child(string path, string name) => path + "." + name;

    /// <summary>The path of an array element.</summary>
    public static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    private static int Int32Value(JsonElement value, string path, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int result))
        {
            throw Invalid(path, $"expected an integer but found {Describe(value)}.");
        }

        if (result < min || result > max)
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"{result} is outside [{min}, {max}]."));
        }

        return result;
    }

    private static double FiniteValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double result) || !double.IsFinite(result))
        {
            throw Invalid(path, $"expected a finite number but found {Describe(value)}.");
        }

        return result;
    }

    private static double AnyDoubleValue(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double result) || !double.IsFinite(result))
        {
            throw Invalid(path, $"expected a number (or \"NaN\", \"Infinity\", \"-Infinity\") but found {Describe(value)}.");
        }

        return result;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "the string \"" + Truncate(value.GetString()!) + "\"",
        JsonValueKind.Number => "the number " + Truncate(value.GetRawText()),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
