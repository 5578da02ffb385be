using System.Buffers.Binary;
using System.Diagnostics;
using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// A <see cref="DebitResult"/> as an idempotency key remembers it: numbers only, so that a wallet's
/// millions of keys hold no references. The code is an index into <see cref="Codes"/>, the ledger entry
/// id its sequence number, the time its UTC ticks.
/// </summary>
internal readonly record struct RememberedAnswer(
    long FingerprintHash, DebitStatus Status, byte CodeIndex, long ChargedNanoCredits, long BalanceNanoCredits, long EntrySequence, long AtUtcTicks)
{
    /// <summary>
    /// Every code a remembered answer can carry, by index. Stored in snapshots: append only, never reorder.
    /// Index 0 is no code.
    /// </summary>
    internal static readonly string?[] Codes =
    [
        null,
        WalletErrorCodes.InsufficientCredits,
        WalletErrorCodes.IdempotencyKeyReused,
        WalletErrorCodes.InvalidAmount,
        WalletErrorCodes.HoldNotFound,
        WalletErrorCodes.HoldNotOpen,
        WalletErrorCodes.InvalidKey,
        WalletErrorCodes.InvalidTtl,
        WalletErrorCodes.BudgetExceeded,
        WalletErrorCodes.QuotaExceeded,
        WalletErrorCodes.InvalidEvent,
        WalletErrorCodes.UnknownMeter,
    ];

    /// <summary>Key hash (16), five longs, status and code.</summary>
    internal const int PackedBytes = 16 + 5 * sizeof(long) + 2;

    /// <summary>The answer to remember; the ledger entry's sequence is read back from its id (for answers read from an older snapshot, where only the id was kept).</summary>
    public static RememberedAnswer From(long fingerprintHash, DebitResult result) =>
        From(fingerprintHash, result, result.EntryId is { } id ? LedgerWindow.Sequence(id) : 0);

    /// <summary>The answer to remember, with the sequence of the entry it names (0 for none), which the caller knows.</summary>
    public static RememberedAnswer From(long fingerprintHash, DebitResult result, long entrySequence)
    {
        int code = Array.IndexOf(Codes, result.Code);
        if (code < 0) throw new InvalidOperationException($"The code {result.Code} is not in the remembered codes: add it at the end.");
        Debug.Assert((result.EntryId is null) == (entrySequence == 0), "An answer names an entry exactly when it has a sequence.");
        return new(fingerprintHash, result.Status, (byte)code, result.ChargedNanoCredits, result.BalanceNanoCredits, entrySequence, result.At?.UtcTicks ?? 0);
    }

    public DebitResult ToResult() => new(Status, Codes[CodeIndex], ChargedNanoCredits, BalanceNanoCredits,
        EntrySequence == 0 ? null : LedgerWindow.EntryId(EntrySequence),
        AtUtcTicks == 0 ? null : new DateTimeOffset(AtUtcTicks, TimeSpan.Zero));

    public void Pack(UInt128 key, Span<byte> into)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(into, key);
        BinaryPrimitives.WriteInt64LittleEndian(into[16..], FingerprintHash);
        BinaryPrimitives.WriteInt64LittleEndian(into[24..], ChargedNanoCredits);
        BinaryPrimitives.WriteInt64LittleEndian(into[32..], BalanceNanoCredits);
        BinaryPrimitives.WriteInt64LittleEndian(into[40..], EntrySequence);
        BinaryPrimitives.WriteInt64LittleEndian(into[48..], AtUtcTicks);
        into[56] = (byte)Status;
        into[57] = CodeIndex;
    }

    public static (UInt128 Key, RememberedAnswer Answer) Unpack(ReadOnlySpan<byte> from)
    {
        byte status = from[56], code = from[57];
        if (status > (byte)DebitStatus.Rejected || code >= Codes.Length) throw new JsonException($"Idempotency keys: a record has status {status} and code {code}.");
        return (BinaryPrimitives.ReadUInt128LittleEndian(from),
            new RememberedAnswer(BinaryPrimitives.ReadInt64LittleEndian(from[16..]), (DebitStatus)status, code,
                BinaryPrimitives.ReadInt64LittleEndian(from[24..]), BinaryPrimitives.ReadInt64LittleEndian(from[32..]),
                BinaryPrimitives.ReadInt64LittleEndian(from[40..]), BinaryPrimitives.ReadInt64LittleEndian(from[48..])));
    }
}
