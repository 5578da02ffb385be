using System.Text;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Packs a run of ledger entries (oldest first) into the bytes of one archived ledger page, and back.
/// </summary>
/// <remarks>
/// A busy wallet archives every entry it writes, so a page is written on the debit path's budget: about
/// 40 bytes per debit with its usage, rather than the 250 of the same entry as JSON. Numbers are variable-length, with
/// sequences and times as differences from the entry before; grant ids and the usage's meter, workspace
/// and model repeat from entry to entry, so each is written once per page and then named by its index.
/// </remarks>
internal static class LedgerPageCodec
{
    private const byte Version = 1;

    /// <summary>Texts a page names by index; later new texts are written out each time.</summary>
    private const int MaxRepeatedTexts = 256;

    /// <summary>Entries one page holds at most: what a decoder accepts.</summary>
    public const int MaxEntries = 4096;

    /// <summary>Packs entries (the window writes its rows through a <see cref="PageWriter"/> without making them entries).</summary>
    public static byte[] Pack(IReadOnlyList<LedgerEntry> oldestFirst)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldestFirst.Count, MaxEntries);
        var writer = new PageWriter();
        writer.Start();
        foreach (var entry in oldestFirst)
        {
            writer.Entry(LedgerWindow.Sequence(entry.Id), entry.Kind, entry.AmountNanoCredits, entry.BalanceAfterNanoCredits, entry.At,
                entry.IdempotencyKey, entry.IdempotencyKey is not null, entry.Fundings.Count);
            foreach (var funding in entry.Fundings) writer.Funding(funding.GrantId, funding.AmountNanoCredits);
            if (entry.Usage is { } usage)
                writer.Usage(usage.Meter, usage.Quantity, usage.WorkspaceId, usage.WorkspaceId is not null, usage.Model, usage.Model is not null);
            else writer.NoUsage();
        }
        return writer.Written.ToArray();
    }

    /// <summary>The entries of a page, oldest first; <see cref="InvalidDataException"/> for bytes this codec did not write.</summary>
    public static List<LedgerEntry> Unpack(ReadOnlySpan<byte> packed)
    {
        var reader = new Reader(packed);
        if (reader.Byte() != Version) throw new InvalidDataException($"Unknown ledger page format (version {packed[0]}).");
        var entries = new List<LedgerEntry>();
        long sequence = 0, ticks = 0, balanceAfter = 0;
        while (reader.Remaining > 0)
        {
            if (entries.Count == MaxEntries) throw new InvalidDataException($"A ledger page holds at most {MaxEntries} entries.");
            sequence = checked(sequence + (long)reader.Unsigned());
            var kind = (LedgerEntryKind)reader.Byte();
            if (!Enum.IsDefined(kind)) throw new InvalidDataException($"Unknown ledger entry kind {(int)kind}.");
            long amount = reader.Signed();
            balanceAfter = checked(balanceAfter + reader.Signed());
            ticks = checked(ticks + reader.Signed());
            var at = new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.Signed()));
            var key = reader.Text();
            ulong fundingCount = reader.Unsigned();
            if (fundingCount > (ulong)reader.Remaining) throw new InvalidDataException("A ledger page entry names more fundings than its bytes hold.");
            var fundings = new GrantFunding[fundingCount];
            for (ulong f = 0; f < fundingCount; f++)
                fundings[f] = new GrantFunding(reader.RepeatedText() ?? throw new InvalidDataException("A funding without a grant id."), reader.Signed());
            UsageDetails? usage = null;
            if (reader.Byte() == 1)
                usage = new UsageDetails(reader.RepeatedText() ?? throw new InvalidDataException("A usage without a meter."), reader.Decimal(), reader.RepeatedText(), reader.RepeatedText());
            entries.Add(new LedgerEntry(LedgerWindow.EntryId(sequence), kind, amount, balanceAfter, at, key, fundings, usage));
        }
        return entries;
    }

    /// <summary>
    /// Writes one page at a time: <see cref="Start"/>, then per entry <see cref="Entry"/>, its fundings and its
    /// usage (or none); a page is its version byte and its entries, to the end. Reused from page to page, so
    /// a wallet archiving thousands of entries a second keeps one buffer; <see cref="Written"/> is valid until
    /// the next <see cref="Start"/>.
    /// </summary>
    internal sealed class PageWriter
    {
        private byte[] _bytes = new byte[4096];
        private int _length;
        private readonly Dictionary<string, int> _repeated = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _repeatedBySpan;
        private long _previousSequence, _previousTicks, _previousBalance;
        private int _fundingsLeft;
        private bool _usageLeft;

        public PageWriter() => _repeatedBySpan = _repeated.GetAlternateLookup<ReadOnlySpan<char>>();

        public ReadOnlyMemory<byte> Written
        {
            get
            {
                if (_fundingsLeft != 0 || _usageLeft) throw new InvalidOperationException("The ledger page's last entry is not complete.");
                return _bytes.AsMemory(0, _length);
            }
        }

        /// <summary>Entries written since <see cref="Start"/>.</summary>
        public int Count { get; private set; }

        /// <summary>Bytes written since <see cref="Start"/>, the version byte included.</summary>
        public int LengthBytes => _length;

        public void Start()
        {
            (_length, _previousSequence, _previousTicks, _previousBalance, _fundingsLeft, _usageLeft, Count) = (0, 0, 0, 0, 0, false, 0);
            _repeated.Clear();
            Byte(Version);
        }

        /// <summary>An entry's numbers and key; its <paramref name="fundingCount"/> fundings and its usage (or none) follow.</summary>
        public void Entry(long sequence, LedgerEntryKind kind, long amountNanoCredits, long balanceAfterNanoCredits, DateTimeOffset at,
            ReadOnlySpan<char> key, bool hasKey, int fundingCount)
        {
            if (_length == 0 || Count == MaxEntries || _fundingsLeft != 0 || _usageLeft) throw new InvalidOperationException("The ledger page does not expect an entry here.");
            if (sequence <= _previousSequence) throw new ArgumentException($"Ledger entries must ascend: sequence {sequence} follows {_previousSequence}.", nameof(sequence));
            ArgumentOutOfRangeException.ThrowIfNegative(fundingCount);
            Unsigned((ulong)(sequence - _previousSequence));
            Byte((byte)kind);
            Signed(amountNanoCredits);
            Signed(balanceAfterNanoCredits - _previousBalance);
            Signed(at.UtcTicks - _previousTicks);
            Signed((long)at.Offset.TotalMinutes);
            Text(key, hasKey);
            Unsigned((ulong)fundingCount);
            (_previousSequence, _previousTicks, _previousBalance) = (sequence, at.UtcTicks, balanceAfterNanoCredits);
            (Count, _fundingsLeft, _usageLeft) = (Count + 1, fundingCount, true);
        }

        public void Funding(string grantId, long amountNanoCredits)
        {
            if (_fundingsLeft-- <= 0) throw new InvalidOperationException("The entry has no more fundings.");
            RepeatedText(grantId, hasText: true);
            Signed(amountNanoCredits);
        }

        public void Usage(ReadOnlySpan<char> meter, decimal quantity, ReadOnlySpan<char> workspaceId, bool hasWorkspace, ReadOnlySpan<char> model, bool hasModel)
        {
            EndEntry();
            Byte(1);
            RepeatedText(meter, hasText: true);
            Decimal(quantity);
            RepeatedText(workspaceId, hasWorkspace);
            RepeatedText(model, hasModel);
        }

        public void NoUsage()
        {
            EndEntry();
            Byte(0);
        }

        private void EndEntry()
        {
            if (_fundingsLeft != 0 || !_usageLeft) throw new InvalidOperationException("The ledger page does not expect a usage here.");
            _usageLeft = false;
        }

        private void Byte(byte value) => Span(1)[0] = value;

        private void Unsigned(ulong value)
        {
            var span = Span(10);
            int written = 0;
            for (; value >= 0x80; value >>= 7) span[written++] = (byte)(value | 0x80);
            span[written++] = (byte)value;
            _length -= 10 - written;
        }

        /// <summary>Zig-zag, so that small negative numbers stay short.</summary>
        private void Signed(long value) => Unsigned((ulong)((value << 1) ^ (value >> 63)));

        /// <summary>The scale and sign in a byte, then the 96-bit mantissa as two numbers: 1,000 takes 4 bytes.</summary>
        private void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            Byte((byte)(((bits[3] >> 16) & 0xFF) | (bits[3] < 0 ? 0x80 : 0)));
            Unsigned((uint)bits[0] | (ulong)(uint)bits[1] << 32);
            Unsigned((uint)bits[2]);
        }

        /// <summary>0 for none, else 1 + the UTF-8 length, then the bytes.</summary>
        private void Text(ReadOnlySpan<char> text, bool hasText)
        {
            if (hasText) Utf8(text, lengthBias: 1); else Unsigned(0);
        }

        /// <summary>0 for none; 1 and the text when it is new; 2 + its index when it came before.</summary>
        private void RepeatedText(ReadOnlySpan<char> text, bool hasText)
        {
            if (!hasText) { Unsigned(0); return; }
            if (_repeatedBySpan.TryGetValue(text, out int index)) { Unsigned(2 + (ulong)index); return; }
            if (_repeated.Count < MaxRepeatedTexts) _repeatedBySpan[text] = _repeated.Count;
            Unsigned(1);
            Utf8(text, lengthBias: 0);
        }

        /// <summary>The UTF-8 length plus <paramref name="lengthBias"/>, then the bytes.</summary>
        private void Utf8(ReadOnlySpan<char> text, ulong lengthBias)
        {
            int bytes = Encoding.UTF8.GetByteCount(text);
            Unsigned(lengthBias + (ulong)bytes);
            Encoding.UTF8.GetBytes(text, Span(bytes));
        }

        private Span<byte> Span(int bytes)
        {
            if (_length + bytes > _bytes.Length) Array.Resize(ref _bytes, Math.Max(2 * _bytes.Length, _length + bytes));
            var span = _bytes.AsSpan(_length, bytes);
            _length += bytes;
            return span;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _at;
        private List<string>? _repeated;

        public readonly int Remaining => _bytes.Length - _at;

        public byte Byte() => Take(1)[0];

        public ulong Unsigned()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte next = Byte();
                value |= (ulong)(next & 0x7F) << shift;
                if (next < 0x80) return value;
            }
            throw new InvalidDataException("A number in a ledger page is longer than 10 bytes.");
        }

        public long Signed()
        {
            ulong value = Unsigned();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        public decimal Decimal()
        {
            byte scaleAndSign = Byte();
            ulong low = Unsigned(), high = Unsigned();
            byte scale = (byte)(scaleAndSign & 0x7F);
            if (scale > 28 || high > uint.MaxValue) throw new InvalidDataException("A quantity in a ledger page is not a decimal.");
            return new decimal((int)(uint)low, (int)(uint)(low >> 32), (int)(uint)high, (scaleAndSign & 0x80) != 0, scale);
        }

        public string? Text()
        {
            ulong length = Unsigned();
            return length == 0 ? null : Utf8(length - 1);
        }

        public string? RepeatedText()
        {
            ulong tag = Unsigned();
            if (tag == 0) return null;
            _repeated ??= [];
            if (tag >= 2)
            {
                ulong index = tag - 2;
                return index < (ulong)_repeated.Count ? _repeated[(int)index] : throw new InvalidDataException($"A ledger page names text {index} before it.");
            }
            var text = Utf8(Unsigned());
            if (_repeated.Count < MaxRepeatedTexts) _repeated.Add(text);
            return text;
        }

        private string Utf8(ulong length) =>
            length <= (ulong)Remaining ? Encoding.UTF8.GetString(Take((int)length)) : throw new InvalidDataException("A text in a ledger page runs past its end.");

        private ReadOnlySpan<byte> Take(int bytes)
        {
            if (bytes > Remaining) throw new InvalidDataException("A ledger page ends in the middle of an entry.");
            var span = _bytes.Slice(_at, bytes);
            _at += bytes;
            return span;
        }
    }
}
