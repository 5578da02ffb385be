using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>
/// A journal replays through the rules it was written under: operations acknowledged under the first
/// rules replay to the same answers after the rules changed, and the new rules apply from the journaled
/// marker on.
/// </summary>
public sealed class WalletRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static long Credits(long credits) => NanoCredits.FromCredits(credits);
    private static readonly BudgetSpec Budget = new("bud_aaaaaaaaaaaaaaaaaaaa", BudgetScope.Organization, "org_rules", Credits(10), BudgetPeriod.Monthly, BudgetAction.Block, BudgetLimits.DefaultThresholdsPercent);

    /// <summary>Under the first rules, open holds did not count in budgets: a hold of 8 under a limit of 10 let a debit of 3 through.</summary>
    private static readonly WalletOperation[] FirstRulesJournal =
    [
        new(WalletOperationKind.Grant, Now, "seed", AmountNanoCredits: Credits(100), Source: GrantSource.Promotional),
        new(WalletOperationKind.SetBudget, Now, Budget: Budget),
        new(WalletOperationKind.Hold, Now, HoldId: "h1", AmountNanoCredits: Credits(8), ExpiresAt: Now.AddHours(1)),
        new(WalletOperationKind.Debit, Now, "d1", AmountNanoCredits: Credits(3)),
    ];

    [Fact]
    public void A_journal_of_the_first_rules_replays_to_what_it_acknowledged_and_the_adopted_rules_apply_after_their_marker()
    {
        var state = new WalletBookState();
        foreach (var operation in FirstRulesJournal) state.Apply(operation);
        Assert.Equal(WalletRules.First, state.RulesVersion);
        Assert.Single(state.Budgets); // the budget was set: the debit passed because holds did not count
        Assert.True(state.Keys.TryGet("d1", out _, out var debit));
        Assert.Equal(DebitStatus.Accepted, debit.Status); // as it was acknowledged
        Assert.Equal(Credits(89), state.Book.AvailableNanoCredits);

        state.Apply(new WalletOperation(WalletOperationKind.AdoptRules, Now, ThroughSequence: WalletRules.Current));
        Assert.Equal(WalletRules.Current, state.RulesVersion);
        // From the marker on, the hold's 8 count: 3 spent + 8 held leave no room for 1 more.
        Assert.Equal(WalletErrorCodes.BudgetExceeded, state.Book.Execute(new WalletOperation(WalletOperationKind.Debit, Now, "d2", AmountNanoCredits: Credits(1))).Code);

        // A hold remembered under the first rules (its fingerprint without the reserved usage) still replays after them.
        var reserved = new UsageDetails("ai.tokens_out", 8_000, null, null);
        var first = new WalletBookState();
        foreach (var operation in FirstRulesJournal[..1]) first.Apply(operation);
        var held = first.Book.Hold("h9", Credits(1), Now.AddHours(1), Now, reserved: reserved);
        first.Apply(new WalletOperation(WalletOperationKind.AdoptRules, Now, ThroughSequence: WalletRules.Current));
        Assert.Equal(held with { Status = DebitStatus.Duplicate }, first.Book.Hold("h9", Credits(1), Now.AddHours(1), Now, reserved: reserved));

        Assert.Throws<InvalidDataException>(() => state.Apply(new WalletOperation(WalletOperationKind.AdoptRules, Now, ThroughSequence: WalletRules.Current + 1)));
    }

    [Fact]
    public async Task A_wallet_whose_journal_predates_the_rules_keeps_its_answers_and_adopts_the_rules_on_activation()
    {
        var storage = new MemoryGrainStorage();
        var journal = new GrainStateKey("creditwallet", "org_rules", "ledger");
        var codec = new WalletOperationCodec();
        // The journal as the build before versions wrote it (times in the past: the wallet runs on the system clock).
        var past = DateTimeOffset.UtcNow.AddMinutes(-5);
        for (int i = 0; i < FirstRulesJournal.Length; i++)
            await storage.AppendAsync(journal, i + 1, codec.Encode(FirstRulesJournal[i] with { At = past, ExpiresAt = FirstRulesJournal[i].ExpiresAt is null ? null : past.AddHours(1) }));

        await using var silo = await GrainSilo.StartAsync(() => storage);
        var wallet = silo.Grains.GetGrain<ICreditWalletGrain>("org_rules");
        Assert.Equal(DebitStatus.Duplicate, (await wallet.Debit("d1", Credits(3), null)).Status);
        Assert.Equal(Credits(89), (await wallet.Get()).AvailableNanoCredits);
        Assert.Equal(WalletErrorCodes.BudgetExceeded, (await wallet.Debit("d2", Credits(1), null)).Code);
    }
}
