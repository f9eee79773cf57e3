using System.Globalization;

namespace MixtureModels.Orleans;

/// <summary>
/// The rows of a distributed fit: either parts read on the silos (files, or any source a silo can open by a
/// location), concatenated in the given order, or rows in the client's memory, pushed to the shards. Either way the
/// data set is one sequence of rows, cut into the chunks the local fit of the same rows would use.
/// </summary>
public sealed class DistributedRows
{
    /// <summary>The row-source kind of CSV files (<see cref="CsvRowSource"/> with its default options), known to every silo.</summary>
    public const string CsvKind = "csv";

    private DistributedRows(DataMatrix? matrix, string? kind, string[] locations)
    {
        Matrix = matrix;
        Kind = kind;
        Locations = locations;
    }

    /// <summary>The parts' locations, in row order (empty for rows pushed from memory).</summary>
    public IReadOnlyList<string> Locations { get; }

    /// <summary>The parts' row-source kind (null for rows pushed from memory).</summary>
    public string? Kind { get; }

    /// <summary>The rows pushed from memory, or null.</summary>
    internal DataMatrix? Matrix { get; }

    /// <summary>
    /// Rows in the client's memory: each shard receives its rows from the client (in blocks of at most 4 MB), and again
    /// if it is re-activated after a failure, so the client keeps them for the whole fit.
    /// </summary>
    /// <param name="data">The rows; not copied, not modified. Do not change them during the fit.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public static DistributedRows FromMatrix(DataMatrix data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DistributedRows(data, null, []);
    }

    /// <summary>
    /// Parts read on the silos: each location is opened on a silo by the row source registered there under
    /// <paramref name="kind"/> (<c>services.AddMixtureRowSource(kind, location =&gt; ...)</c>; <see cref="CsvKind"/> is
    /// known to every silo). The parts are counted first, then every shard reads the rows of its chunks from the parts
    /// that hold them, and reads them again on another silo if its silo is lost.
    /// </summary>
    /// <param name="kind">The row-source kind, such as <see cref="CsvKind"/>.</param>
    /// <param name="locations">One location per part (file paths, say, valid on every silo), in row order; at least one.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="ArgumentNullException">An argument or a location is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is empty or there is no location.</exception>
    public static DistributedRows FromSources(string kind, IReadOnlyList<string> locations)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(locations);
        if (kind.Length == 0)
        {
            throw new ArgumentException("kind is empty. Name the row-source kind registered on the silos, such as DistributedRows.CsvKind.", nameof(kind));
        }

        if (locations.Count == 0)
        {
            throw new ArgumentException("locations is empty. Give at least one part to read.", nameof(locations));
        }

        for (int i = 0; i < locations.Count; i++)
        {
            if (locations[i] is null)
            {
                throw new ArgumentNullException(nameof(locations), string.Create(CultureInfo.InvariantCulture, $"locations[{i}] is null. Give a location for every part."));
            }
        }

        return new DistributedRows(null, kind, [.. locations]);
    }

    /// <summary>CSV files read on the silos: <see cref="FromSources"/> with <see cref="CsvKind"/>.</summary>
    /// <param name="paths">The files, in row order; each valid on every silo.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or a path is null.</exception>
    /// <exception cref="ArgumentException">There is no path.</exception>
    public static DistributedRows FromCsvFiles(IReadOnlyList<string> paths) => FromSources(CsvKind, paths);
}
