using System.Diagnostics;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The wallet's bookkeeping, with no I/O: grants, debits burning grants down (lowest priority number,
/// then soonest expiry, then oldest), holds that settle or release, explicit expiry, and idempotency
/// keys that replay their first answer forever. Every operation either applies completely or not at
/// all; the available balance never goes below zero. The grain persists <see cref="State"/> after
/// each change.
/// </summary>
public sealed class WalletBook(WalletBookState state)
{
    /// <summary>The latest ledger entries the grain keeps in memory (and in snapshots) when it archives older ones.</summary>
    public const int LedgerEntriesKeptInMemory = 200;

    /// <summary>Grant ids are this prefix and the wallet's sequence, which ledger entry ids share.</summary>
    private const string GrantIdPrefix = "grant_";

    public WalletBookState State { get; } = state;

    /// <summary>The ledger entry this operation's answer names (the last it wrote, but for a settle's EXPIRE entries), whose time the answer carries.</summary>
    private (long Sequence, DateTimeOffset At)? _lastAppended;

    private BudgetBook? _budgets;

    /// <summary>Open holds' amounts by workspace, for WORKSPACE budgets; built from the holds at first use, then kept up to date.</summary>
    private Dictionary<string, long>? _heldByWorkspace;

    /// <summary>One delegate for every budget check (no allocation per debit).</summary>
    private Func<string, long>? _heldInWorkspace;
    private Func<string, long> HeldInWorkspaceLookup => _heldInWorkspace ??= HeldInWorkspace;
    private QuotaBook? _quotas;

    /// <summary>Runs one journaled operation; the same operations in the same order give the same book.</summary>
    public DebitResult Execute(WalletOperation operation)
    {
        _lastAppended = null;
        return Run(operation);
    }

