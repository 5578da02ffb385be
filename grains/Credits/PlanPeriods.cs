using System.Globalization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>
/// The calendar of plan subscriptions. A run of periods starts at an anchor and its periods are
/// anchor + k × (1 or 12 months), in UTC. A free plan's anchor is the start of a calendar month, so its
/// periods are calendar months; a paid plan's anchor is the moment it was bought (to the second), so
/// its periods last one month or one year from then.
/// </summary>
public static class PlanPeriods
{
    public const int MonthsPerYear = 12;

    public static int MonthsIn(BillingPeriod period) => period == BillingPeriod.Yearly ? MonthsPerYear : 1;

    /// <summary>The credits the plan grants for one period, or null when it grants none for that period.</summary>
    public static long? CreditsFor(Plan plan, BillingPeriod period) =>
        period == BillingPeriod.Yearly ? plan.YearlyCreditsNano : plan.MonthlyCreditsNano;

    /// <summary>The plan can be subscribed for the period: it grants credits for it and, when paid, has a price for it.</summary>
    public static bool Offers(Plan plan, BillingPeriod period)
    {
        var price = period == BillingPeriod.Yearly ? plan.YearlyPriceCents : plan.MonthlyPriceCents;
        return CreditsFor(plan, period) is not null && (plan.IsFree || price is not null);
    }

    /// <summary>
    /// An upgrade grants more credits per year (a monthly plan counts 12 of its months), or keeps the plan
    /// and goes from monthly to yearly billing. Anything else between different choices is a downgrade:
    /// a smaller plan billed yearly is one too, or it would cut the paid period's credits and quotas short.
    /// </summary>
    public static bool IsUpgrade(Plan from, BillingPeriod fromPeriod, Plan to, BillingPeriod toPeriod) =>
        CreditsPerYear(to, toPeriod) > CreditsPerYear(from, fromPeriod)
        || (to.Id == from.Id && fromPeriod == BillingPeriod.Monthly && toPeriod == BillingPeriod.Yearly);

    /// <summary>Where a run of periods of the plan begins when it starts at <paramref name="at"/>.</summary>
    public static DateTimeOffset Anchor(Plan plan, DateTimeOffset at) => plan.IsFree ? MonthStart(at) : TruncateToSecond(at);

    /// <summary>The period of the run anchored at <paramref name="anchor"/> that contains <paramref name="at"/> (not before the anchor).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Containing(DateTimeOffset anchor, BillingPeriod period, DateTimeOffset at) =>
        Containing(anchor, MonthsIn(period), at);

    /// <summary>The window of <paramref name="months"/> months of the grid anchored at <paramref name="anchor"/> that contains <paramref name="at"/> (not before the anchor).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Containing(DateTimeOffset anchor, int months, DateTimeOffset at)
    {
        var monthsBetween = (at.UtcDateTime.Year - anchor.UtcDateTime.Year) * MonthsPerYear + at.UtcDateTime.Month - anchor.UtcDateTime.Month;
        var index = Math.Max(0, monthsBetween / months - 1); // never past the period containing at
        while (anchor.AddMonths((index + 1) * months) <= at) index++;
        return (anchor.AddMonths(index * months), anchor.AddMonths((index + 1) * months));
    }

    public static DateTimeOffset MonthStart(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>
    /// The wallet key of a period's plan grant: <c>plan:&lt;planId&gt;:&lt;monthly|yearly&gt;:&lt;periodStartUtc yyyy-MM-ddTHH:mm:ss&gt;</c>.
    /// The billing period is part of it: a month and a year of the same plan that start in the same second
    /// (an upgrade from monthly to yearly billing right after choosing the plan) are two grants.
    /// </summary>
    public static string GrantKey(string planId, BillingPeriod period, DateTimeOffset periodStart) =>
        $"{ReservedKeys.PlanPrefix}{planId}:{(period == BillingPeriod.Yearly ? "yearly" : "monthly")}:{periodStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)}";

    /// <summary>The calendar month (UTC) as <c>yyyy-MM</c>: the unit of the pack cap.</summary>
    public static string MonthKey(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>In Int128: 12 months of a plan of up to 10^9 credits a month pass a long's nano-credits.</summary>
    private static Int128 CreditsPerYear(Plan plan, BillingPeriod period) =>
        period == BillingPeriod.Yearly ? plan.YearlyCreditsNano ?? 0 : (Int128)(plan.MonthlyCreditsNano ?? 0) * MonthsPerYear;

    private static DateTimeOffset TruncateToSecond(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
}
