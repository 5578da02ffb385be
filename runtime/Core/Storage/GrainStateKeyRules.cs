using System.Text;

namespace OrgActors.Runtime.Storage;

/// <summary>
/// What every provider accepts, checked before a write is queued: a value the database would reject
/// must fail its own caller, not poison the shared transaction of a whole batch.
/// </summary>
internal static class GrainStateKeyRules
{
    /// <summary>
    /// Upper bound of the three key parts together, in UTF-8 bytes. PostgreSQL refuses B-tree index
    /// entries above ~2,700 bytes, so the primary key must stay below that with room to spare.
    /// </summary>
    public const int MaxKeyBytes = 2048;

    /// <summary>One state record's payload; both databases cap a value at 1 GB, we stop well before.</summary>
    public const int MaxPayloadBytes = 256 * 1024 * 1024;

    // A UTF-8 byte is at most 3 per UTF-16 char, so keys this short need no byte count.
    private const int MaxUtf8BytesPerChar = 3;

    public static void Validate(in GrainStateKey key)
    {
        ValidatePart(key.GrainType, nameof(GrainStateKey.GrainType));
        ValidatePart(key.GrainKey, nameof(GrainStateKey.GrainKey));
        ValidatePart(key.StateName, nameof(GrainStateKey.StateName));
        if (key.GrainType.Length == 0) throw new ArgumentException("A grain state key needs a grain type.", nameof(key));
        if (key.StateName.Length == 0) throw new ArgumentException("A grain state key needs a state name.", nameof(key));

        var chars = key.GrainType.Length + key.GrainKey.Length + key.StateName.Length;
        if (chars * MaxUtf8BytesPerChar <= MaxKeyBytes) return;
        var bytes = Encoding.UTF8.GetByteCount(key.GrainType) + Encoding.UTF8.GetByteCount(key.GrainKey) + Encoding.UTF8.GetByteCount(key.StateName);
        if (bytes > MaxKeyBytes)
        {
            throw new ArgumentException($"Grain state key {key.GrainType}/… is {bytes} UTF-8 bytes long; at most {MaxKeyBytes} are allowed.", nameof(key));
        }
    }

    public static void ValidatePayload(in GrainStateKey key, int payloadLength)
    {
        if (payloadLength > MaxPayloadBytes)
        {
            throw new ArgumentException($"State {key} is {payloadLength} bytes; at most {MaxPayloadBytes} bytes are allowed per record.", "payload");
        }
    }

    public static void ValidateExpectedVersion(long expectedVersion)
    {
        if (expectedVersion < 0) throw new ArgumentOutOfRangeException(nameof(expectedVersion), expectedVersion, "Versions start at 0 (never written).");
    }

    // PostgreSQL text cannot hold NUL, and a lone surrogate cannot be encoded as UTF-8.
    private static void ValidatePart(string? part, string name)
    {
        if (part is null) throw new ArgumentException($"Grain state key part {name} is null.", "key");
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            if (c == '\0') throw new ArgumentException($"Grain state key part {name} contains a NUL character.", "key");
            if (!char.IsSurrogate(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < part.Length && char.IsLowSurrogate(part[i + 1])) { i++; continue; }
            throw new ArgumentException($"Grain state key part {name} contains an unpaired UTF-16 surrogate.", "key");
        }
    }
}
