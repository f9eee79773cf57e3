using System.Text.Json;

namespace MixtureModels.Serialization;

/// <summary>Runs a user converter's read, turning what a bad value makes it throw into an <see cref="InvalidDataException"/> naming the JSON path.</summary>
internal static class UserConverter
{
    /// <summary>Calls <paramref name="read"/>; the exceptions a bad value causes become an <see cref="InvalidDataException"/> at <paramref name="path"/>.</summary>
    public static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException or JsonException or IndexOutOfRangeException or OverflowException)
        {
            throw ModelJsonReader.Invalid(path, ex.Message);
        }
    }
}
