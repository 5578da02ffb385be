namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// Idempotency keys the platform makes itself share a wallet's key space with the keys callers choose
/// (usage event ids, reservation ids, grant keys), so they carry prefixes that callers may not use:
/// otherwise a usage event named like next month's plan grant would take its key and the grant would
/// never be made.
/// </summary>
public static class ReservedKeys
{
    /// <summary>A plan's credits for one billing period.</summary>
    public const string PlanPrefix = "plan:";

    /// <summary>A credit pack bought in one month.</summary>
    public const string PackPrefix = "pack:";

    /// <summary>A reservation's hold, by reservation id.</summary>
    public const string HoldPrefix = "hold:";

    private static readonly string[] Prefixes = [PlanPrefix, PackPrefix, HoldPrefix];

    /// <summary>The key of a reservation's HOLD (and of its RELEASE in the ledger): <c>hold:&lt;reservation id&gt;</c>.</summary>
    public static string HoldKey(string holdId) => HoldPrefix + holdId;

    /// <summary>The reservation id of a HOLD or RELEASE entry's key (<see cref="HoldKey"/>); null for any other key.</summary>
    public static string? HoldIdOf(string? key) => key is not null && key.StartsWith(HoldPrefix, StringComparison.Ordinal) ? key[HoldPrefix.Length..] : null;

    /// <summary>Whether a caller's key starts with a prefix the platform keeps for its own keys (case-insensitive, so look-alikes are refused too).</summary>
    public static bool IsReserved(string key)
    {
        foreach (var prefix in Prefixes)
        {
            if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>The sentence an error names when a caller's key is reserved.</summary>
    public const string Explanation = "Keys starting with plan:, pack: or hold: are kept for the platform's own entries.";
}
