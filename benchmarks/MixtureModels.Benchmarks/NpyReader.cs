using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace MixtureModels.Benchmarks;

/// <summary>
/// A minimal reader for NumPy .npy files (format versions 1–3): little-endian float64 ('&lt;f8'), C order only.
/// </summary>
internal static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array's shape and its values in C (row-major) order.</summary>
    public static (int[] Shape, double[] Values) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        var magic = reader.ReadBytes(6);
        if (!magic.AsSpan().SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (bad magic).");
        }

        byte major = reader.ReadByte();
        reader.ReadByte(); // minor
        int headerLength = major switch
        {
            1 => reader.ReadUInt16(),
            2 or 3 => checked((int)reader.ReadUInt32()),
            _ => throw new InvalidDataException($"{path}: unsupported .npy format version {major}."),
        };
        var headerBytes = reader.ReadBytes(headerLength);
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        string descr = StringValue(header, "descr", path);
        if (descr != "<f8")
        {
            throw new InvalidDataException($"{path}: descr is '{descr}'; only '<f8' (little-endian float64) is supported.");
        }

        string fortran = RawValue(header, "fortran_order", path);
        if (!fortran.StartsWith("False", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: fortran_order is {fortran}; only C order is supported.");
        }

        int[] shape = Shape(header, path);
        long count = 1;
        foreach (int s in shape)
        {
            count *= s;
        }

        var values = new double[checked((int)count)];
        // Read straight into the values (no second copy of the file in memory), then fix the byte order if needed.
        var target = System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());
        stream.ReadExactly(target);
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReverseEndianness(BitConverter.DoubleToInt64Bits(values[i])));
            }
        }

        return (shape, values);
    }

    private static string RawValue(string header, string key, string path)
    {
        string token = $"'{key}':";
        int at = header.IndexOf(token, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidDataException($"{path}: header has no '{key}': {header}");
        }

        return header[(at + token.Length)..].TrimStart();
    }

    private static string StringValue(string header, string key, string path)
    {
        string rest = RawValue(header, key, path);
        char quote = rest[0];
        int end = rest.IndexOf(quote, 1);
        return rest[1..end];
    }

    private static int[] Shape(string header, string path)
    {
        string rest = RawValue(header, "shape", path);
        int close = rest.IndexOf(')', StringComparison.Ordinal);
        string inner = rest[1..close];
        return inner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture))
            .ToArray();
    }
}
