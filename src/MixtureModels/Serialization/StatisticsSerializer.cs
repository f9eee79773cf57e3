using MixtureModels.Components;

namespace MixtureModels.Serialization;

/// <summary>
/// Sufficient statistics as JSON (System.Text.Json): one accumulator or K of them, to and from a stream or bytes, in an
/// envelope with a format tag, a schema version, the library version, the statistics' kind and the dimension. The
/// unit a distributed fit ships between machines (each worker's K accumulators, merged by the coordinator). Every
/// built-in family's statistics are supported (Gaussian full and
/// diagonal scatter, Bernoulli, categorical, Poisson, normal, Student-t with its current component, products of them);
/// a family written outside the library implements <see cref="IStatisticsJsonConverter{TStatistics}"/>. A round trip is
/// bit-exact: every double is written in its shortest round-trip form and the statistics are rebuilt from exactly those
/// values (what they need only for missing entries — the Gaussian accumulators' current component — is not written, as
/// <see cref="ISufficientStatistics{TSelf}.Merge"/> does not carry it either).
/// </summary>
/// <remarks>
/// Reading checks the whole input before returning anything and throws an <see cref="InvalidDataException"/> that names
/// what is wrong: not JSON or truncated, not a statistics file (or a model file), a newer schema version, statistics of
/// another kind or dimension, a count that does not match, or a bad value (by its JSON path, such as
/// <c>$.statistics[1].scatter[4]</c>).
/// </remarks>
/// <example>
/// <code>
/// byte[] message = StatisticsSerializer.SerializeToBytes(workerStatistics, family);     // K accumulators
/// GaussianStatistics[] received = StatisticsSerializer.Deserialize(message, family);
/// for (int k = 0; k &lt; received.Length; k++) { total[k].Merge(received[k]); }
/// </code>
/// </example>
public static class StatisticsSerializer
{
    /// <summary>Writes K statistics of <paramref name="family"/> to <paramref name="stream"/> (built in memory first; the stream is not closed).</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="stream">A writable stream.</param>
    /// <param name="statistics">The statistics (any count, 0 included), each of the family's dimension; not modified.</param>
    /// <param name="family">The family that created them.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not writable, or an element is null or of another dimension.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static void Serialize<TComponent, TStatistics>(Stream stream, IReadOnlyList<TStatistics> statistics, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("stream cannot be written to. Pass a writable stream.", nameof(stream));
        }

        stream.Write(StatisticsFile.Write(statistics, family).WrittenSpan);
        stream.Flush();
    }

    /// <summary>K statistics of <paramref name="family"/> as UTF-8 JSON bytes.</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="statistics">The statistics; not modified.</param>
    /// <param name="family">The family that created them.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An element is null or of another dimension.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static byte[] SerializeToBytes<TComponent, TStatistics>(IReadOnlyList<TStatistics> statistics, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
        => StatisticsFile.Write(statistics, family).WrittenSpan.ToArray();

    /// <summary>One accumulator of <paramref name="family"/> as UTF-8 JSON bytes (a file of count 1).</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="statistics">The statistics; not modified.</param>
    /// <param name="family">The family that created them.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The statistics have another dimension.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static byte[] SerializeSingle<TComponent, TStatistics>(TStatistics statistics, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return SerializeToBytes([statistics], family);
    }

    /// <summary>Reads all the statistics in <paramref name="stream"/> (written for <paramref name="family"/>'s kind and dimension). The stream is not closed.</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="stream">A readable stream positioned at the JSON.</param>
    /// <param name="family">The family whose statistics the file holds.</param>
    /// <returns>New statistics, in the order written.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The stream is not readable.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid statistics file of this family; the message says what is wrong and where.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static TStatistics[] Deserialize<TComponent, TStatistics>(Stream stream, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
        => Read(StatisticsFile.Parse(stream), family, -1);

    /// <summary>Reads all the statistics in UTF-8 JSON bytes (see <see cref="Deserialize{TComponent, TStatistics}(Stream, IComponentFamily{TComponent, TStatistics})"/>).</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="utf8Json">The bytes.</param>
    /// <param name="family">The family whose statistics they hold.</param>
    /// <returns>New statistics, in the order written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="family"/> is null.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid statistics file of this family.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static TStatistics[] Deserialize<TComponent, TStatistics>(ReadOnlySpan<byte> utf8Json, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
        => Read(StatisticsFile.Parse(utf8Json), family, -1);

    /// <summary>Reads the one accumulator in UTF-8 JSON bytes written by <see cref="SerializeSingle"/>.</summary>
    /// <typeparam name="TComponent">The family's component type.</typeparam>
    /// <typeparam name="TStatistics">The family's statistics type.</typeparam>
    /// <param name="utf8Json">The bytes.</param>
    /// <param name="family">The family whose statistics they hold.</param>
    /// <returns>New statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="family"/> is null.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid statistics file of this family, or holds another count than 1.</exception>
    /// <exception cref="NotSupportedException">The family has no JSON form for its statistics.</exception>
    public static TStatistics DeserializeSingle<TComponent, TStatistics>(ReadOnlySpan<byte> utf8Json, IComponentFamily<TComponent, TStatistics> family)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
        => Read(StatisticsFile.Parse(utf8Json), family, 1)[0];

    private static TStatistics[] Read<TComponent, TStatistics>(System.Text.Json.JsonDocument document, IComponentFamily<TComponent, TStatistics> family, int expectedCount)
        where TComponent : class, IComponent
        where TStatistics : class, ISufficientStatistics<TStatistics>
    {
        using (document)
        {
            ArgumentNullException.ThrowIfNull(family);
            return StatisticsFile.Read(document, family, expectedCount);
        }
    }
}
