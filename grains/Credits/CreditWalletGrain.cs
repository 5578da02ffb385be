using Microsoft.Extensions.Logging;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An organization's credit wallet: the <see cref="WalletBook"/> rules over a journal of operations.
/// </summary>
/// <remarks>
/// Metering services hit one wallet thousands of times a second, so the grain is reentrant and
/// pipelines its writes: each operation is checked and applied to the book synchronously (one thread at
/// a time, nothing interleaves inside it, so no credit is ever spent twice), appended to the journal in
/// the same turn, and answered once its own entry is durable. While one group commit runs, the next
/// operations are already applied and queued behind it. Appends commit in order; if one fails, every
/// later one fails too and the activation is dropped, so an answer never rests on a lost entry.
/// The ledger's older entries move to an archive of pages, a second journal, in the background, and its
/// idempotency keys to a key archive, a third one, so that snapshots stay small however many there are.
/// </remarks>
[Reentrant]
public sealed class CreditWalletGrain(
    [Journal("ledger", EntryCodec = typeof(WalletOperationCodec))] IJournal<WalletBookState, WalletOperation> journal,
    // Pages are about 1.4 kB: an activation replays at most 10,000 of them (about 14 MB) after the index's snapshot.
    [Journal("ledger-pages", SnapshotEveryEntries = 1_000, MaxSnapshotEveryEntries = 10_000, EntryCodec = typeof(ArchivedLedgerPageCodec))]
    IJournal<LedgerArchive, ArchivedLedgerPage> archive,
    // Pages are about 1.4 kB and the state a count: snapshots are tiny, so they come often.
    [Journal("key-pages", SnapshotEveryEntries = 64, MaxSnapshotEveryEntries = 64, EntryCodec = typeof(ArchivedKeyPageCodec))]
    IJournal<KeyArchive, ArchivedKeyPage> keyArchive,
    ILogger<CreditWalletGrain> logger) : Grain, ICreditWalletGrain, IRemindable
{
    /// <summary>
    /// Durable while alerts may not be in the outbox yet: a silo that stopped before handing them over would
    /// otherwise leave them until something used the wallet again. Its tick activates the wallet, whose
    /// activation hands them over; the first tick that finds none left ends it.
    /// </summary>
    public const string AlertHandOverReminder = "alert-hand-over";

    /// <summary>How soon after a crash alerts go out of a wallet nobody uses (the runtime's shortest reminder period).</summary>
    public static readonly TimeSpan AlertHandOverPeriod = TimeSpan.FromMinutes(1);

    private bool _alertReminderRegistered;

    /// <summary>Keys are client-chosen; long ones are refused rather than stored forever.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The longest a reservation may be held.</summary>
    public static readonly TimeSpan MaxHoldTtl = TimeSpan.FromDays(1);

    /// <summary>How soon alerts the outbox did not take are handed over again, while there are any.</summary>
    public static readonly TimeSpan StrandedAlertRetryPeriod = TimeSpan.FromSeconds(10);

    /// <summary>Durable alerts the outbox did not take yet (it failed or was busy): retried by a timer and with the next hand-over.</summary>
    private readonly List<BudgetAlert> _strandedAlerts = [];

    private IGrainTimer? _strandedAlertTimer;

    /// <summary>The latest archive step: one at a time.</summary>
    private Task? _archiving;

    /// <summary>Packs archive pages; one buffer for all, since an append has serialised its page before it returns.</summary>
    private readonly LedgerPageCodec.PageWriter _pageWriter = new();

    /// <summary>The latest key archive step: one at a time.</summary>
    private Task? _archivingKeys;

    /// <summary>Packs key pages, as <see cref="_pageWriter"/> does ledger pages.</summary>
    private readonly Binary.ByteWriter _keyPageWriter = new(KeyArchive.PageBudgetBytes);

    /// <summary>Key pages read per round trip when an activation indexes its key archive (about 1.4 MB).</summary>
    private const int KeyPagesPerRead = JournalLimits.MaxEntriesPerRead;

    /// <summary>The most keys one archive step writes: a wallet whose snapshot had every key (written before the
    /// key archive) archives them a step at a time rather than in one long turn.</summary>
    private const int MaxKeysPerStep = 16 * KeyArchive.CountEveryKeys;

    private WalletBook Book => journal.State.Book;

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public Task<DebitResult> Grant(string idempotencyKey, GrantSource source, long amountNanoCredits, int priority, DateTimeOffset? expiresAt)
    {
        var now = Now;
        // Refused before the book, so neither journaled nor remembered: the key stays free for the corrected
        // grant, as a hold's bad TTL does. An expiry that has passed is the book's to refuse, after it looked
        // for a replay (the grant may have been made before it passed), and it does not remember that answer;
        // only a grant that would take the wallet past its total is refused and remembered.
        if (amountNanoCredits is <= 0 or > NanoCredits.MaxAmount) return Task.FromResult(Rejected(WalletErrorCodes.InvalidAmount));
        return RunAsync(idempotencyKey, new WalletOperation(WalletOperationKind.Grant, now, idempotencyKey, AmountNanoCredits: amountNanoCredits,
            Source: source, Priority: priority, ExpiresAt: expiresAt));
    }

    public Task<DebitResult> Debit(string idempotencyKey, long amountNanoCredits, UsageDetails? usage) =>
        amountNanoCredits is < 0 or > NanoCredits.MaxAmount
            ? Task.FromResult(Rejected(WalletErrorCodes.InvalidAmount)) // refused for what was sent: the key stays free (see Grant)
            : RunAsync(idempotencyKey, new WalletOperation(WalletOperationKind.Debit, Now, idempotencyKey, AmountNanoCredits: amountNanoCredits, Usage: usage));

    public Task<DebitResult> Hold(string holdId, long amountNanoCredits, TimeSpan ttl, string? workspaceId = null, UsageDetails? reserved = null)
    {
        if (ttl <= TimeSpan.Zero || ttl > MaxHoldTtl) return Task.FromResult(Rejected(WalletErrorCodes.InvalidTtl));
        if (amountNanoCredits is <= 0 or > NanoCredits.MaxAmount) return Task.FromResult(Rejected(WalletErrorCodes.InvalidAmount));
        if (workspaceId is { Length: 0 or > MaxIdempotencyKeyLength }) return Task.FromResult(Rejected(WalletErrorCodes.InvalidEvent));
        var now = Now;
        return RunAsync(holdId, new WalletOperation(WalletOperationKind.Hold, now, HoldId: holdId, AmountNanoCredits: amountNanoCredits, ExpiresAt: now + ttl,
            WorkspaceId: workspaceId, Usage: reserved is null ? null : reserved with { WorkspaceId = workspaceId }));
    }

    public Task<DebitResult> Settle(string holdId, string idempotencyKey, long actualNanoCredits, UsageDetails? usage) =>
        actualNanoCredits is < 0 or > NanoCredits.MaxAmount
            ? Task.FromResult(Rejected(WalletErrorCodes.InvalidAmount))
            : RunAsync(idempotencyKey, new WalletOperation(WalletOperationKind.Settle, Now, idempotencyKey, holdId, actualNanoCredits, Usage: usage));

    public async Task<bool> Release(string holdId)
    {
        var result = await RunAsync(holdId, new WalletOperation(WalletOperationKind.Release, Now, HoldId: holdId));
        return result.Status == DebitStatus.Accepted;
    }

    public async Task<WalletSnapshot> Get()
    {
        await WriteLapsedAsync(); // so the balance shown is today's
        var book = Book;
        return new WalletSnapshot(book.AvailableNanoCredits, journal.State.HeldNanoCredits, book.Grants(includeDepleted: false));
    }

    public async Task<IReadOnlyList<CreditGrant>> GetGrants(bool includeDepleted)
    {
        var snapshot = await Get(); // writes what lapsed first, as Get does
        return includeDepleted ? Book.Grants(includeDepleted: true) : snapshot.Grants;
    }

    public Task<LedgerPage> GetLedgerPage(LedgerPageRequest request) => LedgerReader.ReadAsync(journal.State, archive.State, archive, request);

    public Task<BudgetView> SetBudget(BudgetSpec budget)
    {
        var now = Now;
        if (Book.Budgets.Problem(budget) is { } problem) throw problem;
        return SetBudgetAsync(budget, now);
    }

    public async Task<bool> DeleteBudget(string budgetId)
    {
        if (string.IsNullOrEmpty(budgetId) || budgetId.Length > MaxIdempotencyKeyLength) return false;
        var result = await RunAsync(budgetId, new WalletOperation(WalletOperationKind.DeleteBudget, Now, BudgetId: budgetId));
        return result.Status == DebitStatus.Accepted;
    }

    public async Task<IReadOnlyList<BudgetView>> GetBudgets()
    {
        await WriteLapsedAsync(); // a lapsed hold keeps nothing of a budget
        return Book.BudgetViews(Now);
    }

    /// <summary>Writes what lapsed since the last operation (grants, holds past their TTL) before a read shows it.</summary>
    private async Task WriteLapsedAsync()
    {
        if (Book.HasDue(Now)) await RunAsync("expire", new WalletOperation(WalletOperationKind.Expire, Now));
    }

    public async Task<IReadOnlyList<QuotaUsage>> SetQuotas(QuotaSettings settings)
    {
        // Refused before the journal: an entry that replay would reject has no place in it.
        if (QuotaBook.Problem(settings) is { } problem) throw new ArgumentException(problem, nameof(settings));
        await RunAsync("quotas", new WalletOperation(WalletOperationKind.SetQuotas, Now, Quotas: settings));
        return Book.Quotas.Views(Now);
    }

    public Task<IReadOnlyList<QuotaUsage>> GetQuotaUsage() => Task.FromResult(Book.Quotas.Views(Now));

    /// <summary>
    /// Alerts of operations replayed on activation may not have reached the outbox: hand them over (again),
    /// without making the first call wait for the outbox. Pages the previous activation archived but did not
    /// get to count are counted now, so that no entry is both archived and in memory. The key archive is
    /// indexed before any call (the keys the snapshot left to it are found through the index), since every
    /// call may need them.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (journal.State.PendingAlerts.Count > 0) _ = HandOffAlertsAsync(journal.State.PendingAlerts.ToArray());
        // (An archive past the journal would mean the journal lost durable entries: reads then ignore what it has beyond.)
        long archived = archive.State.LastSequence;
        if (archived > journal.State.ArchivedThroughSequence && archived <= journal.State.NextSequence) await CountArchivedAsync(archived);
        var keys = journal.State.Keys;
        await keys.IndexArchiveAsync(pagesRead => keyArchive.ReadAsync(pagesRead, KeyPagesPerRead, cancellationToken), keyArchive.State.KeyCount);
        long archivedKeys = keyArchive.State.KeyCount;
        if (archivedKeys > keys.ArchivedCount && archivedKeys <= keys.Count) await CountArchivedKeysAsync(archivedKeys);
        // The journal replayed through the rules it was written under; the calls from now on follow this build's.
        if (journal.State.RulesVersion < WalletRules.Current)
            await RunAsync("rules", new WalletOperation(WalletOperationKind.AdoptRules, Now, ThroughSequence: WalletRules.Current));
    }

    /// <summary>
    /// Once a full page of keys older than the latest <see cref="KeyArchive.KeysKeptInSnapshot"/> has gathered
    /// beyond the key archive, writes it there (see <see cref="KeyArchive"/>). Called after each operation;
    /// one step at a time, and only once the activation has indexed the archive.
    /// </summary>
    private void ArchiveKeysWhenDue()
    {
        var keys = journal.State.Keys;
        if (_archivingKeys is { IsCompleted: false } || !keys.Indexed
            || keys.Count - keyArchive.State.KeyCount < KeyArchive.KeysKeptInSnapshot + KeyArchive.MaxPageKeys) return;
        int through = keys.Count - KeyArchive.KeysKeptInSnapshot;
        _archivingKeys = ArchiveStepAsync(ArchiveKeysThroughAsync(through, journal.WaitForDurableAsync()), "idempotency keys", through);
    }

    /// <summary>
    /// One key archive step: once the operations that remembered the keys are durable (the key of an
    /// operation that is then lost must not be archived), appends the full pages they make, and once those
    /// are durable and <see cref="KeyArchive.CountEveryKeys"/> keys are archived beyond the last count,
    /// journals that snapshots may leave them out. Pages go a few at a time, as keys come, so that no
    /// group commit carries a burst of them.
    /// </summary>
    private async Task ArchiveKeysThroughAsync(int throughCount, Task keysDurable)
    {
        await keysDurable;
        var keys = journal.State.Keys;
        Task pagesDurable = Task.CompletedTask;
        long end = Math.Min(throughCount, keyArchive.State.KeyCount + MaxKeysPerStep);
        // Enough keys left for a page to close at its size, not at the keys there are.
        while (end - keyArchive.State.KeyCount >= KeyArchive.MaxPageKeys)
        {
            int first = (int)keyArchive.State.KeyCount;
            int count = keys.WritePage(first, KeyArchive.MaxPageKeys, KeyArchive.PageBudgetBytes, _keyPageWriter);
            var page = new ArchivedKeyPage(first, count, _keyPageWriter.Written);
            keyArchive.State.Apply(page);
            keys.NotePage(first, count);
            pagesDurable = keyArchive.Append(page);
        }
        await pagesDurable;
        if (keyArchive.State.KeyCount - keys.ArchivedCount >= KeyArchive.CountEveryKeys) await CountArchivedKeysAsync(keyArchive.State.KeyCount);
    }

    private Task<DebitResult> CountArchivedKeysAsync(long throughCount) =>
        RunAsync("archive-keys", new WalletOperation(WalletOperationKind.ArchiveKeys, Now, ThroughSequence: throughCount));

    /// <summary>
    /// Moves the ledger entries older than the latest <see cref="WalletBook.LedgerEntriesKeptInMemory"/> to the
    /// archive once a page of them has gathered. Called after each operation; one step at a time.
    /// </summary>
    private void ArchiveWhenDue()
    {
        var window = journal.State.Entries;
        // (A step may have run to its end synchronously, with a store that answers at once.)
        if (_archiving is { IsCompleted: false } || window.Count < WalletBook.LedgerEntriesKeptInMemory + LedgerArchive.PageEntries) return;
        long through = window.SequenceAt(window.Count - WalletBook.LedgerEntriesKeptInMemory - 1);
        _archiving = ArchiveStepAsync(ArchiveThroughAsync(through, journal.WaitForDurableAsync()), "ledger", through);
    }

    /// <summary>
    /// One archive step: once the operations that wrote the entries are durable (an entry of an operation
    /// that is then lost must not be archived), appends them as pages, and once those are durable, journals
    /// that memory may drop them.
    /// </summary>
    private async Task ArchiveThroughAsync(long throughSequence, Task entriesDurable)
    {
        await entriesDurable;
        var window = journal.State.Entries;
        int end = window.FirstAbove(throughSequence);
        Task pagesDurable = Task.CompletedTask;
        for (int start = window.FirstAbove(archive.State.LastSequence), count; start < end; start += count)
        {
            count = window.WritePage(start, Math.Min(LedgerArchive.PageEntries, end - start), LedgerArchive.PageBudgetBytes, _pageWriter);
            var page = new ArchivedLedgerPage(window.SequenceAt(start), window.SequenceAt(start + count - 1), count, _pageWriter.Written);
            archive.State.Apply(page);
            pagesDurable = archive.Append(page);
        }
        await pagesDurable;
        await CountArchivedAsync(throughSequence);
    }

    /// <summary>
    /// Runs an archive step (of the ledger or of the keys) to its end. A failed append has already dropped
    /// this activation, and the next one archives again; nothing else throws there short of a bug, which is
    /// logged, and the next operation starts the step again.
    /// </summary>
    private async Task ArchiveStepAsync(Task step, string archived, long through)
    {
        try
        {
            await step;
        }
        catch (Exception exception) when (exception is GrainStorageException or InconsistentStateException)
        {
            // The activation is dropped already; the next one archives again.
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "Archiving the {Archived} of wallet {OrganizationId} through {Through} failed", archived, GetPrimaryKeyString(), through);
        }
    }

    private Task<DebitResult> CountArchivedAsync(long throughSequence) =>
        RunAsync("archive", new WalletOperation(WalletOperationKind.ArchiveLedger, Now, ThroughSequence: throughSequence));

    private async Task<BudgetView> SetBudgetAsync(BudgetSpec budget, DateTimeOffset now)
    {
        await RunAsync(budget.Id, new WalletOperation(WalletOperationKind.SetBudget, now, Budget: budget));
        return Book.BudgetViews(Now).First(b => b.Id == budget.Id);
    }

    /// <summary>
    /// Gives durable alerts to the organization's alert outbox, then forgets them. A failure never fails
    /// the operation that raised them: they stay pending, and go with the next hand-over or the retry
    /// timer (or at the next activation, since the journal replays them).
    /// </summary>
    private async Task HandOffAlertsAsync(IReadOnlyList<BudgetAlert> alerts)
    {
        var batch = _strandedAlerts.Concat(alerts).ToArray();
        _strandedAlerts.Clear();
        if (batch.Length == 0)
        {
            KeepStrandedAlertTimer(); // another hand-over took them: the timer has nothing left to do
            return;
        }
        try
        {
            await GrainFactory.GetGrain<IBudgetAlertOutboxGrain>(GetPrimaryKeyString()).Enqueue(batch);
            journal.State.PendingAlerts.RemoveAll(batch.Contains);
        }
        catch (Exception)
        {
            _strandedAlerts.AddRange(batch);
        }
        KeepStrandedAlertTimer();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == AlertHandOverReminder && (journal.State.PendingAlerts.Count > 0 || _strandedAlerts.Count > 0))
        {
            await HandOffAlertsAsync(journal.State.PendingAlerts.Except(_strandedAlerts).ToArray());
            return;
        }
        _alertReminderRegistered = false;
        await UnregisterReminder(reminderName);
        // An alert raised while the reminder was being ended must not be left without one.
        if (journal.State.PendingAlerts.Count > 0) await EnsureAlertReminderAsync();
    }

    private async Task EnsureAlertReminderAsync()
    {
        if (_alertReminderRegistered) return;
        // A failure here leaves the alerts to the hand-over and its timer, as before the reminder: the charge stands.
        try
        {
            await RegisterOrUpdateReminder(AlertHandOverReminder, AlertHandOverPeriod, AlertHandOverPeriod);
            _alertReminderRegistered = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Wallet {Organization}: could not register the alert hand-over reminder; its alerts go with the next hand-over", GetPrimaryKeyString());
        }
    }

    /// <summary>A timer runs while alerts are stranded, so the last alert of a period does not wait for another one.</summary>
    private void KeepStrandedAlertTimer()
    {
        if (_strandedAlerts.Count == 0)
        {
            _strandedAlertTimer?.Dispose();
            _strandedAlertTimer = null;
            return;
        }
        _strandedAlertTimer ??= RegisterGrainTimer(_ => HandOffAlertsAsync([]), StrandedAlertRetryPeriod, StrandedAlertRetryPeriod);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        reason.Code == DeactivationReasonCode.InconsistentState
            ? Task.CompletedTask
            : Task.WhenAll(journal.WriteSnapshotAsync(), archive.WriteSnapshotAsync(), keyArchive.WriteSnapshotAsync());

    /// <summary>
    /// Applies the operation now (no await before the book has changed), then answers once it is
    /// durable. An operation that changed nothing (a replay, a reused key) still waits for the entries
    /// before it, because its answer may rest on them.
    /// </summary>
    private async Task<DebitResult> RunAsync(string key, WalletOperation operation)
    {
        if (string.IsNullOrEmpty(key) || key.Length > MaxIdempotencyKeyLength) return Rejected(WalletErrorCodes.InvalidKey);
        // Callers' keys show in the ledger and the logs (the platform's own keys are its own).
        if (operation.Kind is WalletOperationKind.Grant or WalletOperationKind.Debit or WalletOperationKind.Hold or WalletOperationKind.Settle
            && !KeyText.IsPlainLine(key)) return Rejected(WalletErrorCodes.InvalidKey);
        // A key that left memory is read back from its page first (rare: a replay of an old key, or about
        // one new key in 17,000 at a billion keys). Other calls may run meanwhile; none before this is
        // applied below, with no await between the last look and the book's change.
        if (journal.State.Keys.SomeLeftMemory && WalletBook.KeyOf(operation) is { } lookup && journal.State.Keys.PagesToRead(lookup) is not null)
            await RecallKeyAsync(lookup);
        var state = journal.State;
        long revision = state.Revision;
        int alertsBefore = state.PendingAlerts.Count;
        DebitResult result;
        try
        {
            result = Book.Execute(operation);
        }
        catch (Exception)
        {
            // The book may have changed halfway: never answer from it or snapshot it. The next call activates the
            // wallet again from its journal, which holds only what was acknowledged.
            GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.InconsistentState, "A wallet operation failed halfway; the wallet is reloaded from its journal."));
            throw;
        }
        var alerts = state.PendingAlerts.Count > alertsBefore ? state.PendingAlerts[alertsBefore..] : null;
        var durable = state.Revision == revision ? journal.WaitForDurableAsync() : journal.Append(operation);
        ArchiveWhenDue();
        ArchiveKeysWhenDue();
        if (alerts is null)
        {
            // Nothing left to do on the activation: answer from wherever the commit completes, rather than
            // queue a turn back here for every debit.
            await durable.ConfigureAwait(false);
            return result;
        }
        await durable;
        // Before the answer, so that an acknowledged alert survives a crash before its hand-over.
        await EnsureAlertReminderAsync();
        // Not awaited: the answer waits for durability, never for the outbox, which may be busy
        // delivering to a slow receiver (HandOffAlertsAsync keeps what it could not hand over).
        _ = HandOffAlertsAsync(alerts);
        return result;
    }

    /// <summary>
    /// Reads back the key pages that may hold <paramref name="key"/>, until none is missing: pages read for
    /// other keys meanwhile may have pushed these out again (<see cref="IdempotencyKeys.MaxRecalledKeys"/>).
    /// </summary>
    private async Task RecallKeyAsync(string key)
    {
        var keys = journal.State.Keys;
        for (int round = 0; keys.PagesToRead(key) is { } pages; round++)
        {
            if (round == MaxRecallRounds)
                throw new GrainStorageException($"The key pages of '{key}' were pushed out {MaxRecallRounds} times before it could be looked up; try again.");
            foreach (var number in pages) keys.Recall(number, await ReadKeyPageAsync(number));
        }
    }

    /// <summary>
    /// One read per page however many calls want it (a batch replaying a hundred old ids from one page read it
    /// once), and at most <see cref="MaxKeyPageReads"/> at a time per wallet, so that a burst of replays does
    /// not take every connection of the store's pool (PostgreSQL once answered "too many clients").
    /// </summary>
    private Task<ArchivedKeyPage> ReadKeyPageAsync(int number)
    {
        if (_keyPageReads.TryGetValue(number, out var inFlight)) return inFlight;
        var reading = ReadOnceAsync();
        // A read that finished at once (SQLite's and the memory store's do) must not stay here: its page, or its
        // failure, would be served for the rest of the activation.
        if (!reading.IsCompleted) _keyPageReads[number] = reading;
        return reading;

        async Task<ArchivedKeyPage> ReadOnceAsync()
        {
            await _keyPageReadSlots.WaitAsync();
            try
            {
                var read = await keyArchive.ReadAsync(number, 1);
                return read.Count == 1 ? read[0] : throw new InvalidDataException($"Key page {number} of wallet {GetPrimaryKeyString()} is missing from its archive.");
            }
            finally
            {
                _keyPageReadSlots.Release();
                _keyPageReads.Remove(number); // done: a later need reads it again if it was pushed out meanwhile
            }
        }
    }

    /// <summary>Attempts to read back a key's pages before giving up: only many concurrent recalls push pages out.</summary>
    private const int MaxRecallRounds = 8;

    /// <summary>Key page reads in flight at once for one wallet.</summary>
    private const int MaxKeyPageReads = 4;

    /// <summary>Key page reads in flight, by page number (the grain's turns never run at once, so no lock).</summary>
    private readonly Dictionary<int, Task<ArchivedKeyPage>> _keyPageReads = [];

    private readonly SemaphoreSlim _keyPageReadSlots = new(MaxKeyPageReads);

    private DebitResult Rejected(string code) => new(DebitStatus.Rejected, code, 0, Book.AvailableNanoCredits, null);
}
