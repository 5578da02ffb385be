using System.Text.Json;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// A wallet operation as its journal row stores it. Every debit is one row kept for good, so it is
/// written compactly: a debit with its usage takes about 70 bytes against about 215 as JSON (most of
/// it the usage's texts), and the database's log and disk carry that much less for every debit.
/// </summary>
/// <remarks>
/// Format 1: the version byte, the kind, the time (UTC ticks and offset), a byte of flags for the fields
/// that are there, then the amount, source, priority and archive sequence as variable-length numbers,
/// then each field the flags name. A budget and quota settings, set a few times a month, are embedded
/// as JSON. Journals written before this codec hold JSON rows, which the runtime still reads.
/// </remarks>
public sealed class WalletOperationCodec : IJournalEntryCodec<WalletOperation>
{
    private const byte Version = 1;

    /// <summary>Sizes of the scratch buffer per thread: its start, and the most it keeps between entries.</summary>
    private const int ScratchBytes = 256;
    private const int MaxScratchKeptBytes = 64 * 1024;

    [ThreadStatic] private static ByteWriter? t_scratch;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        IdempotencyKey = 1 << 0,
        HoldId = 1 << 1,
        ExpiresAt = 1 << 2,
        Usage = 1 << 3,
        Budget = 1 << 4,
        BudgetId = 1 << 5,
        Quotas = 1 << 6,
        WorkspaceId = 1 << 7,
    }

    private static readonly JsonSerializerOptions EmbeddedJson = new(JsonSerializerDefaults.General);

    public byte[] Encode(WalletOperation operation)
    {
        var writer = t_scratch ??= new ByteWriter(ScratchBytes);
        writer.Clear();
        writer.Byte(Version);
        writer.Byte((byte)operation.Kind);
        writer.Unsigned((ulong)operation.At.UtcTicks);
        writer.Offset(operation.At);
        writer.Byte((byte)FieldsOf(operation));
        writer.Signed(operation.AmountNanoCredits);
        writer.Byte((byte)operation.Source);
        writer.Signed(operation.Priority);
        writer.Signed(operation.ThroughSequence);
        if (operation.IdempotencyKey is { } key) writer.Utf8(key, lengthBias: 0);
        if (operation.HoldId is { } holdId) writer.Utf8(holdId, lengthBias: 0);
        if (operation.ExpiresAt is { } expiresAt)
        {
            writer.Unsigned((ulong)expiresAt.UtcTicks);
            writer.Offset(expiresAt);
        }
        if (operation.Usage is { } usage)
        {
            writer.Utf8(usage.Meter, lengthBias: 0);
            writer.Decimal(usage.Quantity);
            writer.Text(usage.WorkspaceId, usage.WorkspaceId is not null);
            writer.Text(usage.Model, usage.Model is not null);
        }
        if (operation.Budget is { } budget) Embedded(writer, JsonSerializer.SerializeToUtf8Bytes(budget, EmbeddedJson));
        if (operation.BudgetId is { } budgetId) writer.Utf8(budgetId, lengthBias: 0);
        if (operation.Quotas is { } quotas) Embedded(writer, JsonSerializer.SerializeToUtf8Bytes(quotas, EmbeddedJson));
        if (operation.WorkspaceId is { } workspaceId) writer.Utf8(workspaceId, lengthBias: 0);
        var payload = writer.ToArray();
        if (writer.LengthBytes > MaxScratchKeptBytes) t_scratch = null; // a rare large entry does not pin its buffer
        return payload;
    }

    public WalletOperation Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new ByteReader(payload, "a wallet operation");
        byte version = reader.Byte();
        if (version != Version) throw new InvalidDataException($"Unknown wallet operation format (version {version}).");
        var kind = (WalletOperationKind)reader.Byte();
        if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown wallet operation kind {(int)kind}.");
        var at = reader.Time((long)reader.Unsigned());
        var fields = (Fields)reader.Byte();
        long amount = reader.Signed();
        var source = (GrantSource)reader.Byte();
        if (!Enum.IsDefined(source)) throw new InvalidDataException($"Unknown grant source {(int)source}.");
        long priority = reader.Signed();
        if (priority is < int.MinValue or > int.MaxValue) throw new InvalidDataException("A wallet operation's priority is out of range.");
        long throughSequence = reader.Signed();
        string? key = fields.HasFlag(Fields.IdempotencyKey) ? reader.Utf8(reader.Unsigned()) : null;
        string? holdId = fields.HasFlag(Fields.HoldId) ? reader.Utf8(reader.Unsigned()) : null;
        DateTimeOffset? expiresAt = fields.HasFlag(Fields.ExpiresAt) ? reader.Time((long)reader.Unsigned()) : null;
        UsageDetails? usage = fields.HasFlag(Fields.Usage)
            ? new UsageDetails(reader.Utf8(reader.Unsigned()), reader.Decimal(), reader.Text(), reader.Text())
            : null;
        var budget = fields.HasFlag(Fields.Budget) ? Embedded<BudgetSpec>(ref reader) : null;
        string? budgetId = fields.HasFlag(Fields.BudgetId) ? reader.Utf8(reader.Unsigned()) : null;
        var quotas = fields.HasFlag(Fields.Quotas) ? Embedded<QuotaSettings>(ref reader) : null;
        string? workspaceId = fields.HasFlag(Fields.WorkspaceId) ? reader.Utf8(reader.Unsigned()) : null;
        if (reader.Remaining != 0) throw new InvalidDataException($"A wallet operation has {reader.Remaining} bytes past its end.");
        return new WalletOperation(kind, at, key, holdId, amount, source, (int)priority, expiresAt, usage, budget, budgetId, quotas, workspaceId, throughSequence);
    }

    private static Fields FieldsOf(WalletOperation operation) =>
        (operation.IdempotencyKey is null ? Fields.None : Fields.IdempotencyKey)
        | (operation.HoldId is null ? Fields.None : Fields.HoldId)
        | (operation.ExpiresAt is null ? Fields.None : Fields.ExpiresAt)
        | (operation.Usage is null ? Fields.None : Fields.Usage)
        | (operation.Budget is null ? Fields.None : Fields.Budget)
        | (operation.BudgetId is null ? Fields.None : Fields.BudgetId)
        | (operation.Quotas is null ? Fields.None : Fields.Quotas)
        | (operation.WorkspaceId is null ? Fields.None : Fields.WorkspaceId);

    private static void Embedded(ByteWriter writer, byte[] json)
    {
        writer.Unsigned((ulong)json.Length);
        writer.Bytes(json);
    }

    private static T Embedded<T>(ref ByteReader reader) where T : class
    {
        ulong length = reader.Unsigned();
        if (length > (ulong)reader.Remaining) throw new InvalidDataException($"A wallet operation's {typeof(T).Name} runs past its end.");
        try { return JsonSerializer.Deserialize<T>(reader.Take((int)length), EmbeddedJson) ?? throw new InvalidDataException($"A wallet operation's {typeof(T).Name} is null."); }
        catch (JsonException exception) { throw new InvalidDataException($"A wallet operation's {typeof(T).Name} is not valid JSON.", exception); }
    }
}
