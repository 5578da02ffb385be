using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;
using OrgActors.Grains.Credits;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Key pages are the only durable copy of archived keys: every answer must come back exactly, and damage must be refused, never half read.</summary>
public sealed class KeyPageCodecTests
{
    private static readonly long Ticks = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void Every_record_comes_back_exactly()
    {
        const int keys = 1_000;
        var table = TableOf(keys + 10);
        var writer = new ByteWriter();
        Assert.Equal(keys, KeyPageCodec.Pack(table, 10, keys, int.MaxValue, writer));

        var read = new KeyTable();
        KeyPageCodec.Unpack(writer.Written.Span, keys, read);

        Assert.Equal(Enumerable.Range(10, keys).Select(table.At), Enumerable.Range(0, keys).Select(read.At));
        // The hashes take 24 bytes; the numbers, mostly small differences, take a few more.
        Assert.InRange(writer.LengthBytes / (double)keys, 24 + 2 + 4, 24 + 2 + 20);
    }

    [Fact]
    public void A_page_closes_at_its_budget_so_that_its_row_stays_within_the_database_row()
    {
        var table = TableOf(500);
        var writer = new ByteWriter();
        int count = KeyPageCodec.Pack(table, 0, KeyArchive.MaxPageKeys, KeyArchive.PageBudgetBytes, writer);
        Assert.InRange(writer.LengthBytes, KeyArchive.PageBudgetBytes - KeyPageCodec.MaxRecordBytes, KeyArchive.PageBudgetBytes);
        Assert.InRange(count, KeyArchive.PageBudgetBytes / KeyPageCodec.MaxRecordBytes, KeyArchive.MaxPageKeys - 1);
        // Whatever the budget, a page holds at least one key (else no step would end).
        Assert.Equal(1, KeyPageCodec.Pack(table, 0, KeyArchive.MaxPageKeys, 1, writer));
    }

    [Fact]
    public void Every_cut_short_page_and_a_byte_past_the_end_are_refused()
    {
        var table = TableOf(3);
        var writer = new ByteWriter();
        KeyPageCodec.Pack(table, 0, 3, int.MaxValue, writer);
        var bytes = writer.ToArray();
        for (int length = 0; length < bytes.Length; length++)
            Assert.Throws<InvalidDataException>(() => KeyPageCodec.Unpack(bytes.AsSpan(0, length), 3, new KeyTable()));
        Assert.Throws<InvalidDataException>(() => KeyPageCodec.Unpack([.. bytes, 0], 3, new KeyTable()));
    }

    [Theory]
    [InlineData(24, 9)] // a status that does not exist
    [InlineData(25, 200)] // a code that does not exist
    public void A_record_with_an_unknown_status_or_code_is_refused(int offset, byte value)
    {
        var writer = new ByteWriter();
        KeyPageCodec.Pack(TableOf(1), 0, 1, int.MaxValue, writer);
        var bytes = writer.ToArray();
        bytes[offset] = value;
        Assert.Throws<InvalidDataException>(() => KeyPageCodec.Unpack(bytes, 1, new KeyTable()));
    }

    [Fact]
    public void The_journal_row_round_trips_and_refuses_what_it_cannot_be()
    {
        var codec = new ArchivedKeyPageCodec();
        var page = new ArchivedKeyPage(2 * KeyArchive.CountEveryKeys, KeyArchive.MaxPageKeys, new byte[] { 1, 2, 3 });
        var row = codec.Encode(page);
        var read = codec.Decode(row);
        Assert.Equal((page.FirstIndex, page.Count), (read.FirstIndex, read.Count));
        Assert.Equal(page.Records.ToArray(), read.Records.ToArray());
        Assert.NotEqual((byte)'{', row[0]); // JSON marks its rows with '{'

        Assert.Throws<InvalidDataException>(() => codec.Decode([9, .. row[1..]])); // unknown version
        Assert.Throws<InvalidDataException>(() => codec.Decode(codec.Encode(page with { Count = 0 })));
        Assert.Throws<InvalidDataException>(() => codec.Decode(codec.Encode(page with { Count = KeyArchive.MaxPageKeys + 1 })));
        Assert.Throws<InvalidDataException>(() => codec.Decode(row[..1]));
    }

    [Fact]
    public void The_archive_refuses_a_page_that_does_not_follow()
    {
        var archive = new KeyArchive();
        archive.Apply(new ArchivedKeyPage(0, 40, Array.Empty<byte>()));
        Assert.Equal(40, archive.KeyCount);
        Assert.Throws<InvalidDataException>(() => archive.Apply(new ArchivedKeyPage(0, 40, Array.Empty<byte>())));
        Assert.Throws<InvalidDataException>(() => archive.Apply(new ArchivedKeyPage(41, 40, Array.Empty<byte>())));
        Assert.Throws<InvalidDataException>(() => archive.Apply(new ArchivedKeyPage(40, KeyArchive.MaxPageKeys + 1, Array.Empty<byte>())));
    }

