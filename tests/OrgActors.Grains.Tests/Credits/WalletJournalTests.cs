using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>The wallet as a journal of operations: replay, bounded memory, answers that hold when time moves.</summary>
public sealed class WalletJournalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static long Credits(long credits) => NanoCredits.FromCredits(credits);

    [Fact]
    public void Replaying_the_journal_rebuilds_the_same_book_including_refusals_and_answers()
    {
        var operations = new List<WalletOperation>
        {
            new(WalletOperationKind.Grant, Now, "g1", AmountNanoCredits: Credits(10), Source: GrantSource.Plan, ExpiresAt: Now.AddDays(1)),
            new(WalletOperationKind.Debit, Now.AddMinutes(1), "d1", AmountNanoCredits: Credits(3)),
            new(WalletOperationKind.Hold, Now.AddMinutes(2), HoldId: "h1", AmountNanoCredits: Credits(5), ExpiresAt: Now.AddMinutes(7)),
            new(WalletOperationKind.Debit, Now.AddMinutes(3), "d2", AmountNanoCredits: Credits(5)), // refused: 2 available
            new(WalletOperationKind.Settle, Now.AddMinutes(4), "s1", "h1", Credits(4)),
            new(WalletOperationKind.Expire, Now.AddDays(2)),
        };
        var live = new WalletBook(new WalletBookState());
        var answers = operations.Select(live.Execute).ToArray();
        var replayed = new WalletBookState();
        foreach (var operation in operations) replayed.Apply(operation);

        Assert.Equal(WalletErrorCodes.InsufficientCredits, answers[3].Code);
        // Compared as stored (records holding lists compare those by reference).
        Assert.Equal(Json(live.State), Json(replayed));
        Assert.Equal((0L, 0L), (replayed.RemainingNanoCredits, replayed.HeldNanoCredits)); // 3 + 4 spent, 3 expired
        Assert.Equal(LedgerEntryKind.Expire, replayed.Entries[^1].Kind);
    }

    [Fact]
    public void A_holds_ledger_entry_keeps_what_was_reserved_through_the_stored_journal()
    {
        var reserved = new UsageDetails("ai.tokens_out", 2000, "ws_aaaaaaaaaaaaaaaaaaaa", "gpt-4o");
        var operations = new[]
        {
            new WalletOperation(WalletOperationKind.Grant, Now, "g1", AmountNanoCredits: Credits(10), Source: GrantSource.TopUp),
            new WalletOperation(WalletOperationKind.Hold, Now, HoldId: "h1", AmountNanoCredits: Credits(2), ExpiresAt: Now.AddMinutes(5),
                WorkspaceId: reserved.WorkspaceId, Usage: reserved),
        };
        // As the journal stores and reads its entries.
        var codec = new WalletOperationCodec();
        var replayed = new WalletBookState();
        foreach (var operation in operations) replayed.Apply(codec.Decode(codec.Encode(operation)));
        var hold = replayed.Entries[^1];
        Assert.Equal((LedgerEntryKind.Hold, "hold:h1", reserved), (hold.Kind, hold.IdempotencyKey, hold.Usage));
    }

    [Fact]
    public void Replaying_quota_settings_and_runs_rebuilds_the_same_counts_and_refusals()
    {
        var november = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        UsageDetails Runs(decimal runs) => new(CreditCatalog.WorkflowRuns, runs, null, null);
        var free = new QuotaSettings("org-free", [new Quota(CreditCatalog.WorkflowRuns, 100, Quota.Month)], november, november, november.AddMonths(1), 1);
        var operations = new List<WalletOperation>
        {
            new(WalletOperationKind.SetQuotas, Now, Quotas: free),
            new(WalletOperationKind.Debit, Now.AddMinutes(1), "r1", Usage: Runs(100)),
            new(WalletOperationKind.Debit, Now.AddMinutes(2), "r2", Usage: Runs(1)), // refused: the month's 100 are used
            new(WalletOperationKind.Debit, november.AddMonths(1), "r3", Usage: Runs(3)), // December: a new window
            new(WalletOperationKind.SetQuotas, november.AddMonths(1).AddHours(1), Quotas: free with { Quotas = [new Quota(CreditCatalog.WorkflowRuns, 4, Quota.Month)], Revision = 2 }),
            new(WalletOperationKind.Debit, november.AddMonths(1).AddHours(2), "r4", Usage: Runs(2)), // refused: 3 + 2 > 4
        };
        var live = new WalletBook(new WalletBookState());
        var answers = operations.Select(live.Execute).ToArray();
        var replayed = new WalletBookState();
        foreach (var operation in operations) replayed.Apply(operation);

        Assert.Equal([null, null, WalletErrorCodes.QuotaExceeded, null, null, WalletErrorCodes.QuotaExceeded], answers.Select(a => a.Code));
        Assert.Equal(Json(live.State), Json(replayed));
        Assert.Equal((4L, 3L), (replayed.Quotas.Meters[0].Limit, replayed.Quotas.Meters[0].Used));
        Assert.Equal(WalletErrorCodes.QuotaExceeded, new WalletBook(replayed).Debit("r2", 0, Runs(1), Now.AddMinutes(3)).Code);
    }

    private static string Json(WalletBookState state) => System.Text.Json.JsonSerializer.Serialize(state);

    [Fact]
    public void A_replayed_hold_asked_a_moment_later_answers_the_original_hold()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g1", GrantSource.Plan, Credits(10), 0, Now, null, Now);
        var first = book.Hold("h1", Credits(4), Now.AddMinutes(5), Now);
        var replay = book.Hold("h1", Credits(4), Now.AddSeconds(30).AddMinutes(5), Now.AddSeconds(30));

        Assert.Equal(DebitStatus.Duplicate, replay.Status);
        Assert.Equal(first.At, replay.At);
        Assert.Equal(Now, replay.At);
        Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, book.Hold("h1", Credits(4), Now.AddMinutes(10), Now.AddSeconds(30)).Code);
    }

    [Fact]
    public void Memory_lets_archived_ledger_entries_go_and_keeps_every_key()
    {
        var book = new WalletBook(new WalletBookState());
        book.Grant("g1", GrantSource.Plan, Credits(1_000_000), 0, Now, null, Now);
        const int debits = 5 * WalletBook.LedgerEntriesKeptInMemory;
        for (int i = 0; i < debits; i++) book.Debit($"d{i}", 1, null, Now);
        var window = book.State.Entries;
        long through = window.SequenceAt(window.Count - WalletBook.LedgerEntriesKeptInMemory - 1);

        Assert.Equal(DebitStatus.Accepted, book.ArchiveLedger(through).Status);
        Assert.Equal(WalletBook.LedgerEntriesKeptInMemory, book.State.Entries.Count);
        Assert.Equal((through, debits + 1L - WalletBook.LedgerEntriesKeptInMemory), (book.State.ArchivedThroughSequence, book.State.ArchivedEntryCount));
        // Archiving never goes back, nor past what was written.
        Assert.Throws<InvalidOperationException>(() => book.ArchiveLedger(through));
        Assert.Throws<InvalidOperationException>(() => book.ArchiveLedger(book.State.NextSequence + 1));
        Assert.Equal($"d{debits - 1}", book.State.Entries[^1].IdempotencyKey);
        Assert.Equal(debits + 1, book.State.Keys.Count);
        Assert.Equal(DebitStatus.Duplicate, book.Debit("d0", 1, null, Now).Status);
    }
}
