namespace OrgActors.GrainInterfaces.Credits;

/// <summary>What a budget counts: every debit of the wallet, or those of one workspace (API_KEY comes later).</summary>
public enum BudgetScope { Organization, Workspace, ApiKey }

/// <summary>The window a budget's spending is counted over: a UTC calendar day or month, or since the budget was set.</summary>
public enum BudgetPeriod { Daily, Monthly, Total }

/// <summary>ALERT_ONLY only alerts; BLOCK also refuses a debit that would take the spending above the limit.</summary>
public enum BudgetAction { AlertOnly, Block }

/// <summary>A budget as its owner sets it.</summary>
public sealed record BudgetSpec(
    string Id,
    BudgetScope Scope,
    string ScopeId,
    long LimitNanoCredits,
    BudgetPeriod Period,
    BudgetAction Action,
    IReadOnlyList<int> AlertThresholdsPercent);

/// <summary>
/// A budget and its spending in the current period, with what open holds in its scope keep (a BLOCK budget
/// counts them as spent when it decides; 0 for wallets still on the rules before holds counted).
/// </summary>
public sealed record BudgetView(
    string Id,
    BudgetScope Scope,
    string ScopeId,
    long LimitNanoCredits,
    BudgetPeriod Period,
    BudgetAction Action,
    IReadOnlyList<int> AlertThresholdsPercent,
    long SpentNanoCredits,
    DateTimeOffset PeriodStart,
    long HeldNanoCredits = 0);

/// <summary>
/// A threshold of a budget was reached, once per threshold per period. <see cref="Id"/> is stable
/// (budget, period start and threshold), so a receiver that sees it twice can drop the second.
/// </summary>
public sealed record BudgetAlert(
    string Id,
    string BudgetId,
    int ThresholdPercent,
    long SpentNanoCredits,
    long LimitNanoCredits,
    DateTimeOffset PeriodStart,
    DateTimeOffset At);

/// <summary>The limits of budgets (docs/credits.md).</summary>
public static class BudgetLimits
{
    public const int MaxBudgetsPerOrganization = 20;
    public const int MaxThresholds = 10;
    public const int MinThresholdPercent = 1;
    public const int MaxThresholdPercent = 1000;
    /// <summary>The largest limit: 10^9 credits.</summary>
    public const long MaxLimitNanoCredits = NanoCredits.MaxAmount;
    public static readonly IReadOnlyList<int> DefaultThresholdsPercent = [50, 80, 100];
}