    [Fact]
    public async Task A_snapshot_leaves_out_the_archived_keys_and_an_activation_finds_them_through_the_index()
    {
        const int archived = 2 * KeyArchive.CountEveryKeys, keys = archived + 300;
        var state = new WalletBookState();
        for (int i = 0; i < keys; i++) state.Keys.Remember($"evt-{i}", i, ResultOf(i), i % 7 == 0 ? 0 : i);
        var pages = new List<ArchivedKeyPage>();
        var writer = new ByteWriter();
        for (int first = 0, count; first < archived; first += count)
        {
            count = state.Keys.WritePage(first, Math.Min(KeyArchive.MaxPageKeys, archived - first), KeyArchive.PageBudgetBytes, writer);
            pages.Add(new ArchivedKeyPage(first, count, writer.ToArray()));
        }
        Assert.True(state.Keys.MarkArchived(archived));
        Assert.False(state.Keys.MarkArchived(KeyArchive.CountEveryKeys)); // known already
        Assert.Throws<InvalidOperationException>(() => state.Keys.MarkArchived(keys + 1));

        var json = JsonSerializer.Serialize(state, OrgActors.Runtime.State.GrainStateJson.Options);
        var packed = JsonDocument.Parse(json).RootElement.GetProperty("Keys").GetBytesFromBase64();
        Assert.Equal(IdempotencyKeys.PackedHeaderBytes + 300 * RememberedAnswer.PackedBytes, packed.Length); // only the keys after the archived ones

        IdempotencyKeys Read() => JsonSerializer.Deserialize<WalletBookState>(json, OrgActors.Runtime.State.GrainStateJson.Options)!.Keys;
        var read = Read();
        Assert.Equal((keys, archived, archived), (read.Count, read.FirstIndex, read.ArchivedCount));
        // Before the index, as while the journal replays: the archived keys are not looked for.
        Assert.False(read.TryGet("evt-0", out _, out _));
        Assert.True(read.TryGet($"evt-{keys - 1}", out _, out _));

        await Assert.ThrowsAsync<InvalidDataException>(() => Read().IndexArchiveAsync(ReadsOf(pages[..^1]), archived)); // a page short
        await Assert.ThrowsAsync<InvalidDataException>(() => Read().IndexArchiveAsync(ReadsOf([pages[0], .. pages]), archived)); // not in order
        await Assert.ThrowsAsync<InvalidDataException>(() => Read().IndexArchiveAsync(ReadsOf(pages), archived + 1)); // not what the archive counts
        await read.IndexArchiveAsync(ReadsOf(pages), archived);
        Assert.Equal((keys, archived), (read.Count, read.FirstIndex));
        for (int i = 0; i < keys; i++)
        {
            var (fingerprint, result) = LookUp(read, $"evt-{i}", pages);
            Assert.Equal(((long)i, ResultOf(i)), (fingerprint, result));
        }
        Assert.Null(read.PagesToRead("evt-new"));
        Assert.False(read.TryGet("evt-new", out _, out _));
    }

    /// <summary>Reads the pages <see cref="IdempotencyKeys.PagesToRead"/> names, as the wallet does, then looks the key up.</summary>
    internal static (long Fingerprint, DebitResult Result) LookUp(IdempotencyKeys keys, string key, List<ArchivedKeyPage> pages)
    {
        foreach (var number in keys.PagesToRead(key) ?? []) keys.Recall(number, pages[number]);
        Assert.True(keys.TryGet(key, out long fingerprint, out var result), key);
        return (fingerprint, result);
    }

    [Fact]
    public void A_packed_block_of_the_first_format_still_reads_with_every_key_in_memory()
    {
        var answers = Enumerable.Range(0, 5).Select(i => (Key: (UInt128)(ulong)(i + 1) * 7919, Answer: RememberedAnswer.From(i, ResultOf(i)))).ToArray();
        var packed = new byte[5 + answers.Length * RememberedAnswer.PackedBytes];
        packed[0] = 1;
        BitConverter.TryWriteBytes(packed.AsSpan(1), answers.Length);
        for (int i = 0; i < answers.Length; i++) answers[i].Answer.Pack(answers[i].Key, packed.AsSpan(5 + i * RememberedAnswer.PackedBytes));

        var keys = IdempotencyKeys.Unpack(packed);

        Assert.Equal((5, 0, 0), (keys.Count, keys.FirstIndex, keys.ArchivedCount));
        var writer = new ByteWriter();
        keys.WritePage(0, 5, int.MaxValue, writer); // every key is in memory, so every key can be archived
        var table = new KeyTable();
        KeyPageCodec.Unpack(writer.Written.Span, 5, table);
        Assert.Equal(answers, Enumerable.Range(0, 5).Select(table.At));
    }

    /// <summary>The pages, read 7 at a time.</summary>
    internal static Func<int, Task<IReadOnlyList<ArchivedKeyPage>>> ReadsOf(List<ArchivedKeyPage> pages) =>
        after => Task.FromResult<IReadOnlyList<ArchivedKeyPage>>(pages.Skip(after).Take(7).ToList());

    internal static DebitResult ResultOf(int i) => i % 7 == 0
        ? new DebitResult(DebitStatus.Rejected, WalletErrorCodes.InsufficientCredits, 0, 5_000_000_000L - i, null)
        : new DebitResult(DebitStatus.Accepted, null, 1_000_000_000L + i, 5_000_000_000L - i, LedgerWindow.EntryId(i), new DateTimeOffset(Ticks + i * 5_000L, TimeSpan.Zero));

    private static KeyTable TableOf(int count)
    {
        var table = new KeyTable();
        for (int i = 0; i < count; i++)
            table.Set(((UInt128)(ulong)i << 64) | (ulong)(i * 2654435761L), RememberedAnswer.From(i * -31L, ResultOf(i), i % 7 == 0 ? 0 : i));
        return table;
    }
}
