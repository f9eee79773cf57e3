namespace MixtureModels;

/// <summary>
/// Lowers a shared 64-bit value to a smaller one with compare-and-swap, so that threads recording candidates (such as
/// the index of a bad entry each found in its own rows) leave the smallest of them, whatever their order.
/// </summary>
internal static class AtomicMinimum
{
    /// <summary>Sets <paramref name="target"/> to <paramref name="value"/> unless it already holds a value no larger.</summary>
    public static void Lower(ref long target, long value)
    {
        long seen = Volatile.Read(ref target);
        while (value < seen)
        {
            long previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
