using System.Collections;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The latest ledger entries of a wallet, in order (oldest first): those not yet archived. The wallet's
/// grain moves older entries to its archive of ledger pages (<see cref="LedgerArchive"/>) and then drops
/// them here with a journaled <see cref="WalletOperationKind.ArchiveLedger"/>, so a replay of the journal
/// rebuilds exactly this window.
/// </summary>
/// <remarks>
/// A wallet takes thousands of debits a second, and each one's entry lives in the window for a few
/// seconds: long enough to outlive a young collection, so anything it refers to is copied by the
/// garbage collector, and a collection's pause grows with what it copies. So the window holds no object
/// per entry: rows are structs, and their texts (the idempotency key and the usage's meter, workspace
/// and model, and a SETTLE's reservation id: all caller-made strings) are copied into one character buffer
/// the window reuses.
/// <see cref="LedgerEntry"/> records are made only when read. Snapshots store the entries as a list of
/// <see cref="LedgerEntry"/>, as before.
/// </remarks>
[JsonConverter(typeof(LedgerWindowJsonConverter))]
public sealed class LedgerWindow : IReadOnlyList<LedgerEntry>
{
    private const int InitialTextChars = 1024;

    private readonly List<StoredRow> _rows = [];
    private char[] _text = new char[InitialTextChars];
    private int _textChars;

    public int Count => _rows.Count;

    public LedgerEntry this[int index] => ToEntry(_rows[index]);

    /// <summary>The sequence number of the entry at <paramref name="index"/> (oldest first).</summary>
    internal long SequenceAt(int index) => _rows[index].Sequence;

