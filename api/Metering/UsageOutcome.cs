using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>The answer to one usage event: ACCEPTED, DUPLICATE (a replay, with the original charge) or REJECTED with a code.</summary>
public sealed record UsageOutcome(string Id, DebitStatus Status, string? Code, long ChargedNanoCredits, long BalanceNanoCredits)
{
    public static UsageOutcome Rejected(string id, string code, long balanceNanoCredits = 0) => new(id, DebitStatus.Rejected, code, 0, balanceNanoCredits);
}
