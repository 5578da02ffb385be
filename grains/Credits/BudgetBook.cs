using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The rules of budgets, with no I/O and no clock of their own (every instant comes from the operation,
/// so a replay gives the same book). An ORGANIZATION budget counts every debit and settle of the wallet;
/// a WORKSPACE budget those whose usage names its workspace. Periods are UTC calendar days or months
/// (TOTAL: since the budget was set); a new period starts with nothing spent and no threshold fired, and a
/// budget set during a period starts from what its scope spent there (<see cref="PeriodSpending"/>).
/// A BLOCK budget refuses a charge that would take its spending above the limit (exactly the limit
/// passes). Each threshold reached adds one <see cref="BudgetAlert"/> to the pending list, at most once
/// per threshold per period.
/// </summary>
public sealed class BudgetBook(List<BudgetRecord> budgets, List<BudgetAlert> pendingAlerts)
{
    private const int PercentBase = 100;

    /// <summary>Why the budget cannot be set as asked (a user error), or null. Checks everything but the workspace's existence.</summary>
    public UserErrorException? Problem(BudgetSpec spec)
    {
        if (!EntityIds.HasShape(spec.Id, EntityIds.BudgetPrefix)) return new(UserErrorCodes.InvalidId, "A budget id is bud_ and 20 characters.", ["input", "id"]);
        if (spec.Scope == BudgetScope.ApiKey) return new(UserErrorCodes.UnsupportedScope, "API_KEY budgets are not supported yet.", ["input", "scope"]);
        if (spec.Scope == BudgetScope.Organization ? spec.ScopeId.Length == 0 : !EntityIds.HasShape(spec.ScopeId, EntityIds.WorkspacePrefix))
            return UserErrorException.NotFound("Workspace");
        if (spec.LimitNanoCredits is <= 0 or > BudgetLimits.MaxLimitNanoCredits)
            return new(UserErrorCodes.InvalidLimit, "The limit must be more than 0 and at most 1,000,000,000 credits.", ["input", "limit"]);
        var thresholds = spec.AlertThresholdsPercent;
        if (thresholds.Count > BudgetLimits.MaxThresholds || thresholds.Distinct().Count() != thresholds.Count
            || thresholds.Any(t => t is < BudgetLimits.MinThresholdPercent or > BudgetLimits.MaxThresholdPercent))
            return new(UserErrorCodes.InvalidThresholds,
                $"Alert thresholds are at most {BudgetLimits.MaxThresholds} distinct percentages from {BudgetLimits.MinThresholdPercent} to {BudgetLimits.MaxThresholdPercent}.",
                ["input", "alertThresholdsPercent"]);
        if (Find(spec.Id) is null && budgets.Count >= BudgetLimits.MaxBudgetsPerOrganization)
            return new(UserErrorCodes.BudgetLimitReached, $"An organization has at most {BudgetLimits.MaxBudgetsPerOrganization} budgets.");
        return null;
    }

    /// <summary>
    /// Creates or updates a budget; false (nothing changed) when <see cref="Problem"/> refuses it. An update
    /// that keeps the scope and period keeps the period's spending and fired thresholds; one that changes
    /// them starts counting afresh at <paramref name="now"/>: from what <paramref name="spending"/> says its
    /// scope already spent in the period (thresholds it passed alert at the next charge), or from nothing
    /// without it (the rules before <see cref="WalletRules.PeriodSpending"/>).
    /// </summary>
    public bool Set(BudgetSpec spec, DateTimeOffset now, PeriodSpending? spending = null)
    {
        if (Problem(spec) is not null) return false;
        var budget = Find(spec.Id);
        bool countsAfresh = budget is null || budget.Scope != spec.Scope || budget.ScopeId != spec.ScopeId || budget.Period != spec.Period;
        if (budget is null)
        {
            budget = new BudgetRecord { Id = spec.Id, CreatedAt = now };
            budgets.Add(budget);
        }
        else if (countsAfresh)
        {
            budget.CreatedAt = now;
            budget.PeriodStart = DateTimeOffset.MinValue;
            budget.Restarts++;
        }
        budget.Scope = spec.Scope;
        budget.ScopeId = spec.ScopeId;
        budget.Period = spec.Period;
        budget.LimitNanoCredits = spec.LimitNanoCredits;
        budget.Action = spec.Action;
        budget.AlertThresholdsPercent = spec.AlertThresholdsPercent.Order().ToList();
        Roll(budget, now);
        if (countsAfresh && spending is not null) budget.SpentNanoCredits = spending.SpentSince(budget.Scope, budget.ScopeId, budget.Period, budget.PeriodStart);
        return true;
    }

    /// <summary>False when there is no such budget.</summary>
    public bool Delete(string budgetId) => budgets.RemoveAll(b => b.Id == budgetId) > 0;

    /// <summary>
    /// <see cref="WalletErrorCodes.BudgetExceeded"/> when a BLOCK budget that counts this charge would go above its limit, with
    /// what open holds in its scope keep (<paramref name="heldInOrganization"/>, <paramref name="heldInWorkspace"/>) counted as
    /// spent; changes nothing. A charge of nothing (a BYO-key event, a quota meter) spends no credits, so no budget refuses
    /// it, even one already above its limit (lowered, or made BLOCK, during the period). With
    /// <paramref name="workspaceBudgetsOnly"/>, the organization's budgets are left out (they counted the charge already).
    /// </summary>
    public string? Refusal(long amountNanoCredits, string? workspaceId, DateTimeOffset now, long heldInOrganization, Func<string, long> heldInWorkspace,
        bool workspaceBudgetsOnly = false)
    {
        if (amountNanoCredits == 0) return null;
        foreach (var budget in budgets)
        {
            if (budget.Action != BudgetAction.Block || !Counts(budget, workspaceId)) continue;
            if (workspaceBudgetsOnly && budget.Scope != BudgetScope.Workspace) continue;
            long held = budget.Scope == BudgetScope.Organization ? heldInOrganization : heldInWorkspace(budget.ScopeId);
            // In Int128: a limit, the spent and the held are each up to about 10^18 nano-credits.
            if (amountNanoCredits > (Int128)budget.LimitNanoCredits - SpentAt(budget, now) - held) return WalletErrorCodes.BudgetExceeded;
        }
        return null;
    }

    /// <summary>Adds a charge to every budget that counts it, and queues an alert for each threshold it reaches first in the period.</summary>
    public void RecordSpend(long amountNanoCredits, string? workspaceId, DateTimeOffset now)
    {
        foreach (var budget in budgets)
        {
            if (!Counts(budget, workspaceId)) continue;
            Roll(budget, now);
            budget.SpentNanoCredits = amountNanoCredits > long.MaxValue - budget.SpentNanoCredits ? long.MaxValue : budget.SpentNanoCredits + amountNanoCredits;
            foreach (int threshold in budget.AlertThresholdsPercent)
            {
                if (budget.FiredThresholdsPercent.Contains(threshold) || !Reached(budget, threshold)) continue;
                budget.FiredThresholdsPercent.Add(threshold);
                pendingAlerts.Add(new BudgetAlert(AlertId(budget.Id, budget.PeriodStart, threshold, budget.Restarts), budget.Id, threshold,
                    budget.SpentNanoCredits, budget.LimitNanoCredits, budget.PeriodStart, now));
            }
        }
    }

    /// <summary>The budgets as of <paramref name="now"/>: a period that has ended shows the new one, with nothing spent.</summary>
    public IReadOnlyList<BudgetView> Views(DateTimeOffset now, long heldInOrganization = 0, Func<string, long>? heldInWorkspace = null) => budgets
        .Select(b => new BudgetView(b.Id, b.Scope, b.ScopeId, b.LimitNanoCredits, b.Period, b.Action, b.AlertThresholdsPercent.ToArray(),
            SpentAt(b, now), Max(b.PeriodStart, PeriodStart(b.Period, now, b.CreatedAt)),
            b.Scope == BudgetScope.Organization ? heldInOrganization : heldInWorkspace?.Invoke(b.ScopeId) ?? 0))
        .ToArray();

    /// <summary>The start of the period containing <paramref name="now"/>: UTC midnight, the first of the UTC month, or when the budget was set.</summary>
    public static DateTimeOffset PeriodStart(BudgetPeriod period, DateTimeOffset now, DateTimeOffset createdAt)
    {
        var utc = now.UtcDateTime;
        return period switch
        {
            BudgetPeriod.Daily => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Total => createdAt.ToUniversalTime(),
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Unknown budget period."),
        };
    }

    /// <summary>Stable for a budget, its count since its scope or period last changed, a period and a threshold, so a receiver can drop an alert it already has.</summary>
    public static string AlertId(string budgetId, DateTimeOffset periodStart, int thresholdPercent, int restarts) =>
        FormattableString.Invariant($"{budgetId}.{periodStart.UtcTicks}.{thresholdPercent}{(restarts == 0 ? "" : $".{restarts}")}");

    private BudgetRecord? Find(string budgetId) => budgets.Find(b => b.Id == budgetId);

    private static bool Counts(BudgetRecord budget, string? workspaceId) => budget.Scope switch
    {
        BudgetScope.Organization => true,
        BudgetScope.Workspace => string.Equals(budget.ScopeId, workspaceId, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Spending counted in the period containing <paramref name="now"/> (time never moves a period backwards).</summary>
    private static long SpentAt(BudgetRecord budget, DateTimeOffset now) =>
        PeriodStart(budget.Period, now, budget.CreatedAt) > budget.PeriodStart ? 0 : budget.SpentNanoCredits;

    private static void Roll(BudgetRecord budget, DateTimeOffset now)
    {
        var start = PeriodStart(budget.Period, now, budget.CreatedAt);
        if (start <= budget.PeriodStart) return;
        budget.PeriodStart = start;
        budget.SpentNanoCredits = 0;
        budget.FiredThresholdsPercent.Clear();
    }

    /// <summary>spent / limit ≥ threshold %, in integers wide enough for 10^18 × 1000.</summary>
    private static bool Reached(BudgetRecord budget, int thresholdPercent) =>
        (Int128)budget.SpentNanoCredits * PercentBase >= (Int128)budget.LimitNanoCredits * thresholdPercent;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
