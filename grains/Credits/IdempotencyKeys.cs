using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Every idempotency key a wallet has seen, with a hash of what it was used for and the answer it got:
/// keys are unique forever, so none is ever forgotten.
/// </summary>
/// <remarks>
/// A wallet takes thousands of keys a second, so a key is remembered by its 128-bit XxHash (two keys
/// collide with a chance of about 2^-128 per pair) and its answer as a struct without references:
/// nothing per key for the garbage collector to trace or move, 68 bytes per key in all, in pages
/// that are never copied (<see cref="KeyTable"/>).
/// <para>
/// Keys also go, a page at a time, to the wallet's key archive
/// (<see cref="ArchivedCount"/> of them so far), so a snapshot stores only the keys after those, as one
/// packed block. An activation starts from such a snapshot with the archived keys missing
/// (<see cref="FirstIndex"/>) and puts them back with <see cref="RestoreArchivedAsync"/> before it takes a call.
/// </para>
/// </remarks>
[JsonConverter(typeof(IdempotencyKeysJsonConverter))]
public sealed class IdempotencyKeys
{
    private KeyTable _answers = new();

    /// <summary>Every key seen, the archived ones not restored yet included.</summary>
    public int Count => FirstIndex + _answers.Count;

    /// <summary>
    /// How many of the first keys are in the key archive but not in memory: those a snapshot left out, until
    /// <see cref="RestoreArchivedAsync"/>. 0 when every key is in memory.
    /// </summary>
    public int FirstIndex { get; private set; }

    /// <summary>The first keys, in the order they were seen, that are durable in the key archive: snapshots leave them out.</summary>
    public int ArchivedCount { get; private set; }

    /// <summary>The answer remembered under the key, with the fingerprint hash of the operation that used it first.</summary>
    public bool TryGet(string key, out long fingerprintHash, out DebitResult result)
    {
        if (_answers.TryGetValue(Hash(key), out var answer))
        {
            (fingerprintHash, result) = (answer.FingerprintHash, answer.ToResult());
            return true;
        }
        (fingerprintHash, result) = (0, null!);
        return false;
    }

    /// <summary>Remembers an answer whose entry is known only by its id: one read from a snapshot that stored keys as a map.</summary>
    public void Remember(string key, long fingerprintHash, DebitResult result) =>
        _answers.Set(Hash(key), RememberedAnswer.From(fingerprintHash, result));

    /// <summary>As <see cref="Remember(string, long, DebitResult)"/>, for a caller that knows the sequence of the entry the answer names (0 for none).</summary>
    public void Remember(string key, long fingerprintHash, DebitResult result, long entrySequence) =>
        _answers.Set(Hash(key), RememberedAnswer.From(fingerprintHash, result, entrySequence));

    /// <summary>
    /// Packs a key page from key <paramref name="start"/> (in the order seen): at most <paramref name="maxCount"/>
    /// keys in about <paramref name="budgetBytes"/> (<see cref="KeyPageCodec.Pack"/>). Returns how many it packed.
    /// </summary>
    internal int WritePage(int start, int maxCount, int budgetBytes, ByteWriter into)
    {
        if (start < FirstIndex || maxCount <= 0 || start + maxCount > Count)
            throw new ArgumentOutOfRangeException(nameof(start), $"Keys {start} to {start + maxCount - 1} of {Count}, of which the first {FirstIndex} are not in memory.");
        return KeyPageCodec.Pack(_answers, start - FirstIndex, maxCount, budgetBytes, into);
    }

    /// <summary>The first <paramref name="throughCount"/> keys are durable in the key archive. False when that was known already.</summary>
    public bool MarkArchived(int throughCount)
    {
        if (throughCount > Count) throw new InvalidOperationException($"Keys archived through {throughCount}: the wallet has seen {Count}.");
        if (throughCount <= ArchivedCount) return false;
        ArchivedCount = throughCount;
        return true;
    }

