namespace OrgActors.Runtime;

/// <summary>
/// Stores a journal's entries in a compact format of the grain's own instead of JSON (name it in
/// <see cref="JournalAttribute.EntryCodec"/>). A journal row is written for every operation and kept for
/// good, so for a journal of thousands of entries a second its size is what the database feels.
/// </summary>
/// <remarks>
/// <para>Payloads that begin with <c>{</c> are JSON: the runtime reads those itself, so entries written
/// before a journal took a codec still replay. A codec's payloads must therefore begin with another byte
/// (a format version, say); the journal refuses one that does not.</para>
/// <para>One instance serves every activation of the grain class, concurrently: keep it stateless, or
/// its state per thread.</para>
/// </remarks>
public interface IJournalEntryCodec<TEntry>
{
    /// <summary>The entry's bytes; the journal keeps the array until the store has them.</summary>
    byte[] Encode(TEntry entry);

    /// <summary>An entry from bytes <see cref="Encode"/> wrote; throws <see cref="InvalidDataException"/> for bytes it cannot read.</summary>
    TEntry Decode(ReadOnlySpan<byte> payload);
}
