using System.Buffers.Binary;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Packs the records of an <see cref="ArchivedKeyPage"/>: per key its 128-bit hash and the 64-bit
/// fingerprint as they are (they are random), the status and code in a byte each, then the charge, and
/// the balance, entry sequence and time as variable-length differences from the record before. A
/// debit's record takes about 40 bytes, against 58 at fixed width.
/// </summary>
internal static class KeyPageCodec
{
    /// <summary>The most bytes a record takes: the hashes, two bytes, four numbers.</summary>
    public const int MaxRecordBytes = 16 + 8 + 2 + 4 * ByteWriter.MaxVarintBytes;

    /// <summary>
    /// Packs the table's keys from <paramref name="start"/> into <paramref name="into"/> (emptied first): at
    /// most <paramref name="maxCount"/>, and none more once another might take the bytes past
    /// <paramref name="budgetBytes"/>. Returns how many it packed (at least one).
    /// </summary>
    public static int Pack(KeyTable table, int start, int maxCount, int budgetBytes, ByteWriter into)
    {
        Span<byte> hashes = stackalloc byte[24];
        long balance = 0, sequence = 0, ticks = 0;
        into.Clear();
        int count = 0;
        for (int i = start; count < maxCount && (count == 0 || into.LengthBytes + MaxRecordBytes <= budgetBytes); i++, count++)
        {
            var (key, answer) = table.At(i);
            BinaryPrimitives.WriteUInt128LittleEndian(hashes, key);
            BinaryPrimitives.WriteInt64LittleEndian(hashes[16..], answer.FingerprintHash);
            into.Bytes(hashes);
            into.Byte((byte)answer.Status);
            into.Byte(answer.CodeIndex);
            into.Signed(answer.ChargedNanoCredits);
            into.Signed(answer.BalanceNanoCredits - balance);
            into.Signed(answer.EntrySequence - sequence);
            into.Signed(answer.AtUtcTicks - ticks);
            (balance, sequence, ticks) = (answer.BalanceNanoCredits, answer.EntrySequence, answer.AtUtcTicks);
        }
        return count;
    }

    /// <summary>Gives the <paramref name="count"/> records of <paramref name="records"/> to <paramref name="into"/>, in order, each checked.</summary>
    public static void Unpack<TSink>(ReadOnlySpan<byte> records, int count, TSink into) where TSink : IKeyRecordSink
    {
        var reader = new ByteReader(records, "an archived key page");
        long balance = 0, sequence = 0, ticks = 0;
        for (int i = 0; i < count; i++)
        {
            var hashes = reader.Take(24);
            var key = BinaryPrimitives.ReadUInt128LittleEndian(hashes);
            long fingerprint = BinaryPrimitives.ReadInt64LittleEndian(hashes[16..]);
            byte status = reader.Byte(), code = reader.Byte();
            if (status > (byte)DebitStatus.Rejected || code >= RememberedAnswer.Codes.Length)
                throw new InvalidDataException($"An archived key page has a record with status {status} and code {code}.");
            long charged = reader.Signed();
            balance += reader.Signed();
            sequence += reader.Signed();
            ticks += reader.Signed();
            if (sequence < 0 || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
                throw new InvalidDataException($"An archived key page has a record with entry {sequence} at {ticks} ticks.");
            into.Add(key, new RememberedAnswer(fingerprint, (DebitStatus)status, code, charged, balance, sequence, ticks));
        }
        if (reader.Remaining != 0) throw new InvalidDataException($"An archived key page has {reader.Remaining} bytes past its {count} records.");
    }
}

/// <summary>Takes the records <see cref="KeyPageCodec.Unpack{TSink}"/> reads from a key page.</summary>
internal interface IKeyRecordSink
{
    void Add(UInt128 key, in RememberedAnswer answer);
}
