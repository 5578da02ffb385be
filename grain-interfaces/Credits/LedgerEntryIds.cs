using System.Globalization;

namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// A ledger entry's id is <c>le_</c> and the wallet's sequence number (at least 10 digits): readers page by
/// that number (<see cref="LedgerPageRequest"/>), so the format is part of the wallet's interface.
/// </summary>
public static class LedgerEntryIds
{
    public const string Prefix = "le_";

    /// <summary>The sequence of an entry id, 0 to long.MaxValue; false for anything else.</summary>
    public static bool TryParseSequence(string entryId, out long sequence)
    {
        sequence = 0;
        return entryId.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(entryId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }
}
