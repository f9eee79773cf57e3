namespace MixtureModels.Internal;

/// <summary>
/// Per-thread scratch buffers for the hot kernels, so that no pass over the data allocates. Each caller uses its own
/// slot; a span from a slot is valid until the same thread asks for that slot again.
/// </summary>
internal static class ThreadScratch
{
    /// <summary>Centred, zero-padded rows of a block for sufficient statistics (when D is not a multiple of the vector width).</summary>
    public const int StatisticsRows = 0;

    /// <summary>Weighted centred rows for sufficient statistics.</summary>
    public const int StatisticsWeightedRows = 1;

    /// <summary>A block's partial scatter and sums.</summary>
    public const int StatisticsBlock = 2;

    /// <summary>The columns of one marginal, gathered from a block of rows by a product component.</summary>
    public const int ProductColumns = 3;

    /// <summary>One marginal's log-densities for a block of rows, inside a product component.</summary>
    public const int ProductDensity = 4;

    /// <summary>A block's transposed rows and responsibilities, inside the block kernels (<see cref="ColumnPieces"/> for <see cref="DiagonalBlockKernel"/> and <see cref="BernoulliBlockKernel"/>, and <see cref="FullBlockKernel"/>, which also keeps weighted centred columns there).</summary>
    public const int BlockKernel = 5;

    /// <summary>Every marginal's columns of a block, gathered once inside <see cref="ProductBlockKernel"/>; apart from <see cref="ProductColumns"/>, which a marginal's own code may use while these are held.</summary>
    public const int ProductKernelColumns = 6;

    /// <summary>The K components' joint log-densities and one marginal's, inside <see cref="ProductBlockKernel"/>; held while the marginals' own kernels run.</summary>
    public const int ProductKernelDensity = 7;

    private const int SlotCount = 8;

    [ThreadStatic]
    private static double[]?[]? t_slots;

    /// <summary>A span of <paramref name="length"/> doubles (contents undefined) owned by this thread's slot.</summary>
    public static Span<double> Get(int slot, int length)
    {
        var slots = t_slots ??= new double[]?[SlotCount];
        var buffer = slots[slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = new double[Math.Max(length, (buffer?.Length ?? 0) * 2)];
            slots[slot] = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
