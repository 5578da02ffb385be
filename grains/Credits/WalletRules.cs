namespace OrgActors.Grains.Credits;

/// <summary>
/// Versions of the wallet's rules. A journal is replayed through the rules its operations were applied
/// under, or the replay would not rebuild what was acknowledged (a debit accepted then refused now). So a
/// change of rules that can change an answer or a ledger entry is a new version: the state starts at
/// version 1 (snapshots written before versions included), an activation behind <see cref="Current"/>
/// journals an AdoptRules operation before it takes a call, and the book applies each rule by the
/// version its state has reached.
/// </summary>
public static class WalletRules
{
    /// <summary>The rules before versions.</summary>
    public const int First = 1;

    /// <summary>
    /// Version 2: open holds take their room in BLOCK budgets (debits and holds count them; a settle within
    /// its hold is refused by no budget but a workspace's, when the hold named no workspace and the settle
    /// names one); a settle or release lapses at once what an expired grant kept for the hold; a hold's
    /// fingerprint includes what it reserves (meter, quantity, model).
    /// </summary>
    public const int HoldsInBudgets = 2;

    /// <summary>
    /// Version 3: the wallet counts what the organization and each workspace spend in the current UTC day and
    /// month (<see cref="PeriodSpending"/>), and a DAILY or MONTHLY budget set (or moved to another scope or
    /// period) during its period starts from what its scope already spent there, not from nothing. Spending
    /// before this version's marker is not in the count.
    /// </summary>
    public const int PeriodSpending = 3;

    /// <summary>
    /// Version 4: a grant first writes what lapsed before it (EXPIRE and RELEASE entries), as every other charge
    /// does, so its balance after and the wallet's total cap count no credit that already lapsed, and after it what a
    /// lapsed grant kept for an open hold that the new grant now covers (as a settle does); and a grant whose
    /// expiry has passed is refused by the book after its look for a replay, without being remembered (before,
    /// the grain refused it first, so a replay of a grant made before its expiry passed was refused).
    /// </summary>
    public const int GrantsAfterExpiries = 4;

    /// <summary>
    /// Version 5: a grant may be spent as soon as it is granted, whatever the clock says. Before, burn-down
    /// skipped a grant stamped later than the operation's time, while the balance counted it: after the clock
    /// stepped back (a restored machine, NTP), a debit the balance allowed found too little to burn and failed
    /// halfway. A grant is never stamped in the future otherwise, so on a steady clock nothing changes.
    /// </summary>
    public const int GrantsSpendableOnceGranted = 5;

    public const int Current = GrantsSpendableOnceGranted;
}
