using OrgActors.GrainInterfaces.Credits;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An organization's credit wallet: the <see cref="WalletBook"/> rules, persisted after every change
/// before the caller hears the result. One request at a time, so concurrent debits can never spend the
/// same credit twice.
/// </summary>
/// <remarks>
/// First version: the whole book (grants, ledger, keys) is one state record, written per operation.
/// The metering throughput targets need the ledger and keys in an append-only table and writes batched
/// across concurrent requests (issue 5); the interface and the rules stay as they are.
/// </remarks>
public sealed class CreditWalletGrain([PersistentState("wallet")] IPersistentState<WalletBookState> wallet) : Grain, ICreditWalletGrain
{
    /// <summary>Keys are client-chosen; long ones are refused rather than stored forever.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    private WalletBook Book => new(wallet.State);

    private DateTimeOffset Now => TimeProvider.GetUtcNow();

    public Task<DebitResult> Grant(string idempotencyKey, GrantSource source, long amountNanoCredits, int priority, DateTimeOffset? expiresAt) =>
        ApplyAsync(idempotencyKey, book => book.Grant(idempotencyKey, source, amountNanoCredits, priority, Now, expiresAt, Now));

    public Task<DebitResult> Debit(string idempotencyKey, long amountNanoCredits, UsageDetails? usage) =>
        ApplyAsync(idempotencyKey, book => book.Debit(idempotencyKey, amountNanoCredits, usage, Now));

    public Task<DebitResult> Hold(string holdId, long amountNanoCredits, TimeSpan ttl) =>
        ApplyAsync(holdId, book => book.Hold(holdId, amountNanoCredits, Now + ttl, Now));

    public Task<DebitResult> Settle(string holdId, string idempotencyKey, long actualNanoCredits, UsageDetails? usage) =>
        ApplyAsync(idempotencyKey, book => book.Settle(holdId, idempotencyKey, actualNanoCredits, usage, Now));

    public async Task<bool> Release(string holdId)
    {
        bool released = Book.Release(holdId, Now);
        if (released) await PersistAsync();
        return released;
    }

    public Task<WalletSnapshot> Get()
    {
        var book = Book;
        return Task.FromResult(new WalletSnapshot(book.AvailableNanoCredits, wallet.State.HeldNanoCredits, book.Grants(includeDepleted: false)));
    }

    public Task<IReadOnlyList<LedgerEntry>> GetLedger() =>
        Task.FromResult<IReadOnlyList<LedgerEntry>>(wallet.State.Entries.AsEnumerable().Reverse().ToArray());

    /// <summary>
    /// Writes the book; when that fails the in-memory book is ahead of the store, so this activation is
    /// dropped and the next call reloads what is durable (an unacknowledged debit is then simply absent).
    /// </summary>
    private async Task PersistAsync()
    {
        try
        {
            await wallet.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private async Task<DebitResult> ApplyAsync(string idempotencyKey, Func<WalletBook, DebitResult> operation)
    {
        if (string.IsNullOrEmpty(idempotencyKey) || idempotencyKey.Length > MaxIdempotencyKeyLength)
            return new DebitResult(DebitStatus.Rejected, WalletErrorCodes.InvalidKey, 0, Book.AvailableNanoCredits, null);
        var result = operation(Book);
        // A replay changed nothing; everything else (a new entry, or a remembered refusal) must be durable first.
        if (result.Status != DebitStatus.Duplicate) await PersistAsync();
        return result;
    }
}
