using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The latest ledger entries of a wallet, in order (oldest first): what GraphQL's <c>ledger</c> pages
/// through. The journal keeps every operation for good; this is only the window held in memory.
/// </summary>
/// <remarks>
/// Rows are kept as structs and become <see cref="LedgerEntry"/> records only when read. A debit's row
/// refers to strings that live anyway (its key, the grant's id), so the thousands of debits a second
/// add no object of their own for the garbage collector to move. Snapshots store the entries as a list
/// of <see cref="LedgerEntry"/>, as before.
/// </remarks>
[JsonConverter(typeof(LedgerWindowJsonConverter))]
public sealed class LedgerWindow : IReadOnlyList<LedgerEntry>
{
    private readonly List<LedgerRow> _rows = [];

    public int Count => _rows.Count;

    public LedgerEntry this[int index] => _rows[index].ToEntry();

    /// <summary>Adds the newest entry; beyond twice <paramref name="keepEntries"/> the oldest go, down to <paramref name="keepEntries"/>.</summary>
    internal void Add(in LedgerRow row, int keepEntries)
    {
        _rows.Add(row);
        if (_rows.Count >= 2 * keepEntries) _rows.RemoveRange(0, _rows.Count - keepEntries);
    }

    public IEnumerator<LedgerEntry> GetEnumerator()
    {
        for (int i = 0; i < _rows.Count; i++) yield return _rows[i].ToEntry();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Ledger entry ids are this prefix and the wallet's sequence in 10 digits.</summary>
    internal const string EntryIdPrefix = "le_";

    internal static string EntryId(long sequence) => SequenceId(EntryIdPrefix, sequence);

    /// <summary>An id of the wallet's sequence: the prefix and the number in 10 digits, as one string.</summary>
    internal static string SequenceId(string prefix, long sequence) => string.Create(CultureInfo.InvariantCulture, $"{prefix}{sequence:D10}");

    /// <summary>The sequence number of a ledger entry id; throws for anything else (the book makes every id).</summary>
    internal static long Sequence(string entryId) =>
        entryId.StartsWith(EntryIdPrefix, StringComparison.Ordinal)
        && long.TryParse(entryId.AsSpan(EntryIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence) && sequence > 0
            ? sequence
            : throw new InvalidOperationException($"The ledger entry id {entryId} is not {EntryIdPrefix} and a sequence number.");

    internal void AddRead(LedgerEntry entry) => _rows.Add(LedgerRow.From(entry));
}

/// <summary>How a grant or several paid for an entry: usually one, kept without an array.</summary>
internal readonly record struct Funding(string? OnlyGrantId, long OnlyAmountNanoCredits, GrantFunding[]? Several)
{
    public static readonly Funding None = new(null, 0, null);

    public IReadOnlyList<GrantFunding> ToList() =>
        Several ?? (OnlyGrantId is null ? [] : [new GrantFunding(OnlyGrantId, OnlyAmountNanoCredits)]);
}

/// <summary>One ledger entry as the window holds it.</summary>
internal readonly record struct LedgerRow(
    long Sequence, LedgerEntryKind Kind, long AmountNanoCredits, long BalanceAfterNanoCredits, DateTimeOffset At,
    string? IdempotencyKey, Funding Funding, UsageDetails? Usage)
{
    public LedgerEntry ToEntry() => new(LedgerWindow.EntryId(Sequence), Kind, AmountNanoCredits, BalanceAfterNanoCredits, At,
        IdempotencyKey, Funding.ToList(), Usage);

    public static LedgerRow From(LedgerEntry entry) => new(LedgerWindow.Sequence(entry.Id), entry.Kind, entry.AmountNanoCredits,
        entry.BalanceAfterNanoCredits, entry.At, entry.IdempotencyKey,
        entry.Fundings.Count == 1 ? new Funding(entry.Fundings[0].GrantId, entry.Fundings[0].AmountNanoCredits, null)
            : entry.Fundings.Count == 0 ? Funding.None : new Funding(null, 0, [.. entry.Fundings]),
        entry.Usage);
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
