using System.Runtime.InteropServices;

namespace MixtureModels.Numerics;

/// <summary>
/// Asks Linux to back a large fresh array with transparent huge pages (2 MiB) before it is first written, as numpy's
/// allocator does for every array of 4 MiB or more. A fresh 4 KiB page costs a page fault on its first write; on a VM
/// that is 1.5–8 µs each (the 12.8 MB of an N × K result of W1: 3 125 faults, 5–25 ms), and a huge page takes one
/// fault for 512 of them. Where the system has no transparent huge pages in <c>madvise</c> mode (or is not Linux, or
/// the memory was touched before) the advice changes nothing; nothing here affects what the array holds.
/// </summary>
/// <remarks>
/// The advice marks a range of the garbage collector's mapping, which the kernel keeps as a mapping area of its own
/// (adjacent advised ranges merge again); only arrays of at least <see cref="Threshold"/> are advised, so their number
/// stays far below the kernel's limit on mapping areas. When the collector later releases or reuses the memory, the
/// huge pages are split or freed like any other pages.
/// </remarks>
internal static unsafe class HugePages
{
    /// <summary>Arrays smaller than this are left alone (numpy's threshold).</summary>
    internal const long Threshold = 4L << 20;

    /// <summary>The size of a huge page on x64 and arm64 Linux (2 MiB).</summary>
    internal const long PageSize = 2L << 20;
    private const int AdviseHugePage = 14; // MADV_HUGEPAGE

    private static readonly delegate* unmanaged<nint, nuint, int, int> s_madvise = Resolve();

    /// <summary>A new zeroed array of <paramref name="length"/> elements, advised before its first write (<see cref="Advise"/>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">The element count.</param>
    public static T[] NewArray<T>(int length)
        where T : unmanaged
    {
        var array = new T[length];
        Advise(array);
        return array;
    }

    /// <summary>A new zeroed <paramref name="rows"/> × <paramref name="columns"/> array, advised before its first write (<see cref="Advise"/>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="rows">The first dimension.</param>
    /// <param name="columns">The second dimension.</param>
    public static T[,] NewArray<T>(int rows, int columns)
        where T : unmanaged
    {
        var array = new T[rows, columns];
        Advise(array);
        return array;
    }

    /// <summary>A new array of <paramref name="length"/> elements whose contents are undefined (every entry must be written before it is read), advised before its first write.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="length">The element count.</param>
    public static T[] NewUninitializedArray<T>(int length)
        where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        Advise(array);
        return array;
    }

    /// <summary>Advises huge pages for the whole 2 MiB pages inside <paramref name="array"/>'s data, when it holds at least <see cref="Threshold"/> bytes.</summary>
    /// <param name="array">A freshly allocated array of a primitive type, not yet written.</param>
    public static void Advise(Array array)
    {
        long bytes = Buffer.ByteLength(array);
        if (s_madvise == null || bytes < Threshold)
        {
            return;
        }

        fixed (byte* data = &MemoryMarshal.GetArrayDataReference(array))
        {
            var (start, length) = WholePages((long)data, bytes);
            if (length > 0)
            {
                _ = s_madvise((nint)start, (nuint)length, AdviseHugePage);
            }
        }
    }

    /// <summary>The whole 2 MiB pages inside [<paramref name="address"/>, <paramref name="address"/> + <paramref name="bytes"/>): their first address and total length (0 when none fits).</summary>
    /// <param name="address">The first byte.</param>
    /// <param name="bytes">The length in bytes.</param>
    internal static (long Start, long Length) WholePages(long address, long bytes)
    {
        long start = (address + PageSize - 1) & ~(PageSize - 1);
        long end = (address + bytes) & ~(PageSize - 1);
        return end > start ? (start, end - start) : (start, 0);
    }

    private static delegate* unmanaged<nint, nuint, int, int> Resolve()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "madvise", out var madvise))
        {
            return null;
        }

        return (delegate* unmanaged<nint, nuint, int, int>)madvise;
    }
}
