using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Every idempotency key a wallet has seen, with a hash of what it was used for and the answer it got:
/// keys are unique forever, so none is ever forgotten.
/// </summary>
/// <remarks>
/// A wallet takes thousands of keys a second, so a key is remembered by its 128-bit XxHash (two keys
/// collide with a chance of about 2^-128 per pair) and its answer as a struct without references:
/// nothing per key for the garbage collector to trace or move, about 84 bytes per key in all, in pages
/// that are never copied (<see cref="KeyTable"/>), and a snapshot stores them as one packed block
/// rather than as JSON objects.
/// </remarks>
[JsonConverter(typeof(IdempotencyKeysJsonConverter))]
public sealed class IdempotencyKeys
{
    private readonly KeyTable _answers = new();

    public int Count => _answers.Count;

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

    private static UInt128 Hash(string key) => XxHash128.HashToUInt128(MemoryMarshal.AsBytes(key.AsSpan()));

    /// <summary>The packed form: a version byte, the count, then fixed-size little-endian records.</summary>
    internal byte[] Pack()
    {
        var packed = new byte[PackedHeaderBytes + _answers.Count * RememberedAnswer.PackedBytes];
        packed[0] = PackedVersion;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), _answers.Count);
        var span = packed.AsSpan(PackedHeaderBytes);
        foreach (var (key, answer) in _answers.Entries())
        {
            answer.Pack(key, span);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return packed;
    }

    internal static IdempotencyKeys Unpack(ReadOnlySpan<byte> packed)
    {
        if (packed.Length < PackedHeaderBytes || packed[0] != PackedVersion)
            throw new JsonException($"Idempotency keys: unknown packed format (version {(packed.Length > 0 ? packed[0] : -1)}).");
        int count = BinaryPrimitives.ReadInt32LittleEndian(packed[1..]);
        if (count < 0 || packed.Length != PackedHeaderBytes + (long)count * RememberedAnswer.PackedBytes)
            throw new JsonException($"Idempotency keys: {packed.Length} bytes cannot hold {count} records.");
        var keys = new IdempotencyKeys();
        keys._answers.EnsureCapacity(count);
        var span = packed[PackedHeaderBytes..];
        for (int i = 0; i < count; i++)
        {
            var (key, answer) = RememberedAnswer.Unpack(span);
            keys._answers.Set(key, answer);
            span = span[RememberedAnswer.PackedBytes..];
        }
        return keys;
    }

    private const byte PackedVersion = 1;
    private const int PackedHeaderBytes = 1 + sizeof(int);
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
