using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Credits;

/// <summary>
/// What the organization, and each of its workspaces, spent in the current UTC day and month, counted
/// from every charge (debits and settles) whether or not a budget watches it: a DAILY or MONTHLY budget
/// set during its period starts from what its scope already spent there, as a billing page expects of a
/// "35 a month" cap set on the 15th. Kept in the wallet's state since rules version
/// <see cref="WalletRules.PeriodSpending"/>, and counted from that version's marker on.
/// </summary>
public sealed class PeriodSpending
{
    /// <summary>
    /// Workspaces counted at most. An organization has at most <see cref="OrganizationLimits.MaxWorkspaces"/>, and
    /// workspaces that spent nothing this month are dropped when a month begins; room for twice that covers
    /// workspaces removed and created within one month. A workspace past it is not counted (its budgets then
    /// start from nothing, as before this count), and no charge is refused for it.
    /// </summary>
    public const int MaxWorkspaces = 2 * OrganizationLimits.MaxWorkspaces;

    public ScopeSpending Organization { get; set; } = new();

    public Dictionary<string, ScopeSpending> Workspaces { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts a charge made at <paramref name="now"/> for the organization and the workspace it names, if any.</summary>
    public void Record(long amountNanoCredits, string? workspaceId, DateTimeOffset now)
    {
        if (amountNanoCredits <= 0) return;
        if (Organization.Record(amountNanoCredits, now)) DropWorkspacesIdleSince(Organization.MonthStart);
        if (workspaceId is null) return;
        if (!Workspaces.TryGetValue(workspaceId, out var workspace))
        {
            if (Workspaces.Count >= MaxWorkspaces) return;
            Workspaces.Add(workspaceId, workspace = new ScopeSpending());
        }
        workspace.Record(amountNanoCredits, now);
    }

    /// <summary>What the scope spent from <paramref name="periodStart"/> (the start of the UTC day or month containing now) on; 0 for any other start.</summary>
    public long SpentSince(BudgetScope scope, string scopeId, BudgetPeriod period, DateTimeOffset periodStart)
    {
        var spending = scope switch
        {
            BudgetScope.Organization => Organization,
            BudgetScope.Workspace => Workspaces.GetValueOrDefault(scopeId),
            _ => null,
        };
        if (spending is null) return 0;
        return period switch
        {
            BudgetPeriod.Daily when spending.DayStart == periodStart => spending.DaySpentNanoCredits,
            BudgetPeriod.Monthly when spending.MonthStart == periodStart => spending.MonthSpentNanoCredits,
            _ => 0,
        };
    }

    private void DropWorkspacesIdleSince(DateTimeOffset monthStart)
    {
        List<string>? idle = null;
        foreach (var (workspaceId, spending) in Workspaces)
        {
            if (spending.MonthStart < monthStart) (idle ??= []).Add(workspaceId);
        }
        foreach (var workspaceId in idle ?? []) Workspaces.Remove(workspaceId);
    }
}

/// <summary>One scope's spending in the UTC day and the UTC month of its latest charge.</summary>
public sealed class ScopeSpending
{
    public DateTimeOffset DayStart { get; set; } = DateTimeOffset.MinValue;
    public long DaySpentNanoCredits { get; set; }
    public DateTimeOffset MonthStart { get; set; } = DateTimeOffset.MinValue;
    public long MonthSpentNanoCredits { get; set; }

    /// <summary>Adds a charge (saturating, as budgets do); true when it began a new month.</summary>
    public bool Record(long amountNanoCredits, DateTimeOffset now)
    {
        // Most charges fall in the day of the one before (and so in its month): no calendar arithmetic for them.
        if (now.UtcTicks - DayStart.UtcTicks is >= 0 and < TimeSpan.TicksPerDay)
        {
            DaySpentNanoCredits = Add(DaySpentNanoCredits, amountNanoCredits);
            MonthSpentNanoCredits = Add(MonthSpentNanoCredits, amountNanoCredits);
            return false;
        }
        var utc = now.UtcDateTime;
        var dayStart = new DateTimeOffset(utc.Date, TimeSpan.Zero);
        // Time never moves a period backwards: a charge stamped before the current day counts in it.
        if (dayStart > DayStart)
        {
            DayStart = dayStart;
            DaySpentNanoCredits = 0;
        }
        DaySpentNanoCredits = Add(DaySpentNanoCredits, amountNanoCredits);
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        bool newMonth = monthStart > MonthStart;
        if (newMonth)
        {
            MonthStart = monthStart;
            MonthSpentNanoCredits = 0;
        }
        MonthSpentNanoCredits = Add(MonthSpentNanoCredits, amountNanoCredits);
        return newMonth;
    }

    private static long Add(long spentNanoCredits, long amountNanoCredits) =>
        amountNanoCredits > long.MaxValue - spentNanoCredits ? long.MaxValue : spentNanoCredits + amountNanoCredits;
}