    /// <summary>
    /// Puts the first <see cref="FirstIndex"/> keys back from the key archive, before those in memory, so that
    /// every key is in memory again. <paramref name="readPagesAfter"/> reads the archive's pages after the
    /// given count of pages, in order (an empty list past its end); each read is unpacked before the next,
    /// so a wallet with millions of keys never holds all its pages at once.
    /// </summary>
    public async Task RestoreArchivedAsync(Func<int, Task<IReadOnlyList<ArchivedKeyPage>>> readPagesAfter)
    {
        var restored = new KeyTable();
        restored.EnsureCapacity(Count);
        long next = 0;
        int pagesRead = 0;
        while (next < FirstIndex)
        {
            var pages = await readPagesAfter(pagesRead);
            if (pages.Count == 0) throw new InvalidDataException($"The key archive holds {next} of the {FirstIndex} keys a snapshot left to it.");
            foreach (var page in pages)
            {
                if (next == FirstIndex) break;
                if (page.FirstIndex != next || next + page.Count > FirstIndex)
                    throw new InvalidDataException($"A key page of {page.Count} keys from key {page.FirstIndex} does not fit the {FirstIndex} archived keys after key {next}.");
                KeyPageCodec.Unpack(page.Records.Span, page.Count, restored);
                next += page.Count;
                pagesRead++;
            }
        }
        if (restored.Count != FirstIndex)
            throw new InvalidDataException($"The key archive gave back {restored.Count} distinct keys of the {FirstIndex} a snapshot left to it.");
        foreach (var (key, answer) in _answers.Entries()) restored.Set(key, answer);
        if (restored.Count != Count) throw new InvalidDataException($"Keys in memory are also in the key archive: {restored.Count} distinct of {Count}.");
        (_answers, FirstIndex) = (restored, 0);
    }

    private static UInt128 Hash(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

    /// <summary>
    /// The packed form: the version byte, <see cref="ArchivedCount"/>, the count of keys after it, then
    /// their fixed-size little-endian records. (Format 1 had no archived count: every key.)
    /// </summary>
    internal byte[] Pack()
    {
        int count = Count - ArchivedCount;
        var packed = new byte[PackedHeaderBytes + count * RememberedAnswer.PackedBytes];
        packed[0] = PackedVersion;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), ArchivedCount);
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(PackedHeaderBytes - sizeof(int)), count);
        var span = packed.AsSpan(PackedHeaderBytes);
        for (int i = ArchivedCount - FirstIndex; i < _answers.Count; i++)
        {
            var (key, answer) = _answers.At(i);
            answer.Pack(key, span);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return packed;
    }

    internal static IdempotencyKeys Unpack(ReadOnlySpan<byte> packed)
    {
        int archived = 0, headerBytes = PackedHeaderBytes;
        if (packed.Length >= 1 && packed[0] == FirstPackedVersion) headerBytes = FirstPackedHeaderBytes;
        else if (packed.Length < PackedHeaderBytes || packed[0] != PackedVersion)
            throw new JsonException($"Idempotency keys: unknown packed format (version {(packed.Length > 0 ? packed[0] : -1)}).");
        else archived = BinaryPrimitives.ReadInt32LittleEndian(packed[1..]);
        if (packed.Length < headerBytes) throw new JsonException($"Idempotency keys: {packed.Length} bytes hold no header.");
        int count = BinaryPrimitives.ReadInt32LittleEndian(packed[(headerBytes - sizeof(int))..]);
        if (archived < 0 || count < 0 || (long)archived + count > KeyTable.MaxEntries || packed.Length != headerBytes + (long)count * RememberedAnswer.PackedBytes)
            throw new JsonException($"Idempotency keys: {packed.Length} bytes cannot hold {count} records after {archived} archived keys.");
        var keys = new IdempotencyKeys { FirstIndex = archived, ArchivedCount = archived };
        keys._answers.EnsureCapacity(count);
        var span = packed[headerBytes..];
        for (int i = 0; i < count; i++)
        {
            var (key, answer) = RememberedAnswer.Unpack(span);
            keys._answers.Set(key, answer);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return keys;
    }

    private const byte FirstPackedVersion = 1;
    private const int FirstPackedHeaderBytes = 1 + sizeof(int);
    private const byte PackedVersion = 2;
    /// <summary>The version byte, the archived count and the count of records that follow.</summary>
    internal const int PackedHeaderBytes = 1 + 2 * sizeof(int);
}

/// <summary>Reads and writes <see cref="IdempotencyKeys"/> as base64 of the packed form; also reads the older map of key to record.</summary>
public sealed class IdempotencyKeysJsonConverter : JsonConverter<IdempotencyKeys>
{
    public override IdempotencyKeys Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return IdempotencyKeys.Unpack(reader.GetBytesFromBase64());
        // Snapshots written before keys were packed: { "key": { "FingerprintHash": ..., "Result": {...} } }.
        var legacy = JsonSerializer.Deserialize<Dictionary<string, LegacyKeyRecord>>(ref reader, options)
            ?? throw new JsonException("Idempotency keys: null.");
        var keys = new IdempotencyKeys();
        foreach (var (key, record) in legacy) keys.Remember(key, record.FingerprintHash, record.Result);
        return keys;
    }

    public override void Write(Utf8JsonWriter writer, IdempotencyKeys value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value.Pack());

    private sealed record LegacyKeyRecord(long FingerprintHash, DebitResult Result);
}
