using MixtureModels.Fitting;

namespace MixtureModels.Tests.Fitting;

/// <summary>
/// A thread's block scratch is reused from one chunk to the next without allocating, and a pass nested on the same
/// thread while one is rented gets buffers of its own, so the outer pass's responsibilities are never overwritten.
/// </summary>
public sealed class BlockScratchTests
{
    [Fact]
    public void A_returned_scratch_is_rented_again_by_its_thread_without_allocating()
    {
        var first = BlockScratch.Rent(8 * 256, 256);
        first.Return();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var again = BlockScratch.Rent(8 * 256, 256);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        again.Return();

        again.Should().BeSameAs(first);
        allocated.Should().Be(0);
    }

    [Fact]
    public void A_rent_nested_in_a_rent_gets_separate_buffers_and_neither_overwrites_the_other()
    {
        var outer = BlockScratch.Rent(4 * 64, 64);
        outer.LogProb.AsSpan().Fill(1.5);
        outer.RowValues.AsSpan().Fill(2.5);

        var inner = BlockScratch.Rent(4 * 64, 64);
        inner.LogProb.AsSpan().Fill(-7);
        inner.RowValues.AsSpan().Fill(-9);
        inner.Return();

        inner.Should().NotBeSameAs(outer);
        outer.LogProb.Should().OnlyContain(v => v == 1.5);
        outer.RowValues.Should().OnlyContain(v => v == 2.5);
        outer.Return();
    }

    [Fact]
    public void A_larger_request_than_the_free_scratch_holds_gets_buffers_of_at_least_that_size()
    {
        var small = BlockScratch.Rent(16, 8);
        small.Return();

        var large = BlockScratch.Rent(32 * 256, 256);
        large.Return();

        large.LogProb.Length.Should().BeGreaterThanOrEqualTo(32 * 256);
        large.RowValues.Length.Should().BeGreaterThanOrEqualTo(256);

        var smallAgain = BlockScratch.Rent(16, 8);
        smallAgain.Return();
        smallAgain.Should().BeSameAs(large, "the larger scratch serves every smaller request after it");
    }
}
