using MixtureModels.Numerics;

namespace MixtureModels.Tests.Numerics;

/// <summary>
/// The huge-page advice covers exactly the whole 2 MiB pages inside an array and never changes what an array holds
/// (a destructive advice such as MADV_DONTNEED would zero written memory).
/// </summary>
public sealed class HugePagesTests
{
    [Theory]
    [InlineData(0x7f00_0000_0000L, 12_800_000L)]          // aligned start
    [InlineData(0x7f00_0000_0010L, 12_800_000L)]          // 16 bytes past a boundary, as an array's data
    [InlineData(0x7f00_001f_fff0L, 4_194_304L)]           // 16 bytes before a boundary, exactly 4 MiB long
    [InlineData(0x7f00_0010_0000L, 3_000_000L)]           // no whole page inside
    public void The_advised_range_is_every_whole_huge_page_inside_the_array(long address, long bytes)
    {
        var (start, length) = HugePages.WholePages(address, bytes);
        long page = HugePages.PageSize;

        // Brute force: every page-aligned address from the first boundary at or after the start.
        long expectedStart = -1, expectedLength = 0;
        for (long p = address / page * page; p + page <= address + bytes; p += page)
        {
            if (p >= address)
            {
                expectedStart = expectedStart < 0 ? p : expectedStart;
                expectedLength += page;
            }
        }

        length.Should().Be(expectedLength);
        if (expectedLength > 0)
        {
            start.Should().Be(expectedStart);
            (start % page).Should().Be(0);
            (start + length).Should().BeLessThanOrEqualTo(address + bytes);
        }
    }

    [Fact]
    public void Advising_an_array_keeps_its_values()
    {
        var written = new double[1 << 20]; // 8 MiB: above the threshold, so the advice is given
        for (int i = 0; i < written.Length; i++)
        {
            written[i] = i * 0.5;
        }

        HugePages.Advise(written);

        for (int i = 0; i < written.Length; i++)
        {
            if (written[i] != i * 0.5)
            {
                written[i].Should().Be(i * 0.5, $"entry {i} must keep its value");
            }
        }
    }

    [Fact]
    public void A_fresh_advised_array_reads_as_zeros_and_takes_writes()
    {
        var fresh = new double[3, 400_000]; // 9.6 MB
        HugePages.Advise(fresh);
        fresh[0, 0].Should().Be(0);
        fresh[2, 399_999].Should().Be(0);
        fresh[1, 123_456] = 42;
        fresh[1, 123_456].Should().Be(42);
        fresh.Cast<double>().Count(v => v != 0).Should().Be(1);
    }
}
