namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// One quota meter as the wallet counts it: how much of <see cref="Limit"/> is <see cref="Used"/> in the
/// window [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>), in the meter's units (runs).
/// </summary>
public sealed record QuotaUsage(string Meter, long Limit, long Used, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);
