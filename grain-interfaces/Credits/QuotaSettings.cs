namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// What the plan subscription tells the wallet whenever a period begins, so that the wallet can count and
/// enforce the plan's quotas: the plan's <see cref="Quotas"/>, the start of the current run of periods
/// (<see cref="Anchor"/>: quota windows lie on its grid, anchor + k months or years) and the current
/// billing period [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>). <see cref="Revision"/> grows with
/// every settings the subscription decides, so the wallet can ignore an older one arriving late.
/// </summary>
public sealed record QuotaSettings(
    string PlanId,
    IReadOnlyList<Quota> Quotas,
    DateTimeOffset Anchor,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    long Revision);
