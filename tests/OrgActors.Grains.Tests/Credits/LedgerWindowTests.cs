using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.State;
using Xunit;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>The ledger window keeps rows, not records: what it reads back and what snapshots hold must not change.</summary>
public sealed class LedgerWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entries_read_back_as_written_and_survive_a_snapshot()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g1", GrantSource.Plan, 5, 0, Now, Now.AddDays(30), Now);
        book.Grant("g2", GrantSource.TopUp, 100, 10, Now, null, Now);
        var usage = new UsageDetails(CreditCatalog.TokensOut, 7, "ws_1", "gpt-4o");
        var debit = book.Debit("evt-1", 8, usage, Now.AddMinutes(1)); // 5 from g1, 3 from g2

        var entry = book.State.Entries[^1];
        Assert.Equal((debit.EntryId, LedgerEntryKind.Debit, 8L, 97L, Now.AddMinutes(1), "evt-1", usage),
            (entry.Id, entry.Kind, entry.AmountNanoCredits, entry.BalanceAfterNanoCredits, entry.At, entry.IdempotencyKey, entry.Usage));
        Assert.Equal([5L, 3L], entry.Fundings.Select(f => f.AmountNanoCredits));

        var json = JsonSerializer.Serialize(book.State, GrainStateJson.Options);
        var read = JsonSerializer.Deserialize<WalletBookState>(json, GrainStateJson.Options)!;
        Assert.Equal(json, JsonSerializer.Serialize(read, GrainStateJson.Options));
        Assert.Equal(3, read.Entries.Count);
        Assert.Equal(debit.EntryId, read.Entries[^1].Id);
    }

    [Fact]
    public void A_snapshot_holds_the_entries_as_ledger_records()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g1", GrantSource.Promotional, 10, 0, Now, null, Now);

        using var snapshot = JsonDocument.Parse(JsonSerializer.Serialize(book.State, GrainStateJson.Options));
        var stored = snapshot.RootElement.GetProperty("Entries")[0];
        Assert.Equal("le_0000000002", stored.GetProperty("Id").GetString());
        Assert.Equal("g1", stored.GetProperty("IdempotencyKey").GetString());
        Assert.Equal(10, stored.GetProperty("Fundings")[0].GetProperty("AmountNanoCredits").GetInt64());
    }

    [Fact]
    public void Texts_read_back_right_after_the_window_has_dropped_archived_entries_many_times()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g", GrantSource.Promotional, 1_000_000, 0, Now, null, Now);
        const int debits = 5 * WalletBook.LedgerEntriesKeptInMemory + 17;
        for (int i = 0; i < debits; i++)
        {
            book.Debit(KeyOf(i), 1, UsageOf(i), Now);
            var window = book.State.Entries;
            if (i % 150 == 149 && window.Count > WalletBook.LedgerEntriesKeptInMemory) book.ArchiveLedger(window.SequenceAt(window.Count - WalletBook.LedgerEntriesKeptInMemory - 1));
        }

        var entries = book.State.Entries;
        Assert.Equal(WalletBook.LedgerEntriesKeptInMemory + debits % 150, entries.Count);
        Assert.Equal(debits + 1 - entries.Count, book.State.ArchivedEntryCount);
        for (int back = 1; back <= entries.Count; back++)
        {
            int i = debits - back;
            Assert.Equal((KeyOf(i), UsageOf(i)), (entries[^back].IdempotencyKey, entries[^back].Usage));
        }
    }

    [Fact]
    public void A_page_written_from_the_windows_rows_reads_back_as_its_entries()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g1", GrantSource.Promotional, 1_000, 0, Now, Now.AddDays(1), Now);
        book.Grant("g2", GrantSource.Promotional, 1_000_000, 5, Now, null, Now);
        for (int i = 0; i < 300; i++) book.Debit(KeyOf(i), 7 + i, UsageOf(i), Now.AddMilliseconds(i)); // some funded by both grants
        book.Hold("h1", 10, Now.AddMinutes(5), Now);
        var window = book.State.Entries;
        var writer = new LedgerPageCodec.PageWriter();

        foreach (var (start, maxCount, budgetBytes) in new[] { (0, window.Count, int.MaxValue), (150, 100, int.MaxValue), (window.Count - 1, 1, 1), (10, 100, 1_000) })
        {
            int count = window.WritePage(start, maxCount, budgetBytes, writer);
            var read = LedgerPageCodec.Unpack(writer.Written.Span);
            Assert.Equal(LedgerReads.Describe(window.Skip(start).Take(count)), LedgerReads.Describe(read));
            // A page takes entries while it is under its budget, and always one.
            Assert.Equal(budgetBytes == 1_000 ? count : maxCount, count);
            if (budgetBytes == 1_000) Assert.InRange(writer.LengthBytes, 1_000, 1_000 + 400);
        }
        Assert.Contains(window, e => e.Fundings.Count == 2);
    }

    [Fact]
    public void A_reservations_hold_settle_and_release_name_it_in_the_window_in_snapshots_and_in_pages()
    {
        var book = new WalletBook(new WalletBookState { RulesVersion = WalletRules.Current });
        book.Grant("g", GrantSource.Promotional, 1_000, 0, Now, null, Now);
        book.Hold("r-1", 10, Now.AddMinutes(5), Now);
        book.Settle("r-1", "evt-1", 7, new UsageDetails(CreditCatalog.TokensOut, 7, "ws_1", null), Now);
        book.Hold("r-2", 20, Now.AddMinutes(5), Now);
        book.Debit("evt-2", 1, null, Now);
        book.Settle("r-2", "evt-3", 20, null, Now); // a settle without usage
        book.Hold("r-3", 5, Now.AddMinutes(5), Now);
        book.Release("r-3", Now);
        book.Hold("r-4", 5, Now.AddSeconds(1), Now);
        book.ExpireDue(Now.AddSeconds(2)); // released by itself

        string?[] expected = [null, "r-1", "r-1", "r-2", null, "r-2", "r-3", "r-3", "r-4", "r-4"];
        var window = book.State.Entries;
        Assert.Equal(expected, window.Select(e => e.ReservationId));
        Assert.Equal(LedgerEntryKind.Settle, window[5].Kind);

        var read = JsonSerializer.Deserialize<WalletBookState>(JsonSerializer.Serialize(book.State, GrainStateJson.Options), GrainStateJson.Options)!;
        Assert.Equal(expected, read.Entries.Select(e => e.ReservationId));

        var writer = new LedgerPageCodec.PageWriter();
        int count = window.WritePage(0, window.Count, int.MaxValue, writer);
        Assert.Equal(LedgerReads.Describe(window), LedgerReads.Describe(LedgerPageCodec.Unpack(writer.Written.Span)));
        Assert.Equal(window.Count, count);
    }


    /// <summary>Keys of varying length, and usages with and without their optional texts.</summary>
    private static string KeyOf(int i) => $"key-{i}-" + new string('k', i % 37);

    private static UsageDetails? UsageOf(int i) => (i % 4) switch
    {
        0 => null,
        1 => new UsageDetails(CreditCatalog.TokensOut, i, null, null),
        2 => new UsageDetails("custom.meter." + i, 1.5m, "ws_" + i, null),
        _ => new UsageDetails(CreditCatalog.TokensOut, 3, "ws_" + i, "model-" + new string('m', i % 11)),
    };

    [Theory]
    [InlineData(0, "le_0000000000")]
    [InlineData(7, "le_0000000007")]
    [InlineData(1234567890, "le_1234567890")]
    [InlineData(12345678901, "le_12345678901")]
    [InlineData(long.MaxValue, "le_9223372036854775807")]
    public void Sequence_ids_have_at_least_ten_digits_and_read_back(long sequence, string id)
    {
        Assert.Equal(id, LedgerWindow.SequenceId(LedgerWindow.EntryIdPrefix, sequence));
        if (sequence > 0) Assert.Equal(sequence, LedgerWindow.Sequence(id));
    }
}
