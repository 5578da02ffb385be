using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The rules of quota meters (e.g. workflow runs per month), with no I/O and no clock of their own: every
/// instant comes from the operation, so a replay of the wallet's journal gives the same book.
/// </summary>
/// <remarks>
/// <para>The plan subscription sets the quotas (<see cref="Set"/>) whenever a period begins. Each meter's
/// windows lie on the grid of the subscription's run, anchor + k × (1 or 12 months), so a free plan's
/// MONTH windows are calendar months and a paid plan's follow its billing day. A window that ends rolls
/// over here by itself, at the first operation after it (like a budget's period), so the count starts
/// again at 0 on time even when the subscription's own rollover reaches the wallet later.</para>
/// <para>Usage of a quota meter is counted in whole units, in a <see cref="long"/>: the wallet receives
/// quantities as <see cref="decimal"/>, and a fraction or a negative quantity of a quota meter is refused
/// (<see cref="WalletErrorCodes.InvalidEvent"/>) rather than rounded, so that the count is exact. Usage
/// that would take the window's count above the limit is refused (<see cref="WalletErrorCodes.QuotaExceeded"/>);
/// reaching the limit exactly passes. Credits play no part: a run with the customer's own provider key
/// (charged 0) is still a run.</para>
/// </remarks>
public sealed class QuotaBook(QuotaState state)
{
    /// <summary>Months in a window of the quota's period, or null for a period the wallet does not know.</summary>
    public static int? MonthsIn(string period) => period switch
    {
        Quota.Month => 1,
        Quota.Year => PlanPeriods.MonthsPerYear,
        _ => null,
    };

    /// <summary>Why the settings cannot be applied, or null: the caller refuses them before they reach the journal.</summary>
    public static string? Problem(QuotaSettings? settings)
    {
        if (settings?.Quotas is null || settings.PlanId is null) return "Quota settings need a plan and a list of quotas.";
        if (settings.PeriodEnd <= settings.PeriodStart) return "The period must end after it starts.";
        foreach (var quota in settings.Quotas)
        {
            if (quota is null || string.IsNullOrEmpty(quota.Meter)) return "Every quota needs a meter.";
            if (quota.Limit < 0) return $"The quota of {quota.Meter} must not be negative.";
            if (MonthsIn(quota.Period) is null) return $"The quota of {quota.Meter} has the period '{quota.Period}': {Quota.Month} or {Quota.Year} were expected.";
        }
        if (settings.Quotas.GroupBy(q => q.Meter).FirstOrDefault(g => g.Count() > 1) is { } twice) return $"The meter {twice.Key} has two quotas.";
        return null;
    }

    /// <summary>
    /// Applies the plan's quotas at <paramref name="now"/>; true when anything changed (and the operation must be
    /// journaled). Settings older than those applied, or malformed, change nothing. A meter whose window is the
    /// same as before keeps its count (a new limit applies at once); a new window counts from 0; meters the
    /// plan no longer has are dropped, so they are no longer limited.
    /// </summary>
    public bool Set(QuotaSettings settings, DateTimeOffset now)
    {
        if (Problem(settings) is not null || settings.Revision < state.Revision) return false;
        // A subscription's clock slightly ahead of ours must not place the window before its period.
        var at = now < settings.PeriodStart ? settings.PeriodStart : now;
        var meters = new List<QuotaMeterRecord>(settings.Quotas.Count);
        bool changed = settings.Revision != state.Revision || settings.Quotas.Count != state.Meters.Count;
        foreach (var quota in settings.Quotas)
        {
            var (start, end) = PlanPeriods.Containing(settings.Anchor, MonthsIn(quota.Period)!.Value, at);
            var existing = Find(quota.Meter);
            bool sameWindow = existing is not null && existing.PeriodStart == start && existing.PeriodEnd == end;
            var meter = new QuotaMeterRecord
            {
                Meter = quota.Meter, Limit = quota.Limit, Period = quota.Period, Anchor = settings.Anchor,
                PeriodStart = start, PeriodEnd = end, Used = sameWindow ? existing!.Used : 0,
            };
            changed |= !sameWindow || existing!.Limit != meter.Limit || existing.Period != meter.Period || existing.Anchor != meter.Anchor || existing.Used != meter.Used;
            meters.Add(meter);
        }
        // Unchanged settings leave the state exactly as it was, so that a replay (which never sees them) agrees.
        if (!changed) return false;
        state.Revision = settings.Revision;
        state.Meters = meters;
        return true;
    }

    /// <summary>
    /// Why the usage cannot be counted, or null (also for a meter without a quota): <see cref="WalletErrorCodes.InvalidEvent"/>
    /// for a quantity that is not a whole number of 0 or more, <see cref="WalletErrorCodes.QuotaExceeded"/> when it would
    /// take the window's count above the limit. Changes nothing.
    /// </summary>
    public string? Refusal(UsageDetails? usage, DateTimeOffset now)
    {
        if (usage is null || Find(usage.Meter) is not { } meter) return null;
        if (WholeUnits(usage.Quantity) is not { } quantity) return WalletErrorCodes.InvalidEvent;
        return quantity > meter.Limit - UsedAt(meter, now) ? WalletErrorCodes.QuotaExceeded : null;
    }

    /// <summary>Counts the usage in its meter's current window; the caller checked <see cref="Refusal"/> in the same step.</summary>
    public void RecordUse(UsageDetails? usage, DateTimeOffset now)
    {
        if (usage is null || Find(usage.Meter) is not { } meter || WholeUnits(usage.Quantity) is not { } quantity) return;
        Roll(meter, now);
        meter.Used = quantity > long.MaxValue - meter.Used ? long.MaxValue : meter.Used + quantity;
    }

    /// <summary>The meters as of <paramref name="now"/>: a window that has ended shows the one containing now, with nothing used.</summary>
    public IReadOnlyList<QuotaUsage> Views(DateTimeOffset now) => state.Meters
        .Select(m =>
        {
            var (start, end) = WindowAt(m, now);
            return new QuotaUsage(m.Meter, m.Limit, UsedAt(m, now), start, end);
        })
        .ToArray();

    /// <summary>A loop, not List.Find: every debit with usage asks twice, and a lambda capturing the meter would allocate each time.</summary>
    private QuotaMeterRecord? Find(string meter)
    {
        foreach (var record in state.Meters)
        {
            if (string.Equals(record.Meter, meter, StringComparison.Ordinal)) return record;
        }
        return null;
    }

    /// <summary>The quantity as a count, or null when it is negative, fractional or beyond a <see cref="long"/>.</summary>
    private static long? WholeUnits(decimal quantity) =>
        quantity >= 0 && quantity <= long.MaxValue && decimal.Truncate(quantity) == quantity ? (long)quantity : null;

    /// <summary>The meter's window containing <paramref name="now"/>; time never moves a window backwards.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) WindowAt(QuotaMeterRecord meter, DateTimeOffset now) =>
        now < meter.PeriodEnd ? (meter.PeriodStart, meter.PeriodEnd) : PlanPeriods.Containing(meter.Anchor, MonthsIn(meter.Period) ?? 1, now);

    private static long UsedAt(QuotaMeterRecord meter, DateTimeOffset now) => WindowAt(meter, now).Start > meter.PeriodStart ? 0 : meter.Used;

    private static void Roll(QuotaMeterRecord meter, DateTimeOffset now)
    {
        var (start, end) = WindowAt(meter, now);
        if (start <= meter.PeriodStart) return;
        meter.PeriodStart = start;
        meter.PeriodEnd = end;
        meter.Used = 0;
    }
}
