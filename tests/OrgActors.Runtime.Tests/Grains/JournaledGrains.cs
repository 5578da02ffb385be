namespace OrgActors.Runtime.Tests.Grains;

/// <summary>A tally kept as a journal of additions (snapshot every 3 entries), reentrant and pipelined.</summary>
public interface ITallyGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);
    Task<long> Total();
    Task<IReadOnlyList<long>> Additions();
    Task<long> Position();
    Task<IReadOnlyList<long>> ReadBack(long afterPosition, int maxCount);
}

public sealed class TallyState : IJournalState<long>
{
    public long Total { get; set; }
    public List<long> Additions { get; set; } = [];

    public void Apply(long entry)
    {
        Total += entry;
        Additions.Add(entry);
    }
}

[Reentrant]
public sealed class TallyGrain([Journal("tally", SnapshotEveryEntries = 3)] IJournal<TallyState, long> journal) : Grain, ITallyGrain
{
    public async Task<long> Add(long amount)
    {
        journal.State.Apply(amount);
        var total = journal.State.Total;
        await journal.Append(amount);
        return total;
    }

    public Task<long> Total() => Task.FromResult(journal.State.Total);

    public Task<IReadOnlyList<long>> Additions() => Task.FromResult<IReadOnlyList<long>>(journal.State.Additions.ToArray());

    public Task<long> Position() => Task.FromResult(journal.Position);

    public Task<IReadOnlyList<long>> ReadBack(long afterPosition, int maxCount) => journal.ReadAsync(afterPosition, maxCount);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => journal.WriteSnapshotAsync();
}

/// <summary>A tally whose snapshot interval grows from 2 entries but never past 4.</summary>
public interface ICappedTallyGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);
}

public sealed class CappedTallyGrain([Journal("tally", SnapshotEveryEntries = 2, MaxSnapshotEveryEntries = 4)] IJournal<TallyState, long> journal) : Grain, ICappedTallyGrain
{
    public async Task<long> Add(long amount)
    {
        journal.State.Apply(amount);
        await journal.Append(amount);
        return journal.State.Total;
    }
}

/// <summary>An entry stored as JSON (an object) or through <see cref="AdditionCodec"/>.</summary>
public sealed record Addition(long Amount);

/// <summary>A version byte, then the amount in 8 bytes.</summary>
public sealed class AdditionCodec : IJournalEntryCodec<Addition>
{
    public const byte Version = 7;

    public byte[] Encode(Addition entry)
    {
        var bytes = new byte[9];
        bytes[0] = Version;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), entry.Amount);
        return bytes;
    }

    public Addition Decode(ReadOnlySpan<byte> payload) =>
        payload is [Version, _, _, _, _, _, _, _, _] ? new Addition(System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(payload[1..])) : throw new InvalidDataException("Not an addition.");
}

/// <summary>Writes JSON-looking payloads, which a journal must refuse from a codec.</summary>
public sealed class JsonLookingCodec : IJournalEntryCodec<Addition>
{
    public byte[] Encode(Addition entry) => "{\"Amount\":1}"u8.ToArray();

    public Addition Decode(ReadOnlySpan<byte> payload) => throw new InvalidDataException("Never reached: the runtime reads JSON itself.");
}

public sealed class PackedTallyState : IJournalState<Addition>
{
    public long Total { get; set; }

    public void Apply(Addition entry) => Total += entry.Amount;
}

/// <summary>A tally whose journal stores its entries through a codec.</summary>
public interface IPackedTallyGrain : IGrainWithStringKey
{
    Task<long> Add(long amount);
    Task<long> Total();
    Task<IReadOnlyList<Addition>> ReadBack(long afterPosition, int maxCount);
}

public sealed class PackedTallyGrain([Journal("tally", SnapshotEveryEntries = 1_000, EntryCodec = typeof(AdditionCodec))] IJournal<PackedTallyState, Addition> journal)
    : Grain, IPackedTallyGrain
{
    public async Task<long> Add(long amount)
    {
        journal.State.Apply(new Addition(amount));
        await journal.Append(new Addition(amount));
        return journal.State.Total;
    }

    public Task<long> Total() => Task.FromResult(journal.State.Total);

    public Task<IReadOnlyList<Addition>> ReadBack(long afterPosition, int maxCount) => journal.ReadAsync(afterPosition, maxCount);
}

/// <summary>A tally whose codec writes what looks like JSON.</summary>
public interface IJsonLookingTallyGrain : IGrainWithStringKey
{
    Task Add(long amount);
}

public sealed class JsonLookingTallyGrain([Journal("tally", EntryCodec = typeof(JsonLookingCodec))] IJournal<PackedTallyState, Addition> journal)
    : Grain, IJsonLookingTallyGrain
{
    public async Task Add(long amount)
    {
        journal.State.Apply(new Addition(amount));
        await journal.Append(new Addition(amount));
    }
}

/// <summary>Names a codec of the wrong entry type (abstract, so that test silos do not register it; its
/// constructor is public, as the activator needs).</summary>
#pragma warning disable CA1012 // the activator is built from this class directly
public abstract class MisnamedCodecGrain : Grain
{
    public MisnamedCodecGrain([Journal("tally", EntryCodec = typeof(AdditionCodec))] IJournal<TallyState, long> journal) => Journal = journal;

    public IJournal<TallyState, long> Journal { get; }
}
#pragma warning restore CA1012
