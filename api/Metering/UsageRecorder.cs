using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.Runtime;

namespace OrgActors.Api.Metering;

/// <summary>
/// Processes usage events, alone or as a batch, for <c>POST /v1/usage</c> and the <c>recordUsage</c> mutation
/// alike: an unknown organization is REJECTED with NOT_FOUND; otherwise the event is rated with the rate
/// card and debited from the wallet, or settles the hold it names. One instance per request: it
/// remembers which organizations exist so a batch looks each up once.
/// </summary>
public sealed class UsageRecorder(IGrainFactory grains, CreditCatalog catalog)
{
    /// <summary>Code of an event whose charge would exceed the largest single amount (the wallet uses it too, for a quota meter's fractional quantity).</summary>
    public const string InvalidEventCode = WalletErrorCodes.InvalidEvent;

    private readonly Dictionary<string, bool> _knownOrganizations = new(StringComparer.Ordinal);

    public async Task<UsageOutcome> RecordAsync(UsageEvent usage)
    {
        if (!_knownOrganizations.TryGetValue(usage.OrganizationId, out bool exists))
            _knownOrganizations[usage.OrganizationId] = exists = await MeteredOrganizations.ExistsAsync(grains, usage.OrganizationId);
        return await RecordKnownAsync(usage, exists);
    }

    /// <summary>
    /// A batch, answered in order. The wallets work on it concurrently: every event's call is issued
    /// before any answer is awaited, in the batch's order, so events of one wallet still apply in order
    /// while the wallets' journal entries share group commits instead of one commit per event.
    /// </summary>
    public async Task<UsageOutcome[]> RecordBatchAsync(IReadOnlyList<UsageEvent> events)
    {
        var lookups = new Dictionary<string, Task<bool>>(StringComparer.Ordinal);
        foreach (var usage in events)
        {
            if (!lookups.ContainsKey(usage.OrganizationId)) lookups[usage.OrganizationId] = MeteredOrganizations.ExistsAsync(grains, usage.OrganizationId);
        }
        await Task.WhenAll(lookups.Values);
        var outcomes = new Task<UsageOutcome>[events.Count];
        for (int i = 0; i < events.Count; i++) outcomes[i] = RecordKnownAsync(events[i], lookups[events[i].OrganizationId].Result);
        return await Task.WhenAll(outcomes);
    }

    private async Task<UsageOutcome> RecordKnownAsync(UsageEvent usage, bool organizationExists)
    {
        if (!organizationExists) return UsageOutcome.Rejected(usage.Id, UserErrorCodes.NotFound);

        var charge = UsageRating.Charge(catalog, usage.Meter, usage.NodeType, usage.Model, usage.Quantity, usage.ByoKey);
        if (charge is null) return UsageOutcome.Rejected(usage.Id, InvalidEventCode);
        var wallet = grains.GetGrain<ICreditWalletGrain>(usage.OrganizationId);
        var details = new UsageDetails(usage.Meter, usage.Quantity, usage.WorkspaceId, usage.Model);
        var result = usage.ReservationId is { } hold
            ? await wallet.Settle(hold, usage.Id, charge.Value, details)
            : await wallet.Debit(usage.Id, charge.Value, details);
        return new UsageOutcome(usage.Id, result.Status, result.Code, result.ChargedNanoCredits, result.BalanceNanoCredits);
    }
}
