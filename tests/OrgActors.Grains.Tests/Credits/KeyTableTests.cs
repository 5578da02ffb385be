using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>The idempotency key table grows in pages and relinks in place: no key may get lost or answer for another.</summary>
public sealed class KeyTableTests
{
    [Fact]
    public void Every_key_finds_its_own_answer_across_pages_and_growths()
    {
        var table = new KeyTable();
        const int keys = 5 * KeyTable.PageEntries + 123;
        for (int i = 0; i < keys; i++) table.Set(KeyOf(i), AnswerOf(i));

        Assert.Equal(keys, table.Count);
        for (int i = 0; i < keys; i++)
        {
            Assert.True(table.TryGetValue(KeyOf(i), out var answer));
            Assert.Equal(AnswerOf(i), answer);
        }
        Assert.False(table.TryGetValue(KeyOf(keys), out _));
        Assert.Equal(Enumerable.Range(0, keys).Select(KeyOf), table.Entries().Select(e => e.Key));
    }

    [Fact]
    public void Keys_sharing_low_bits_are_told_apart_by_the_whole_key()
    {
        // The low bits pick the bucket: these all land in one chain.
        var table = new KeyTable();
        var keys = Enumerable.Range(1, 50).Select(i => (UInt128)i << 64).ToArray();
        foreach (var key in keys) table.Set(key, AnswerOf((int)(key >> 64)));
        foreach (var key in keys)
        {
            Assert.True(table.TryGetValue(key, out var answer));
            Assert.Equal(AnswerOf((int)(key >> 64)), answer);
        }
        Assert.False(table.TryGetValue(UInt128.Zero, out _));
    }

    [Fact]
    public void Setting_a_known_key_replaces_its_answer_without_adding_one()
    {
        var table = new KeyTable();
        table.Set(KeyOf(1), AnswerOf(1));
        table.Set(KeyOf(1), AnswerOf(2));
        Assert.Equal(1, table.Count);
        Assert.True(table.TryGetValue(KeyOf(1), out var answer));
        Assert.Equal(AnswerOf(2), answer);
    }

    [Fact]
    public void An_entry_takes_64_bytes() => Assert.Equal(64, KeyTable.EntryBytes);

    [Fact]
    public void Every_field_of_an_answer_survives_the_packed_entry()
    {
        var table = new KeyTable();
        var answer = new RememberedAnswer(long.MinValue, DebitStatus.Rejected, (byte)(RememberedAnswer.Codes.Length - 1),
            long.MaxValue, long.MaxValue - 1, long.MaxValue - 2, DateTimeOffset.MaxValue.UtcTicks);
        table.Set(KeyOf(7), answer);
        Assert.True(table.TryGetValue(KeyOf(7), out var read));
        Assert.Equal(answer, read);
    }

    [Fact]
    public void A_full_page_stays_under_the_large_object_threshold() =>
        Assert.InRange(KeyTable.PageBytes, 1, 85_000 - 64);

    [Fact]
    public void Capacity_made_beforehand_changes_nothing_that_is_read()
    {
        var table = new KeyTable();
        table.EnsureCapacity(3 * KeyTable.PageEntries);
        for (int i = 0; i < 2 * KeyTable.PageEntries + 5; i++) table.Set(KeyOf(i), AnswerOf(i));
        Assert.Equal(2 * KeyTable.PageEntries + 5, table.Count);
        Assert.True(table.TryGetValue(KeyOf(2 * KeyTable.PageEntries + 4), out var last));
        Assert.Equal(AnswerOf(2 * KeyTable.PageEntries + 4), last);
    }

    private static UInt128 KeyOf(int i) => new((ulong)i * 0x9E3779B97F4A7C15UL, (ulong)i);

    private static RememberedAnswer AnswerOf(int i) => new(i, DebitStatus.Accepted, 0, i, 1_000 - i, i + 1, 0);
}
