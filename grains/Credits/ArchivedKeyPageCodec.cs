using OrgActors.Grains.Binary;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An archived key page as its journal row stores it: the version byte, the index of its first key and
/// the count as variable-length numbers, then the packed records as they are.
/// </summary>
public sealed class ArchivedKeyPageCodec : IJournalEntryCodec<ArchivedKeyPage>
{
    private const byte Version = 1;

    public byte[] Encode(ArchivedKeyPage page)
    {
        var header = new ByteWriter(2 * ByteWriter.MaxVarintBytes + 1);
        header.Byte(Version);
        header.Unsigned((ulong)page.FirstIndex);
        header.Unsigned((ulong)page.Count);
        return header.ToArray(page.Records.Span);
    }

    public ArchivedKeyPage Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new ByteReader(payload, "an archived key page");
        byte version = reader.Byte();
        if (version != Version) throw new InvalidDataException($"Unknown archived key page format (version {version}).");
        ulong first = reader.Unsigned(), count = reader.Unsigned();
        if (first > KeyTable.MaxEntries || count is 0 or > KeyArchive.MaxPageKeys)
            throw new InvalidDataException($"An archived key page starts at key {first} with {count} keys.");
        return new ArchivedKeyPage((long)first, (int)count, reader.Take(reader.Remaining).ToArray());
    }
}
