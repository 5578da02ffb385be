using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

public sealed class WalletBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static long Credits(long credits) => NanoCredits.FromCredits(credits);

    private readonly WalletBook _book = new(new WalletBookState { RulesVersion = WalletRules.Current });

    [Fact]
    public void After_the_clock_steps_back_a_grant_stamped_later_is_spent_and_the_debit_is_whole()
    {
        // Granted at 12:00 and 12:00:01, then the clock steps back an hour (a restored machine, NTP).
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now.AddHours(2), expiresAt: null, Now.AddHours(2));
        _book.Grant("top-up", GrantSource.TopUp, Credits(5), priority: -1, Now.AddHours(2).AddSeconds(1), expiresAt: null, Now.AddHours(2).AddSeconds(1));
        var earlier = Now.AddHours(1);

        var debit = _book.Debit("d1", Credits(10), null, earlier);

        Assert.Equal((DebitStatus.Accepted, Credits(10), Credits(35)), (debit.Status, debit.ChargedNanoCredits, debit.BalanceNanoCredits));
        Assert.Equal(Credits(35), _book.State.Grants.Sum(g => g.RemainingNanoCredits));
        Assert.Equal(_book.State.RemainingNanoCredits, _book.State.Grants.Sum(g => g.RemainingNanoCredits));
    }

    [Fact]
    public void Under_the_rules_before_version_5_a_replay_still_skips_a_grant_stamped_later()
    {
        var book = new WalletBook(new WalletBookState { RulesVersion = WalletRules.GrantsAfterExpiries });
        book.Grant("later", GrantSource.Promotional, Credits(5), priority: -1, Now.AddHours(1), expiresAt: null, Now.AddHours(1));
        book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);

        // What such a journal acknowledged was paid by the plan (the later grant was skipped): a replay pays it the same way.
        book.Debit("d1", Credits(2), null, Now);
        Assert.Equal((Credits(5), Credits(38)), (book.State.Grants[0].RemainingNanoCredits, book.State.Grants[1].RemainingNanoCredits));
    }

    [Fact]
    public void A_grant_expiring_under_an_open_hold_keeps_what_the_hold_needs_until_it_settles()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        _book.Grant("promo", GrantSource.Promotional, Credits(10), priority: -1, Now, Now.AddSeconds(4), Now);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h1", Credits(45), Now.AddMinutes(5), Now).Status);

        // The promotion expires: 5 of its 10 credits lapse, 5 stay for the hold (the plan covers 40).
        var later = Now.AddSeconds(5);
        _book.ExpireDue(later);
        Assert.Equal(Credits(5), _book.State.Entries.Single(e => e.Kind == LedgerEntryKind.Expire).AmountNanoCredits);
        Assert.Equal(0, _book.AvailableNanoCredits);

        var settled = _book.Settle("h1", "s1", Credits(45), null, later);
        Assert.Equal((DebitStatus.Accepted, Credits(45)), (settled.Status, settled.ChargedNanoCredits));
        Assert.Equal(0, _book.State.RemainingNanoCredits);
    }

    [Fact]
    public void A_grant_writes_what_lapsed_before_it_first_and_its_cap_counts_no_lapsed_credit()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        _book.Grant("big-promo", GrantSource.Promotional, NanoCredits.MaxAmount - Credits(40), priority: 10, Now, Now.AddSeconds(4), Now);
        _book.Hold("h1", Credits(1), Now.AddSeconds(2), Now);

        // After both lapsed, a top-up fits under the total again, and the ledger reads in order.
        var later = Now.AddSeconds(5);
        var topUp = _book.Grant("top-up", GrantSource.TopUp, Credits(100), priority: 10, later, expiresAt: null, later);
        Assert.Equal(DebitStatus.Accepted, topUp.Status);
        Assert.Equal([LedgerEntryKind.Release, LedgerEntryKind.Expire, LedgerEntryKind.Grant], _book.State.Entries.TakeLast(3).Select(e => e.Kind));
        Assert.Equal([Credits(40), Credits(140)], _book.State.Entries.TakeLast(2).Select(e => e.BalanceAfterNanoCredits));
        Assert.Equal(Credits(140), _book.AvailableNanoCredits);
    }

    [Fact]
    public void A_grant_that_covers_an_open_hold_lets_what_a_lapsed_grant_kept_for_it_lapse_at_once()
    {
        _book.Grant("promo", GrantSource.Promotional, Credits(10), priority: 10, Now, Now.AddSeconds(3), Now);
        _book.Hold("h1", Credits(4), Now.AddMinutes(2), Now);
        var later = Now.AddSeconds(5);

        // The promotion lapsed keeping 4 for the hold; a grant of 5 now covers the hold, so those 4 lapse after it.
        var granted = _book.Grant("top-up", GrantSource.TopUp, Credits(5), priority: 10, later, expiresAt: null, later);
        Assert.Equal(Credits(1), granted.BalanceNanoCredits);
        Assert.Equal([LedgerEntryKind.Expire, LedgerEntryKind.Grant, LedgerEntryKind.Expire], _book.State.Entries.TakeLast(3).Select(e => e.Kind));
        Assert.Equal(LedgerEntryKind.Grant, _book.State.Entries.Single(e => e.Id == granted.EntryId).Kind);
        Assert.Equal(Credits(1), _book.State.Entries.Last().BalanceAfterNanoCredits);
        Assert.Equal(DebitStatus.Accepted, _book.Settle("h1", "s1", Credits(4), null, later).Status); // the hold is still paid in full
        Assert.Equal(Credits(1), _book.AvailableNanoCredits);
    }

    [Fact]
    public void Under_the_rules_before_it_a_grant_replays_before_what_lapsed_as_it_was_acknowledged()
    {
        var book = new WalletBook(new WalletBookState { RulesVersion = WalletRules.PeriodSpending });
        book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        book.Grant("promo", GrantSource.Promotional, Credits(10), priority: 10, Now, Now.AddSeconds(4), Now);
        var later = Now.AddSeconds(5);
        book.Grant("top-up", GrantSource.TopUp, Credits(5), priority: 10, later, expiresAt: null, later);
        Assert.Equal(LedgerEntryKind.Grant, book.State.Entries.Last().Kind); // the expiry waits for the next charge
        Assert.Equal(Credits(55), book.State.Entries.Last().BalanceAfterNanoCredits);
    }

    [Fact]
    public void A_retried_release_answers_released_and_gives_nothing_back_twice()
    {
        _book.Grant("g", GrantSource.Promotional, Credits(100), 0, Now, null, Now);
        _book.Hold("h1", Credits(10), Now.AddMinutes(5), Now);
        _book.Hold("h2", Credits(10), Now.AddMinutes(5), Now);
        _book.Hold("h3", Credits(10), Now.AddSeconds(1), Now);

        Assert.True(_book.Release("h1", Now));
        long revision = _book.State.Revision;
        Assert.True(_book.Release("h1", Now)); // a retry: released, as the first answered, and nothing changes
        Assert.Equal((revision, Credits(80)), (_book.State.Revision, _book.AvailableNanoCredits));
        Assert.Single(_book.State.Entries, e => e.Kind == LedgerEntryKind.Release);

        // Not released on request: settled, expired or never held.
        _book.Settle("h2", "evt-1", Credits(4), null, Now);
        Assert.False(_book.Release("h2", Now));
        Assert.False(_book.Release("h3", Now.AddSeconds(2)));
        Assert.False(_book.Release("never", Now));

        // A snapshot keeps them; the latest 1,024 are kept, trimmed a quarter at a time.
        var read = System.Text.Json.JsonSerializer.Deserialize<WalletBookState>(
            System.Text.Json.JsonSerializer.Serialize(_book.State, OrgActors.Runtime.State.GrainStateJson.Options), OrgActors.Runtime.State.GrainStateJson.Options)!;
        Assert.True(new WalletBook(read).Release("h1", Now));
        // h1 and 1,279 more make 1,280: the oldest 256 (h1, r0 to r254) go.
        for (int i = 0; i < WalletBook.ReleasedHoldsKept + WalletBook.ReleasedHoldsKept / 4 - 1; i++)
        {
            _book.Hold($"r{i}", 1, Now.AddMinutes(5), Now);
            Assert.True(_book.Release($"r{i}", Now));
        }
        Assert.Equal(WalletBook.ReleasedHoldsKept, _book.State.ReleasedHolds.Count);
        Assert.False(_book.Release("h1", Now));
        Assert.False(_book.Release("r254", Now));
        Assert.True(_book.Release("r255", Now));
    }

    [Fact]
    public void Credits_a_grant_kept_for_a_hold_lapse_once_the_hold_is_released()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        _book.Grant("promo", GrantSource.Promotional, Credits(10), priority: -1, Now, Now.AddSeconds(4), Now);
        _book.Hold("h1", Credits(45), Now.AddMinutes(5), Now);
        var later = Now.AddSeconds(5);
        _book.ExpireDue(later);

        // The release lapses them at once: the balance it leaves is what can be spent.
        Assert.True(_book.Release("h1", later));
        Assert.False(_book.HasDue(later));
        Assert.Equal([Credits(5), Credits(5)], _book.State.Entries.Where(e => e.Kind == LedgerEntryKind.Expire).Select(e => e.AmountNanoCredits));
        Assert.Equal([LedgerEntryKind.Release, LedgerEntryKind.Expire], _book.State.Entries.TakeLast(2).Select(e => e.Kind));
        Assert.Equal(Credits(40), _book.AvailableNanoCredits);
    }

    [Fact]
    public void A_settle_below_its_hold_lapses_what_a_lapsed_grant_kept_and_answers_the_balance_that_can_be_spent()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        _book.Grant("promo", GrantSource.Promotional, Credits(10), priority: 50, Now, Now.AddSeconds(3), Now);
        _book.Hold("h45", Credits(45), Now.AddHours(1), Now);
        _book.Hold("h2", Credits(5), Now.AddHours(1), Now);
        var later = Now.AddSeconds(5);

        var settled = _book.Settle("h45", "s1", Credits(20), null, later);

        // 20 charged from the 50; the promotion's 10 are past their expiry, kept only for the holds: of what
        // is left (30), 5 stay for h2 and the rest of the promotion lapses now. Spendable: 30 - 5 held - 10 lapsed.
        Assert.Equal((DebitStatus.Accepted, Credits(20), Credits(15)), (settled.Status, settled.ChargedNanoCredits, settled.BalanceNanoCredits));
        Assert.Equal(Credits(15), _book.AvailableNanoCredits);
        Assert.Equal(LedgerEntryKind.Settle, _book.State.Entries.Single(e => e.Id == settled.EntryId).Kind);
        Assert.Equal(LedgerEntryKind.Expire, _book.State.Entries.Last().Kind);
        Assert.False(_book.HasDue(later));
        // A replay names the same SETTLE entry and the same balance.
        Assert.Equal(settled with { Status = DebitStatus.Duplicate }, _book.Settle("h45", "s1", Credits(20), null, later.AddSeconds(1)));
    }

    [Fact]
    public void Debits_burn_down_by_priority_then_soonest_expiry_then_oldest_and_record_their_funding()
    {
        var late = _book.Grant("g1", GrantSource.TopUp, Credits(10), priority: 1, Now, expiresAt: null, Now).EntryId;
        _book.Grant("g2", GrantSource.Plan, Credits(10), priority: 1, Now, Now.AddDays(30), Now);
        _book.Grant("g3", GrantSource.Promotional, Credits(10), priority: 0, Now, Now.AddDays(60), Now);
        Assert.NotNull(late);

        var debit = _book.Debit("d1", Credits(15), new UsageDetails("ai.tokens_out", 15000, null, "gpt-4o"), Now);
        Assert.Equal(DebitStatus.Accepted, debit.Status);
        Assert.Equal(Credits(15), debit.BalanceNanoCredits);
        var fundings = _book.State.Entries.Single(e => e.Kind == LedgerEntryKind.Debit).Fundings;
        var grants = _book.Grants(includeDepleted: true);
        // priority 0 first (promotional, all 10), then the plan grant expiring soonest (5 of it).
        Assert.Equal([new GrantFunding(grants[2].Id, Credits(10)), new GrantFunding(grants[1].Id, Credits(5))], fundings);
        Assert.Equal(Credits(10), grants[0].RemainingNanoCredits);
    }

    [Fact]
    public void The_balance_never_goes_below_zero_and_a_refused_debit_changes_nothing()
    {
        _book.Grant("g", GrantSource.Plan, Credits(5), 0, Now, null, Now);
        var refused = _book.Debit("d", Credits(5) + 1, null, Now);
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.InsufficientCredits), (refused.Status, refused.Code));
        Assert.Equal(Credits(5), _book.AvailableNanoCredits);
        Assert.Equal(DebitStatus.Accepted, _book.Debit("d2", Credits(5), null, Now).Status);
        Assert.Equal(0, _book.AvailableNanoCredits);
        Assert.Equal(DebitStatus.Rejected, _book.Debit("d3", 1, null, Now).Status);
    }

    [Fact]
    public void A_replayed_key_charges_once_and_a_reused_key_with_other_fields_is_refused()
    {
        _book.Grant("g", GrantSource.Plan, Credits(10), 0, Now, null, Now);
        var usage = new UsageDetails("storage.egress_bytes", 1_000_000_000, "ws_1", null);
        var first = _book.Debit("evt-1", Credits(1), usage, Now);
        var replay = _book.Debit("evt-1", Credits(1), usage, Now);
        Assert.Equal(DebitStatus.Duplicate, replay.Status);
        Assert.Equal((first.ChargedNanoCredits, first.EntryId), (replay.ChargedNanoCredits, replay.EntryId));
        Assert.Equal(Credits(9), _book.AvailableNanoCredits);

        var reused = _book.Debit("evt-1", Credits(2), usage, Now);
        Assert.Equal((DebitStatus.Rejected, WalletErrorCodes.IdempotencyKeyReused), (reused.Status, reused.Code));
        Assert.Equal(Credits(9), _book.AvailableNanoCredits);
        Assert.Equal(DebitStatus.Duplicate, _book.Grant("g", GrantSource.Plan, Credits(10), 0, Now, null, Now).Status);
        Assert.Equal(Credits(9), _book.AvailableNanoCredits);
    }

    [Fact]
    public void Holds_settle_up_to_the_hold_release_and_expire_on_their_own()
    {
        _book.Grant("g", GrantSource.Plan, Credits(10), 0, Now, null, Now);
        Assert.Equal(DebitStatus.Accepted, _book.Hold("h1", Credits(4), Now.AddMinutes(5), Now).Status);
        Assert.Equal(Credits(6), _book.AvailableNanoCredits);
        Assert.Equal(DebitStatus.Rejected, _book.Debit("d", Credits(7), null, Now).Status);

        var settled = _book.Settle("h1", "evt-h1", Credits(9), null, Now);
        Assert.Equal(Credits(4), settled.ChargedNanoCredits); // at most the hold
        Assert.Equal(Credits(6), _book.AvailableNanoCredits);
        Assert.Equal(WalletErrorCodes.HoldNotOpen, _book.Settle("h1", "evt-h1-again", Credits(1), null, Now).Code);

        _book.Hold("h2", Credits(2), Now.AddMinutes(5), Now);
        Assert.True(_book.Release("h2", Now));
        Assert.Equal(Credits(6), _book.AvailableNanoCredits);

        _book.Hold("h3", Credits(3), Now.AddMinutes(5), Now);
        Assert.Equal(Credits(3), _book.AvailableNanoCredits);
        _book.ExpireDue(Now.AddMinutes(6));
        Assert.Equal(Credits(6), _book.AvailableNanoCredits);
        Assert.False(_book.Release("h3", Now.AddMinutes(6)));
        Assert.Equal(2, _book.State.Entries.Count(e => e.Kind == LedgerEntryKind.Release));
        // A RELEASE entry carries its hold's key, released on request or by expiry, so the ledger links the two.
        Assert.Equal(["hold:h2", "hold:h3"], _book.State.Entries.Where(e => e.Kind == LedgerEntryKind.Release).Select(e => e.IdempotencyKey));
        Assert.Contains(_book.State.Entries, e => e.Kind == LedgerEntryKind.Hold && e.IdempotencyKey == "hold:h3");
    }

    [Fact]
    public void Lapsed_grants_are_expired_with_an_explicit_entry()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), 0, Now, Now.AddDays(30), Now);
        _book.Debit("d", Credits(15), null, Now);
        _book.ExpireDue(Now.AddDays(30));
        var expire = Assert.Single(_book.State.Entries, e => e.Kind == LedgerEntryKind.Expire);
        Assert.Equal(Credits(25), expire.AmountNanoCredits);
        Assert.Equal(0, _book.AvailableNanoCredits);
        Assert.Empty(_book.Grants(includeDepleted: false));
    }

    [Theory]
    [InlineData("12.5", 12_500_000_000)]
    [InlineData("0.00005", 50_000)]
    [InlineData("0.001", 1_000_000)]
    [InlineData("1000000000", 1_000_000_000_000_000_000)]
    // Leading zeros, read past the ten digits of the largest amount; formatted without them.
    [InlineData("007", 7_000_000_000, "7")]
    [InlineData("00000000001", 1_000_000_000, "1")]
    [InlineData("01000000000", 1_000_000_000_000_000_000, "1000000000")]
    [InlineData("0000000000000000000.5", 500_000_000, "0.5")]
    [InlineData("000", 0, "0")]
    public void Credits_strings_are_exact(string text, long nanoCredits, string? formatted = null)
    {
        Assert.True(NanoCredits.TryParse(text, out var parsed));
        Assert.Equal(nanoCredits, parsed);
        Assert.Equal(formatted ?? text, NanoCredits.Format(nanoCredits));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0000000000000000000000000000001")] // 31 characters: past the longest text read
    [InlineData("01000000000.000000001")]
    [InlineData("-1")]
    [InlineData("1e3")]
    [InlineData("0.0000000001")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1000000000.000000001")]
    public void Malformed_credits_strings_are_refused(string text) => Assert.False(NanoCredits.TryParse(text, out _));

    [Fact]
    public void A_hold_replayed_for_other_usage_at_the_same_amount_is_a_reused_key()
    {
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, expiresAt: null, Now);
        var tokens = new UsageDetails("ai.tokens_out", 1000, null, "gpt-4o");
        var held = _book.Hold("k1", Credits(1), Now.AddMinutes(5), Now, reserved: tokens);
        Assert.Equal(DebitStatus.Accepted, held.Status);

        Assert.Equal(held with { Status = DebitStatus.Duplicate }, _book.Hold("k1", Credits(1), Now.AddMinutes(5), Now, reserved: tokens));
        foreach (var other in new[] { tokens with { Meter = "storage.egress_bytes" }, tokens with { Quantity = 20_000 }, tokens with { Model = "x" } })
            Assert.Equal(WalletErrorCodes.IdempotencyKeyReused, _book.Hold("k1", Credits(1), Now.AddMinutes(5), Now, reserved: other).Code);
        Assert.Equal(Credits(39), _book.AvailableNanoCredits);
    }

    [Fact]
    public void Looking_for_lapsed_grants_and_holds_allocates_nothing_when_none_lapsed()
    {
        // Every debit looks first; an allocation here is one more object per debit, at thousands a second.
        _book.Grant("plan", GrantSource.Plan, Credits(40), priority: 0, Now, Now.AddDays(30), Now);
        _book.Hold("h1", Credits(5), Now.AddMinutes(5), Now);
        _book.ExpireDue(Now); // compiled, and anything lazily made once is made

        int changes = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++) changes += _book.ExpireDue(Now);
        long allocatedBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((0, 0L), (changes, allocatedBytes));
    }
}