    /// <summary>The index of the first entry whose sequence is above <paramref name="sequence"/> (<see cref="Count"/> for none).</summary>
    internal int FirstAbove(long sequence)
    {
        int low = 0, high = _rows.Count;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_rows[middle].Sequence > sequence) high = middle; else low = middle + 1;
        }
        return low;
    }

    /// <summary>Adds the newest entry.</summary>
    internal void Add(in LedgerRow row)
    {
        Debug.Assert(_rows.Count == 0 || row.Sequence > _rows[^1].Sequence, "Ledger entries ascend.");
        int start = _textChars;
        var usage = row.Usage;
        _rows.Add(new StoredRow(row.Sequence, row.Kind, row.AmountNanoCredits, row.BalanceAfterNanoCredits, row.At, row.Funding, start,
            AddText(row.IdempotencyKey), usage is null ? NoText : AddText(usage.Meter), AddText(usage?.WorkspaceId), AddText(usage?.Model), usage?.Quantity ?? 0,
            AddText(row.SettledReservationId)));
    }

    /// <summary>
    /// Drops the entries up to and including <paramref name="sequence"/> (they are the oldest) and moves the
    /// texts of the rest to the start of the buffer (rows keep their texts in order). Answers how many went.
    /// </summary>
    internal int DropThrough(long sequence)
    {
        int dropRows = FirstAbove(sequence);
        if (dropRows == 0) return 0;
        _rows.RemoveRange(0, dropRows);
        if (_rows.Count == 0)
        {
            _textChars = 0;
            return dropRows;
        }
        int from = _rows[0].TextStart;
        Array.Copy(_text, from, _text, 0, _textChars - from);
        _textChars -= from;
        var rows = CollectionsMarshal.AsSpan(_rows);
        for (int i = 0; i < rows.Length; i++) rows[i] = rows[i] with { TextStart = rows[i].TextStart - from };
        return dropRows;
    }

    /// <summary>Copies a text to the end of the buffer; its length, or <see cref="NoText"/> for null.</summary>
    private int AddText(string? text)
    {
        if (text is null) return NoText;
        if (_textChars + text.Length > _text.Length) Array.Resize(ref _text, Math.Max(2 * _text.Length, _textChars + text.Length));
        text.CopyTo(_text.AsSpan(_textChars));
        _textChars += text.Length;
        return text.Length;
    }

    private const int NoText = -1;

    /// <summary>
    /// Writes entries from <paramref name="start"/> on as one archive page, without making them <see cref="LedgerEntry"/>
    /// records: at most <paramref name="maxCount"/>, and none more once the page has <paramref name="budgetBytes"/>.
    /// Answers how many it wrote (at least one).
    /// </summary>
    internal int WritePage(int start, int maxCount, int budgetBytes, LedgerPageCodec.PageWriter writer)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        writer.Start();
        for (int i = start; i < start + maxCount && (writer.Count == 0 || writer.LengthBytes < budgetBytes); i++)
        {
            var row = _rows[i];
            int at = row.TextStart;
            var funding = row.Funding;
            writer.Entry(row.Sequence, row.Kind, row.AmountNanoCredits, row.BalanceAfterNanoCredits, row.At,
                TextSpan(ref at, row.KeyLength), row.KeyLength != NoText, funding.Several?.Length ?? (funding.OnlyGrantId is null ? 0 : 1));
            if (funding.Several is { } several) foreach (var part in several) writer.Funding(part.GrantId, part.AmountNanoCredits);
            else if (funding.OnlyGrantId is { } grantId) writer.Funding(grantId, funding.OnlyAmountNanoCredits);
            var meter = TextSpan(ref at, row.MeterLength);
            var workspace = TextSpan(ref at, row.WorkspaceLength);
            var model = TextSpan(ref at, row.ModelLength);
            var settled = TextSpan(ref at, row.SettledReservationLength);
            if (row.MeterLength == NoText) writer.NoUsage(settled, row.SettledReservationLength != NoText);
            else writer.Usage(meter, row.Quantity, workspace, row.WorkspaceLength != NoText, model, row.ModelLength != NoText, settled, row.SettledReservationLength != NoText);
        }
        return writer.Count;
    }

    private ReadOnlySpan<char> TextSpan(ref int at, int length)
    {
        if (length == NoText) return default;
        var text = _text.AsSpan(at, length);
        at += length;
        return text;
    }

    private LedgerEntry ToEntry(in StoredRow row)
    {
        int at = row.TextStart;
        var key = ReadText(ref at, row.KeyLength);
        var meter = ReadText(ref at, row.MeterLength);
        var workspace = ReadText(ref at, row.WorkspaceLength);
        var model = ReadText(ref at, row.ModelLength);
        var settled = ReadText(ref at, row.SettledReservationLength);
        var usage = meter is null ? null : new UsageDetails(meter, row.Quantity, workspace, model);
        return new(EntryId(row.Sequence), row.Kind, row.AmountNanoCredits, row.BalanceAfterNanoCredits, row.At, key, row.Funding.ToList(), usage,
            LedgerRow.ReservationOf(row.Kind, key, settled));
    }

    private string? ReadText(ref int at, int length) => length == NoText ? null : new string(TextSpan(ref at, length));

    public IEnumerator<LedgerEntry> GetEnumerator()
    {
        for (int i = 0; i < _rows.Count; i++) yield return ToEntry(_rows[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Ledger entry ids are this prefix and the wallet's sequence in 10 digits.</summary>
    internal const string EntryIdPrefix = LedgerEntryIds.Prefix;

    internal static string EntryId(long sequence) => SequenceId(EntryIdPrefix, sequence);

    /// <summary>An id of the wallet's sequence: the prefix and the number in at least 10 digits, as one string.</summary>
    /// <remarks>Written digit by digit: every debit makes one, and a padded format string takes the runtime's slow path.</remarks>
    internal static string SequenceId(string prefix, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        int digits = MinSequenceDigits;
        for (long limit = 10_000_000_000; digits < MaxSequenceDigits && sequence >= limit; limit *= 10) digits++;
        return string.Create(prefix.Length + digits, (prefix, sequence), static (id, state) =>
        {
            state.prefix.CopyTo(id);
            long rest = state.sequence;
            for (int i = id.Length - 1; i >= state.prefix.Length; i--, rest /= 10) id[i] = (char)('0' + (int)(rest % 10));
        });
    }

    private const int MinSequenceDigits = 10;

    /// <summary>long.MaxValue has 19 digits.</summary>
    private const int MaxSequenceDigits = 19;

    /// <summary>The sequence number of a ledger entry id; throws for anything else (the book makes every id).</summary>
    internal static long Sequence(string entryId) =>
        LedgerEntryIds.TryParseSequence(entryId, out long sequence) && sequence > 0
            ? sequence
            : throw new InvalidOperationException($"The ledger entry id {entryId} is not {EntryIdPrefix} and a sequence number.");

    internal void AddRead(LedgerEntry entry) => Add(LedgerRow.From(entry));

    /// <summary>A row as the window keeps it: its texts are at <see cref="TextStart"/> in the buffer, one after another.</summary>
    private readonly record struct StoredRow(
        long Sequence, LedgerEntryKind Kind, long AmountNanoCredits, long BalanceAfterNanoCredits, DateTimeOffset At, Funding Funding,
        int TextStart, int KeyLength, int MeterLength, int WorkspaceLength, int ModelLength, decimal Quantity, int SettledReservationLength);
}

/// <summary>How a grant or several paid for an entry: usually one, kept without an array.</summary>
internal readonly record struct Funding(string? OnlyGrantId, long OnlyAmountNanoCredits, GrantFunding[]? Several)
{
    public static readonly Funding None = new(null, 0, null);

    public IReadOnlyList<GrantFunding> ToList() =>
        Several ?? (OnlyGrantId is null ? [] : [new GrantFunding(OnlyGrantId, OnlyAmountNanoCredits)]);
}

/// <summary>
/// One ledger entry as the book writes it into the window (which keeps it as its own row). A SETTLE keeps the
/// id of the reservation it settled; HOLD and RELEASE entries name theirs in their key (<see cref="ReservedKeys.HoldKey"/>).
/// </summary>
internal readonly record struct LedgerRow(
    long Sequence, LedgerEntryKind Kind, long AmountNanoCredits, long BalanceAfterNanoCredits, DateTimeOffset At,
    string? IdempotencyKey, Funding Funding, UsageDetails? Usage, string? SettledReservationId = null)
{
    public static LedgerRow From(LedgerEntry entry) => new(LedgerWindow.Sequence(entry.Id), entry.Kind, entry.AmountNanoCredits,
        entry.BalanceAfterNanoCredits, entry.At, entry.IdempotencyKey,
        entry.Fundings.Count == 1 ? new Funding(entry.Fundings[0].GrantId, entry.Fundings[0].AmountNanoCredits, null)
            : entry.Fundings.Count == 0 ? Funding.None : new Funding(null, 0, [.. entry.Fundings]),
        entry.Usage, entry.Kind == LedgerEntryKind.Settle ? entry.ReservationId : null);

    /// <summary>The reservation an entry is about: a HOLD's or RELEASE's from its key, a SETTLE's as kept (null before SETTLEs kept it).</summary>
    public static string? ReservationOf(LedgerEntryKind kind, string? key, string? settledReservationId) => kind switch
    {
        LedgerEntryKind.Hold or LedgerEntryKind.Release => ReservedKeys.HoldIdOf(key),
        LedgerEntryKind.Settle => settledReservationId,
        _ => null,
    };
}

/// <summary>Stores a <see cref="LedgerWindow"/> as the list of its entries.</summary>
public sealed class LedgerWindowJsonConverter : JsonConverter<LedgerWindow>
{
    public override LedgerWindow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var window = new LedgerWindow();
        foreach (var entry in JsonSerializer.Deserialize<List<LedgerEntry>>(ref reader, options) ?? []) window.AddRead(entry);
        return window;
    }

    public override void Write(Utf8JsonWriter writer, LedgerWindow value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToList(), options);
}
