using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Binary;

namespace OrgActors.Grains.Credits;

/// <summary>
/// Packs a run of ledger entries (oldest first) into the bytes of one archived ledger page, and back.
/// </summary>
/// <remarks>
/// A busy wallet archives every entry it writes, so a page is written on the debit path's budget: about
/// 40 bytes per debit with its usage, rather than the 250 of the same entry as JSON. Numbers are variable-length, with
/// sequences and times as differences from the entry before; grant ids and the usage's meter, workspace
/// and model repeat from entry to entry, so each is written once per page and then named by its index.
/// Version 2 adds the reservation a SETTLE settled; pages of version 1 still read (their SETTLEs name none).
/// </remarks>
internal static class LedgerPageCodec
{
    private const byte Version = 2;
    private const byte FirstVersion = 1;

    /// <summary>The byte after an entry's fundings: whether its usage follows, and (from version 2) the reservation it settled.</summary>
    private const byte HasUsage = 1, HasSettledReservation = 2;

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
            var settled = entry.Kind == LedgerEntryKind.Settle ? entry.ReservationId : null;
            if (entry.Usage is { } usage)
                writer.Usage(usage.Meter, usage.Quantity, usage.WorkspaceId, usage.WorkspaceId is not null, usage.Model, usage.Model is not null, settled, settled is not null);
            else writer.NoUsage(settled, settled is not null);
        }
        return writer.Written.ToArray();
    }

    /// <summary>The entries of a page, oldest first; <see cref="InvalidDataException"/> for bytes this codec did not write.</summary>
    public static List<LedgerEntry> Unpack(ReadOnlySpan<byte> packed)
    {
        var reader = new ByteReader(packed, "a ledger page");
        byte version = reader.Byte();
        if (version is not (FirstVersion or Version)) throw new InvalidDataException($"Unknown ledger page format (version {version}).");
        var entries = new List<LedgerEntry>();
        var texts = new RepeatedTexts();
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
            var at = reader.Time(ticks);
            var key = reader.Text();
            var fundings = new GrantFunding[reader.Count()];
            for (int f = 0; f < fundings.Length; f++)
                fundings[f] = new GrantFunding(texts.Read(ref reader) ?? throw new InvalidDataException("A funding without a grant id."), reader.Signed());
            byte follows = reader.Byte();
            if (version == Version && (follows & ~(HasUsage | HasSettledReservation)) != 0) throw new InvalidDataException($"A ledger entry marked {follows}.");
            UsageDetails? usage = null;
            if ((version == FirstVersion ? follows == HasUsage : (follows & HasUsage) != 0))
                usage = new UsageDetails(texts.Read(ref reader) ?? throw new InvalidDataException("A usage without a meter."), reader.Decimal(), texts.Read(ref reader), texts.Read(ref reader));
            string? settled = version == Version && (follows & HasSettledReservation) != 0
                ? reader.Text() ?? throw new InvalidDataException("A settled reservation without an id.") : null;
            entries.Add(new LedgerEntry(LedgerWindow.EntryId(sequence), kind, amount, balanceAfter, at, key, fundings, usage,
                LedgerRow.ReservationOf(kind, key, settled)));
        }
        return entries;
    }

    /// <summary>
    /// Writes one page at a time: <see cref="Start"/>, then per entry <see cref="Entry"/>, its fundings and its
    /// usage (or none), with the reservation a SETTLE settled; a page is its version byte and its entries, to the end. Reused from page to page, so
    /// a wallet archiving thousands of entries a second keeps one buffer; <see cref="Written"/> is valid until
    /// the next <see cref="Start"/>.
    /// </summary>
    internal sealed class PageWriter
    {
        private readonly ByteWriter _out = new(initialSizeBytes: 4096);
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
                return _out.Written;
            }
        }

        /// <summary>Entries written since <see cref="Start"/>.</summary>
        public int Count { get; private set; }

        /// <summary>Bytes written since <see cref="Start"/>, the version byte included.</summary>
        public int LengthBytes => _out.LengthBytes;

        public void Start()
        {
            (_previousSequence, _previousTicks, _previousBalance, _fundingsLeft, _usageLeft, Count) = (0, 0, 0, 0, false, 0);
            _repeated.Clear();
            _out.Clear();
            _out.Byte(Version);
        }

        /// <summary>An entry's numbers and key; its <paramref name="fundingCount"/> fundings and its usage (or none) follow.</summary>
        public void Entry(long sequence, LedgerEntryKind kind, long amountNanoCredits, long balanceAfterNanoCredits, DateTimeOffset at,
            ReadOnlySpan<char> key, bool hasKey, int fundingCount)
        {
            if (_out.LengthBytes == 0 || Count == MaxEntries || _fundingsLeft != 0 || _usageLeft) throw new InvalidOperationException("The ledger page does not expect an entry here.");
            if (sequence <= _previousSequence) throw new ArgumentException($"Ledger entries must ascend: sequence {sequence} follows {_previousSequence}.", nameof(sequence));
            ArgumentOutOfRangeException.ThrowIfNegative(fundingCount);
            _out.Unsigned((ulong)(sequence - _previousSequence));
            _out.Byte((byte)kind);
            _out.Signed(amountNanoCredits);
            _out.Signed(balanceAfterNanoCredits - _previousBalance);
            _out.Signed(at.UtcTicks - _previousTicks);
            _out.Offset(at);
            _out.Text(key, hasKey);
            _out.Unsigned((ulong)fundingCount);
            (_previousSequence, _previousTicks, _previousBalance) = (sequence, at.UtcTicks, balanceAfterNanoCredits);
            (Count, _fundingsLeft, _usageLeft) = (Count + 1, fundingCount, true);
        }

        public void Funding(string grantId, long amountNanoCredits)
        {
            if (_fundingsLeft-- <= 0) throw new InvalidOperationException("The entry has no more fundings.");
            RepeatedText(grantId, hasText: true);
            _out.Signed(amountNanoCredits);
        }

        public void Usage(ReadOnlySpan<char> meter, decimal quantity, ReadOnlySpan<char> workspaceId, bool hasWorkspace, ReadOnlySpan<char> model, bool hasModel,
            ReadOnlySpan<char> settledReservationId, bool hasSettledReservation)
        {
            EndEntry();
            _out.Byte(hasSettledReservation ? (byte)(HasUsage | HasSettledReservation) : HasUsage);
            RepeatedText(meter, hasText: true);
            _out.Decimal(quantity);
            RepeatedText(workspaceId, hasWorkspace);
            RepeatedText(model, hasModel);
            if (hasSettledReservation) _out.Text(settledReservationId, hasText: true);
        }

        public void NoUsage(ReadOnlySpan<char> settledReservationId, bool hasSettledReservation)
        {
            EndEntry();
            _out.Byte(hasSettledReservation ? HasSettledReservation : (byte)0);
            if (hasSettledReservation) _out.Text(settledReservationId, hasText: true);
        }

        private void EndEntry()
        {
            if (_fundingsLeft != 0 || !_usageLeft) throw new InvalidOperationException("The ledger page does not expect a usage here.");
            _usageLeft = false;
        }

        /// <summary>0 for none; 1 and the text when it is new; 2 + its index when it came before.</summary>
        private void RepeatedText(ReadOnlySpan<char> text, bool hasText)
        {
            if (!hasText) { _out.Unsigned(0); return; }
            if (_repeatedBySpan.TryGetValue(text, out int index)) { _out.Unsigned(2 + (ulong)index); return; }
            if (_repeated.Count < MaxRepeatedTexts) _repeatedBySpan[text] = _repeated.Count;
            _out.Unsigned(1);
            _out.Utf8(text, lengthBias: 0);
        }
    }

    /// <summary>The texts a page has named so far, as <see cref="PageWriter"/> numbers them.</summary>
    private sealed class RepeatedTexts
    {
        private readonly List<string> _texts = [];

        public string? Read(ref ByteReader reader)
        {
            ulong tag = reader.Unsigned();
            if (tag == 0) return null;
            if (tag >= 2)
            {
                ulong index = tag - 2;
                return index < (ulong)_texts.Count ? _texts[(int)index] : throw new InvalidDataException($"A ledger page names text {index} before it.");
            }
            var text = reader.Utf8(reader.Unsigned());
            if (_texts.Count < MaxRepeatedTexts) _texts.Add(text);
            return text;
        }
    }
}
