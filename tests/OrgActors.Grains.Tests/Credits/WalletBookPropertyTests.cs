using FsCheck;
using FsCheck.Fluent;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Grains.Tests.Credits;

/// <summary>Random sequences of wallet operations keep the books consistent.</summary>
public sealed class WalletBookPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Any_sequence_of_operations_keeps_the_invariants()
    {
        var operations = Gen.ListOf(
            from kind in Gen.Choose(0, 6)
            from amount in Gen.Choose(0, 50)
            from key in Gen.Choose(0, 30)
            from minutes in Gen.Choose(0, 90)
            select (kind, amount, key, minutes));

        Prop.ForAll(operations.ToArbitrary(), steps =>
        {
            var book = new WalletBook(new WalletBookState());
            var now = Start;
            foreach (var (kind, amount, key, minutes) in steps)
            {
                now = now.AddMinutes(minutes % 7);
                long nanos = amount * 100_000_000L;
                switch (kind)
                {
                    case 0: book.Grant("g" + key, GrantSource.Plan, nanos + 1, key % 3, now, key % 2 == 0 ? now.AddMinutes(minutes + 1) : null, now); break;
                    case 1 or 2: book.Debit("d" + key, nanos, null, now); break;
                    case 3: book.Hold("h" + key, nanos + 1, now.AddMinutes(minutes + 1), now); break;
                    case 4: book.Settle("h" + key, "s" + key, nanos, null, now); break;
                    case 5: book.Release("h" + key, now); break;
                    default: book.ExpireDue(now); break;
                }
                AssertConsistent(book);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static void AssertConsistent(WalletBook book)
    {
        var state = book.State;
        Assert.True(book.AvailableNanoCredits >= 0);
        Assert.Equal(state.Grants.Where(g => !g.Expired).Sum(g => g.RemainingNanoCredits), state.RemainingNanoCredits);
        Assert.Equal(state.Holds.Values.Sum(h => h.AmountNanoCredits), state.HeldNanoCredits);
        // Every open hold can be settled in full: expiring grants never take the credits holds need.
        Assert.True(state.RemainingNanoCredits >= state.HeldNanoCredits, $"{state.RemainingNanoCredits} remain for {state.HeldNanoCredits} held");
        Assert.All(state.Grants, g => Assert.InRange(g.RemainingNanoCredits, 0, g.AmountNanoCredits));

        // The ledger explains every grant's remaining amount: granted minus what debits, settles and expiry took.
        var taken = state.Entries.Where(e => e.Kind is LedgerEntryKind.Debit or LedgerEntryKind.Settle or LedgerEntryKind.Expire)
            .SelectMany(e => e.Fundings).GroupBy(f => f.GrantId).ToDictionary(g => g.Key, g => g.Sum(f => f.AmountNanoCredits));
        foreach (var grant in state.Grants)
            Assert.Equal(grant.AmountNanoCredits - taken.GetValueOrDefault(grant.Id), grant.RemainingNanoCredits);
        Assert.All(state.Entries.Where(e => e.Kind is LedgerEntryKind.Debit or LedgerEntryKind.Settle), e => Assert.Equal(e.AmountNanoCredits, e.Fundings.Sum(f => f.AmountNanoCredits)));
    }
}