    private DebitResult Run(WalletOperation operation) => operation.Kind switch
    {
        WalletOperationKind.Grant => Grant(operation.IdempotencyKey!, operation.Source, operation.AmountNanoCredits, operation.Priority, operation.At, operation.ExpiresAt, operation.At),
        WalletOperationKind.Debit => Debit(operation.IdempotencyKey!, operation.AmountNanoCredits, operation.Usage, operation.At),
        WalletOperationKind.Hold => Hold(operation.HoldId!, operation.AmountNanoCredits, operation.ExpiresAt!.Value, operation.At, operation.WorkspaceId, operation.Usage),
        WalletOperationKind.Settle => Settle(operation.HoldId!, operation.IdempotencyKey!, operation.AmountNanoCredits, operation.Usage, operation.At),
        WalletOperationKind.Release => Release(operation.HoldId!, operation.At)
            ? new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null)
            : Rejected(WalletErrorCodes.HoldNotOpen),
        WalletOperationKind.Expire => ExpireAll(operation.At),
        WalletOperationKind.SetBudget => BudgetChanged(Budgets.Set(operation.Budget!, operation.At, Follows(WalletRules.PeriodSpending) ? State.Spending : null)),
        WalletOperationKind.DeleteBudget => BudgetChanged(Budgets.Delete(operation.BudgetId!)),
        WalletOperationKind.SetQuotas => QuotasChanged(Quotas.Set(operation.Quotas!, operation.At)),
        WalletOperationKind.ArchiveLedger => ArchiveLedger(operation.ThroughSequence),
        WalletOperationKind.ArchiveKeys => ArchiveKeys(operation.ThroughSequence),
        WalletOperationKind.AdoptRules => AdoptRules(operation.ThroughSequence),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "Unknown wallet operation."),
    };

    /// <summary>The idempotency key an operation looks up (and remembers), or null for one that has none.</summary>
    public static string? KeyOf(WalletOperation operation) => operation.Kind switch
    {
        WalletOperationKind.Grant or WalletOperationKind.Debit or WalletOperationKind.Settle => operation.IdempotencyKey,
        WalletOperationKind.Hold => ReservedKeys.HoldKey(operation.HoldId!),
        _ => null,
    };

    /// <summary>A BLOCK budget's refusal of a charge, counting what open holds in its scope keep for themselves.</summary>
    private string? BudgetRefusal(long amountNanoCredits, string? workspaceId, DateTimeOffset now) => Follows(WalletRules.HoldsInBudgets)
        ? Budgets.Refusal(amountNanoCredits, workspaceId, now, State.HeldNanoCredits, HeldInWorkspaceLookup)
        : Budgets.Refusal(amountNanoCredits, workspaceId, now, heldInOrganization: 0, NothingHeld);

    private static readonly Func<string, long> NothingHeld = _ => 0;

    /// <summary>A charge counts in the budgets that watch it and, under the rules that keep it, in the period's spending.</summary>
    private void RecordSpend(long amountNanoCredits, string? workspaceId, DateTimeOffset now)
    {
        Budgets.RecordSpend(amountNanoCredits, workspaceId, now);
        if (Follows(WalletRules.PeriodSpending)) State.Spending.Record(amountNanoCredits, workspaceId, now);
    }

    /// <summary>The budgets as of <paramref name="now"/>, each with what open holds in its scope keep (under the rules that count them).</summary>
    public IReadOnlyList<BudgetView> BudgetViews(DateTimeOffset now) => Follows(WalletRules.HoldsInBudgets)
        ? Budgets.Views(now, State.HeldNanoCredits, HeldInWorkspaceLookup)
        : Budgets.Views(now);

    private long HeldInWorkspace(string workspaceId)
    {
        if (_heldByWorkspace is null)
        {
            _heldByWorkspace = new(StringComparer.Ordinal);
            foreach (var hold in State.Holds.Values) TrackHeld(hold, +1);
        }
        return _heldByWorkspace.GetValueOrDefault(workspaceId);
    }

    /// <summary>Keeps <see cref="_heldByWorkspace"/> up to date when a hold opens (+1) or ends (-1); nothing before its first use.</summary>
    private void TrackHeld(HoldRecord hold, int sign)
    {
        if (_heldByWorkspace is null || hold.WorkspaceId is not { } workspaceId) return;
        long held = _heldByWorkspace.GetValueOrDefault(workspaceId) + sign * hold.AmountNanoCredits;
        Debug.Assert(held >= 0, "A workspace never holds less than nothing.");
        if (held == 0) _heldByWorkspace.Remove(workspaceId);
        else _heldByWorkspace[workspaceId] = held;
    }

    /// <summary>The budget rules over this wallet's budgets and pending alerts.</summary>
    public BudgetBook Budgets => _budgets ??= new(State.Budgets, State.PendingAlerts);

    /// <summary>The plan's quota meters (e.g. workflow runs per month), counted without credits.</summary>
    public QuotaBook Quotas => _quotas ??= new(State.Quotas);

    /// <summary>Spendable now: remaining of live grants minus open holds.</summary>
    public long AvailableNanoCredits => Math.Max(0, State.RemainingNanoCredits - State.HeldNanoCredits);

    public DebitResult Grant(string idempotencyKey, GrantSource source, long amountNanoCredits, int priority,
        DateTimeOffset effectiveAt, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        // Not the time it was asked: a retry later is the same grant.
        long fingerprint = Fingerprints.Hash($"grant|{source}|{amountNanoCredits}|{priority}|{expiresAt?.UtcTicks}");
        if (Replay(idempotencyKey, fingerprint) is { } replay) return replay;
        if (Follows(WalletRules.GrantsAfterExpiries))
        {
            // A passed expiry is refused after the look for a replay (a grant made before it passed answers as it
            // did), and not remembered, so the key stays free for the corrected grant.
            if (expiresAt <= now) return Rejected(WalletErrorCodes.InvalidAmount);
            // What lapsed before this grant comes first in the ledger, and counts no more against the total.
            ExpireDue(now);
        }
        if (amountNanoCredits is <= 0 or > NanoCredits.MaxAmount || State.RemainingNanoCredits + amountNanoCredits > NanoCredits.MaxAmount)
            return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InvalidAmount));
        // Under the rules before version 4 (above, since), a passed expiry was refused here, and remembered.
        if (expiresAt is { } expiry && expiry <= now) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InvalidAmount));

        var grant = new GrantRecord
        {
            Id = LedgerWindow.SequenceId(GrantIdPrefix, ++State.NextSequence), Source = source, AmountNanoCredits = amountNanoCredits, RemainingNanoCredits = amountNanoCredits,
            Priority = priority, EffectiveAt = effectiveAt, ExpiresAt = expiresAt,
        };
        State.Grants.Add(grant);
        State.RemainingNanoCredits += amountNanoCredits;
        var entryId = Append(LedgerEntryKind.Grant, amountNanoCredits, now, idempotencyKey, new Funding(grant.Id, amountNanoCredits, null));
        // What a lapsed grant kept for an open hold that the new grant now covers lapses with it, as after a SETTLE.
        if (Follows(WalletRules.GrantsAfterExpiries)) ExpireDueAfterEntry(now);
        return Remember(idempotencyKey, fingerprint, Accepted(amountNanoCredits, entryId));
    }

    /// <summary>Charges the amount or nothing: INSUFFICIENT_CREDITS when the available balance is short.</summary>
    public DebitResult Debit(string idempotencyKey, long amountNanoCredits, UsageDetails? usage, DateTimeOffset now)
    {
        long fingerprint = Fingerprints.Hash($"debit|{amountNanoCredits}|{usage?.Meter}|{usage?.Quantity}|{usage?.WorkspaceId}|{usage?.Model}");
        if (Replay(idempotencyKey, fingerprint) is { } replay) return replay;
        if (amountNanoCredits is < 0 or > NanoCredits.MaxAmount) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InvalidAmount));
        ExpireDue(now);
        if (amountNanoCredits > AvailableNanoCredits) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InsufficientCredits));
        if (BudgetRefusal(amountNanoCredits, usage?.WorkspaceId, now) is { } budgetRefusal) return Remember(idempotencyKey, fingerprint, Rejected(budgetRefusal));
        if (Quotas.Refusal(usage, now) is { } quotaRefusal) return Remember(idempotencyKey, fingerprint, Rejected(quotaRefusal));

        var fundings = BurnDown(amountNanoCredits, now);
        var entryId = Append(LedgerEntryKind.Debit, amountNanoCredits, now, idempotencyKey, fundings, usage);
        RecordSpend(amountNanoCredits, usage?.WorkspaceId, now);
        Quotas.RecordUse(usage, now);
        return Remember(idempotencyKey, fingerprint, Accepted(amountNanoCredits, entryId));
    }

    /// <summary>
    /// Reserves an amount until it is settled, released, or <paramref name="expiresAt"/> passes. A hold for a
    /// workspace settles as that workspace's spend.
    /// </summary>
    public DebitResult Hold(string holdId, long amountNanoCredits, DateTimeOffset expiresAt, DateTimeOffset now, string? workspaceId = null, UsageDetails? reserved = null)
    {
        // The time-to-live, not the expiry: a replay a moment later asks for the same hold. What it reserves
        // for (meter, quantity, model) is part of it: the same id for other usage is a reused key, even at
        // the same amount. (Without those, and without a workspace, the text is what it was before holds
        // had them, so earlier holds replay as before.)
        var text = workspaceId is null
            ? $"hold|{amountNanoCredits}|{(expiresAt - now).Ticks}"
            : $"hold|{amountNanoCredits}|{(expiresAt - now).Ticks}|{workspaceId}";
        long textFingerprint = Fingerprints.Hash(text);
        long fingerprint = reserved is null || !Follows(WalletRules.HoldsInBudgets) ? textFingerprint : Fingerprints.Hash($"{text}|{reserved.Meter}|{reserved.Quantity}|{reserved.Model}");
        var key = ReservedKeys.HoldKey(holdId);
        // A hold remembered before its fingerprint had the reserved usage (the first rules) still replays.
        if (Replay(key, fingerprint, earlierFingerprint: textFingerprint) is { } replay) return replay;
        if (amountNanoCredits is <= 0 or > NanoCredits.MaxAmount || expiresAt <= now) return Remember(key, fingerprint, Rejected(WalletErrorCodes.InvalidAmount));
        ExpireDue(now);
        if (amountNanoCredits > AvailableNanoCredits) return Remember(key, fingerprint, Rejected(WalletErrorCodes.InsufficientCredits));
        // A hold takes its room in BLOCK budgets now (open holds count as spent), so that its settle need not be
        // refused (but by a workspace's budgets, when the hold names no workspace and its settle names one).
        if (Follows(WalletRules.HoldsInBudgets) && BudgetRefusal(amountNanoCredits, workspaceId, now) is { } budgetRefusal)
            return Remember(key, fingerprint, Rejected(budgetRefusal));

        var opened = new HoldRecord { Id = holdId, AmountNanoCredits = amountNanoCredits, ExpiresAt = expiresAt, WorkspaceId = workspaceId };
        State.Holds[holdId] = opened;
        State.HeldNanoCredits += amountNanoCredits;
        TrackHeld(opened, +1);
        // The ledger shows what was reserved and for which workspace (a hold without details shows neither).
        var entryId = Append(LedgerEntryKind.Hold, amountNanoCredits, now, key, Funding.None, reserved);
        return Remember(key, fingerprint, Accepted(amountNanoCredits, entryId));
    }

    /// <summary>
    /// Charges the actual amount, at most the hold, and releases the rest. The spend is the hold's
    /// workspace's: usage naming no workspace takes it, usage naming another is INVALID_EVENT (otherwise
    /// leaving the workspace out would escape its budget).
    /// </summary>
    public DebitResult Settle(string holdId, string idempotencyKey, long actualNanoCredits, UsageDetails? usage, DateTimeOffset now)
    {
        long fingerprint = Fingerprints.Hash($"settle|{holdId}|{actualNanoCredits}|{usage?.Meter}|{usage?.Quantity}|{usage?.WorkspaceId}|{usage?.Model}");
        if (Replay(idempotencyKey, fingerprint) is { } replay) return replay;
        if (actualNanoCredits is < 0 or > NanoCredits.MaxAmount) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InvalidAmount));
        ExpireDue(now);
        bool holdOpen = State.Holds.TryGetValue(holdId, out var open);
        var workspaceId = usage?.WorkspaceId;
        if (holdOpen && open!.WorkspaceId is { } holdWorkspace)
        {
            if (workspaceId is not null && workspaceId != holdWorkspace) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.InvalidEvent));
            workspaceId = holdWorkspace;
            if (usage is not null) usage = usage with { WorkspaceId = holdWorkspace };
        }
        // Before holds took their room in budgets, a settle was checked against them as a debit is. Since, a hold
        // made for no workspace took room in the organization's budgets only: a settle that names a workspace
        // is checked against that workspace's, or leaving the workspace out of the hold would escape them.
        long mostCharged = holdOpen ? Math.Min(Math.Min(actualNanoCredits, open!.AmountNanoCredits), State.RemainingNanoCredits) : 0;
        if (holdOpen && !Follows(WalletRules.HoldsInBudgets) && BudgetRefusal(mostCharged, workspaceId, now) is { } budgetRefusal)
            return Remember(idempotencyKey, fingerprint, Rejected(budgetRefusal));
        if (holdOpen && Follows(WalletRules.HoldsInBudgets) && open!.WorkspaceId is null && workspaceId is not null
            && Budgets.Refusal(mostCharged, workspaceId, now, heldInOrganization: 0, HeldInWorkspaceLookup, workspaceBudgetsOnly: true) is { } workspaceRefusal)
            return Remember(idempotencyKey, fingerprint, Rejected(workspaceRefusal));
        if (holdOpen && Quotas.Refusal(usage, now) is { } quotaRefusal) return Remember(idempotencyKey, fingerprint, Rejected(quotaRefusal));
        if (!State.Holds.Remove(holdId, out var hold)) return Remember(idempotencyKey, fingerprint, Rejected(WalletErrorCodes.HoldNotOpen));

        State.HeldNanoCredits -= hold.AmountNanoCredits;
        TrackHeld(hold, -1);
        // A grant may have expired under the hold: never charge more than what remains.
        long charged = Math.Min(Math.Min(actualNanoCredits, hold.AmountNanoCredits), State.RemainingNanoCredits);
        var fundings = BurnDown(charged, now);
        var entryId = Append(LedgerEntryKind.Settle, charged, now, idempotencyKey, fundings, usage, settledReservationId: holdId);
        RecordSpend(charged, workspaceId, now);
        Quotas.RecordUse(usage, now);
        // What a lapsed grant kept for this hold lapses with it.
        if (Follows(WalletRules.HoldsInBudgets)) ExpireDueAfterEntry(now);
        return Remember(idempotencyKey, fingerprint, Accepted(charged, entryId));
    }

    /// <summary>Released holds remembered for retries of their release: enough for a retry's minutes, bounded for snapshots.</summary>
    public const int ReleasedHoldsKept = 1_024;

    /// <summary>
    /// Ends a hold without charging. True when it is released: now, or by an earlier release among the latest
    /// <see cref="ReleasedHoldsKept"/> (a retry). False when it is not open for another reason (settled, expired,
    /// refused or unknown).
    /// </summary>
    public bool Release(string holdId, DateTimeOffset now)
    {
        ExpireDue(now);
        if (!State.Holds.Remove(holdId, out var hold)) return State.ReleasedHolds.Contains(holdId);
        State.HeldNanoCredits -= hold.AmountNanoCredits;
        TrackHeld(hold, -1);
        // Keyed like its HOLD entry, so that the ledger links the two.
        Append(LedgerEntryKind.Release, hold.AmountNanoCredits, now, ReservedKeys.HoldKey(hold.Id), Funding.None);
        var released = State.ReleasedHolds;
        released.Add(hold.Id);
        // Trimmed a quarter at a time, so that a wallet releasing thousands of holds does not shift the list on every one.
        if (released.Count >= ReleasedHoldsKept + ReleasedHoldsKept / 4) released.RemoveRange(0, released.Count - ReleasedHoldsKept);
        if (Follows(WalletRules.HoldsInBudgets)) ExpireDue(now); // what a lapsed grant kept for this hold lapses with it
        return true;
    }

    private DebitResult ExpireAll(DateTimeOffset now)
    {
        ExpireDue(now);
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    /// <summary>Whether a grant or a hold has passed its expiry without its entry written yet.</summary>
    public bool HasDue(DateTimeOffset now)
    {
        foreach (var hold in State.Holds.Values)
        {
            if (hold.ExpiresAt <= now) return true;
        }
        long overdue = 0;
        foreach (var grant in State.Grants)
        {
            if (!IsOverdue(grant, now)) continue;
            if (grant.RemainingNanoCredits == 0) return true;
            overdue += grant.RemainingNanoCredits;
        }
        return overdue > CreditsHoldsNeedFromOverdueGrants(now);
    }

    /// <summary>
    /// Writes RELEASE entries for holds past their expiry, then EXPIRE entries for grants past theirs. A
    /// grant past its expiry keeps what open holds need and no other grant has: an accepted hold must
    /// find its credits when it settles. What it keeps expires once those holds end.
    /// </summary>
    public int ExpireDue(DateTimeOffset now)
    {
        int changes = 0;
        // Collected first (a dictionary cannot lose entries while enumerated); nothing is allocated when none lapsed.
        List<HoldRecord>? lapsedHolds = null;
        foreach (var hold in State.Holds.Values)
        {
            if (hold.ExpiresAt <= now) (lapsedHolds ??= []).Add(hold);
        }
        // Not "lapsedHolds ?? []", which would build an empty list on every operation (a test holds this to no allocation).
        foreach (var hold in lapsedHolds ?? Enumerable.Empty<HoldRecord>())
        {
            State.Holds.Remove(hold.Id);
            State.HeldNanoCredits -= hold.AmountNanoCredits;
            TrackHeld(hold, -1);
            Append(LedgerEntryKind.Release, hold.AmountNanoCredits, hold.ExpiresAt, ReservedKeys.HoldKey(hold.Id), Funding.None);
            changes++;
        }

        long stillNeeded = -1; // computed at the first overdue grant: every debit comes through here
        foreach (var grant in State.Grants)
        {
            if (!IsOverdue(grant, now)) continue;
            if (stillNeeded < 0) stillNeeded = CreditsHoldsNeedFromOverdueGrants(now);
            long kept = Math.Min(grant.RemainingNanoCredits, stillNeeded);
            stillNeeded -= kept;
            long lapsed = grant.RemainingNanoCredits - kept;
            if (kept > 0 && lapsed == 0) continue; // all of it still backs holds
            // Done with it once it keeps nothing (a used-up grant gets its entry of 0, as always).
            grant.Expired = kept == 0;
            grant.RemainingNanoCredits = kept;
            State.RemainingNanoCredits -= lapsed;
            Append(LedgerEntryKind.Expire, lapsed, grant.ExpiresAt!.Value, null, new Funding(grant.Id, lapsed, null));
            changes++;
        }
        return changes;
    }

    /// <summary>A grant past its expiry that is not done with yet: its EXPIRE entry is due, or it keeps credits for holds.</summary>
    private static bool IsOverdue(GrantRecord grant, DateTimeOffset now) =>
        !grant.Expired && grant.ExpiresAt is { } expiry && expiry <= now;

    /// <summary>What open holds need beyond the credits of grants that have not expired.</summary>
    private long CreditsHoldsNeedFromOverdueGrants(DateTimeOffset now)
    {
        long current = 0;
        foreach (var grant in State.Grants)
        {
            if (!grant.Expired && !IsOverdue(grant, now)) current += grant.RemainingNanoCredits;
        }
        return Math.Max(0, State.HeldNanoCredits - current);
    }

    public IReadOnlyList<CreditGrant> Grants(bool includeDepleted) => State.Grants
        .Where(g => includeDepleted || (!g.Expired && g.RemainingNanoCredits > 0))
        .Select(g => new CreditGrant(g.Id, g.Source, g.AmountNanoCredits, g.RemainingNanoCredits, g.Priority, g.EffectiveAt, g.ExpiresAt))
        .ToArray();

    /// <summary>Takes the amount from live grants in burn-down order; the caller checked there is enough.</summary>
    private Funding BurnDown(long amountNanoCredits, DateTimeOffset now)
    {
        // Usually one grant pays: pick the next one by scanning (a wallet has few live grants) rather than
        // sorting them all on every debit; one payer needs no array.
        List<GrantFunding>? several = null;
        var funding = Funding.None;
        long left = amountNanoCredits;
        while (left > 0 && NextToBurn(now) is { } grant)
        {
            long take = Math.Min(left, grant.RemainingNanoCredits);
            grant.RemainingNanoCredits -= take;
            left -= take;
            if (funding.OnlyGrantId is null && several is null) funding = new Funding(grant.Id, take, null);
            else (several ??= [new GrantFunding(funding.OnlyGrantId!, funding.OnlyAmountNanoCredits)]).Add(new GrantFunding(grant.Id, take));
        }
        if (left != 0) throw new InvalidOperationException($"Burn-down short by {left} nano-credits: the available balance was wrong.");
        State.RemainingNanoCredits -= amountNanoCredits;
        return several is null ? funding : new Funding(null, 0, [.. several]);
    }

    /// <summary>The live grant that burns first: lowest priority number, then soonest expiry, then oldest; on a tie, the first added.</summary>
    private GrantRecord? NextToBurn(DateTimeOffset now)
    {
        GrantRecord? best = null;
        foreach (var grant in State.Grants)
        {
            if (grant.Expired || grant.RemainingNanoCredits == 0) continue;
            if (grant.EffectiveAt > now && !Follows(WalletRules.GrantsSpendableOnceGranted)) continue; // replays what older rules did
            if (best is null || BurnsBefore(grant, best)) best = grant;
        }
        return best;
    }

    private static bool BurnsBefore(GrantRecord candidate, GrantRecord current)
    {
        if (candidate.Priority != current.Priority) return candidate.Priority < current.Priority;
        var candidateExpiry = candidate.ExpiresAt ?? DateTimeOffset.MaxValue;
        var currentExpiry = current.ExpiresAt ?? DateTimeOffset.MaxValue;
        if (candidateExpiry != currentExpiry) return candidateExpiry < currentExpiry;
        return candidate.EffectiveAt < current.EffectiveAt;
    }

    /// <summary>
    /// The ledger entries up to <paramref name="throughSequence"/> are durable in the archive of ledger pages:
    /// memory lets them go. Journaled, so that a replay drops them at the same point.
    /// </summary>
    public DebitResult ArchiveLedger(long throughSequence)
    {
        if (throughSequence <= State.ArchivedThroughSequence || throughSequence > State.NextSequence)
            throw new InvalidOperationException($"Ledger archived through {throughSequence}: not after {State.ArchivedThroughSequence} and up to {State.NextSequence}.");
        State.ArchivedEntryCount += State.Entries.DropThrough(throughSequence);
        State.ArchivedThroughSequence = throughSequence;
        State.Revision++;
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    /// <summary>
    /// The first <paramref name="throughCount"/> idempotency keys are durable in the key archive: snapshots
    /// leave them out. Journaled, so that a replay knows it at the same point; counting fewer than already
    /// known changes nothing.
    /// </summary>
    public DebitResult ArchiveKeys(long throughCount)
    {
        if (throughCount is < 0 or > KeyTable.MaxEntries) throw new InvalidOperationException($"Keys archived through {throughCount}: out of range.");
        if (State.Keys.MarkArchived((int)throughCount)) State.Revision++;
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    /// <summary>The operations after this one follow the rules of <paramref name="version"/> (<see cref="WalletRules"/>); versions only go up.</summary>
    public DebitResult AdoptRules(long version)
    {
        if (version is < WalletRules.First or > WalletRules.Current)
            throw new InvalidDataException($"Wallet rules version {version} is not one this build knows (up to {WalletRules.Current}): run a newer build.");
        if (version > State.RulesVersion)
        {
            State.RulesVersion = (int)version;
            State.Revision++;
        }
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    /// <summary>
    /// Writes what lapsed once the entry just written freed it (EXPIRE entries after a SETTLE or a GRANT that took
    /// over what a lapsed grant kept for a hold), so the answer's balance is what can be spent; the answer still
    /// names that entry.
    /// </summary>
    private void ExpireDueAfterEntry(DateTimeOffset now)
    {
        var entry = _lastAppended;
        if (ExpireDue(now) > 0) _lastAppended = entry;
    }

    /// <summary>Whether the state has adopted the rules of <paramref name="version"/>.</summary>
    private bool Follows(int version) => State.RulesVersion >= version;

    /// <summary>Writes a ledger entry and answers its id; the answer that follows carries its time (see <see cref="Remember"/>).</summary>
    private string Append(LedgerEntryKind kind, long amountNanoCredits, DateTimeOffset at, string? key, Funding funding, UsageDetails? usage = null,
        string? settledReservationId = null)
    {
        long sequence = ++State.NextSequence;
        // Memory holds the entries not yet archived (the grain archives older ones); the journal keeps every operation for good.
        State.Entries.Add(new LedgerRow(sequence, kind, amountNanoCredits, AvailableNanoCredits, at, key, funding, usage, settledReservationId));
        State.Revision++;
        _lastAppended = (sequence, at);
        return LedgerWindow.EntryId(sequence);
    }

    private DebitResult? Replay(string key, long fingerprint, long? earlierFingerprint = null)
    {
        if (!State.Keys.TryGet(key, out long rememberedFingerprint, out var result)) return null;
        if (rememberedFingerprint != fingerprint && rememberedFingerprint != earlierFingerprint)
            return new DebitResult(DebitStatus.Rejected, WalletErrorCodes.IdempotencyKeyReused, 0, AvailableNanoCredits, null);
        return result.Status == DebitStatus.Accepted ? result with { Status = DebitStatus.Duplicate } : result;
    }

    private DebitResult Remember(string key, long fingerprint, DebitResult result)
    {
        // An answer that names an entry names the one this operation wrote last (see Accepted).
        State.Keys.Remember(key, fingerprint, result, result.EntryId is null ? 0 : _lastAppended!.Value.Sequence);
        State.Revision++;
        return result;
    }

    /// <summary>The answer of an operation that wrote the entry <paramref name="entryId"/> just now: it carries the entry's time, so that a replay can tell it too.</summary>
    private DebitResult Accepted(long chargedNanoCredits, string entryId)
    {
        Debug.Assert(_lastAppended is { } last && LedgerWindow.EntryId(last.Sequence) == entryId, "The answer names the entry this operation wrote last.");
        return new(DebitStatus.Accepted, null, chargedNanoCredits, AvailableNanoCredits, entryId, _lastAppended!.Value.At);
    }

    /// <summary>The answer to a budget change: a change moves <see cref="WalletBookState.Revision"/> (so it is journaled); none is NOT_FOUND.</summary>
    private DebitResult BudgetChanged(bool changed)
    {
        if (!changed) return Rejected(GrainInterfaces.Errors.UserErrorCodes.NotFound);
        State.Revision++;
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    /// <summary>The answer to quota settings: accepted either way; only a change moves <see cref="WalletBookState.Revision"/> (and is journaled).</summary>
    private DebitResult QuotasChanged(bool changed)
    {
        if (changed) State.Revision++;
        return new DebitResult(DebitStatus.Accepted, null, 0, AvailableNanoCredits, null);
    }

    private DebitResult Rejected(string code) => new(DebitStatus.Rejected, code, 0, AvailableNanoCredits, null);

}
