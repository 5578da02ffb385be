using OrgActors.Grains.Binary;
using OrgActors.Runtime;

namespace OrgActors.Grains.Credits;

/// <summary>
/// An archived ledger page as its journal row stores it: the version byte, the first and last sequence
/// and the count as variable-length numbers, then the packed entries as they are (JSON would hold them
/// in Base64, a third larger).
/// </summary>
public sealed class ArchivedLedgerPageCodec : IJournalEntryCodec<ArchivedLedgerPage>
{
    private const byte Version = 1;

    public byte[] Encode(ArchivedLedgerPage page)
    {
        var header = new ByteWriter(3 * ByteWriter.MaxVarintBytes + 1);
        header.Byte(Version);
        header.Unsigned((ulong)page.FirstSequence);
        header.Unsigned((ulong)page.LastSequence);
        header.Unsigned((ulong)page.Count);
        return header.ToArray(page.Entries.Span);
    }

    public ArchivedLedgerPage Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new ByteReader(payload, "an archived ledger page");
        byte version = reader.Byte();
        if (version != Version) throw new InvalidDataException($"Unknown archived ledger page format (version {version}).");
        ulong first = reader.Unsigned(), last = reader.Unsigned(), count = reader.Unsigned();
        if (first is 0 or > long.MaxValue || last < first || count is 0 or > LedgerPageCodec.MaxEntries || count > last - first + 1)
            throw new InvalidDataException($"An archived ledger page spans sequences {first} to {last} with {count} entries.");
        return new ArchivedLedgerPage((long)first, (long)last, (int)count, reader.Take(reader.Remaining).ToArray());
    }
}
