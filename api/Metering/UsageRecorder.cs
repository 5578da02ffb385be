using System.Runtime.InteropServices;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.Runtime;

namespace OrgActors.Api.Metering;

/// <summary>
/// Processes usage events, alone or as a batch, for <c>POST /v1/usage</c> and the <c>recordUsage</c> mutation
/// alike: an unknown organization, or a workspace that is not the organization's, is REJECTED with
/// NOT_FOUND; a meter that is neither rated nor a plan's quota with UNKNOWN_METER; otherwise the event is
/// rated with the rate card and debited from the wallet, or settles the hold it names. One instance per
/// request: it remembers which organizations exist and whose the workspaces are, so a batch looks each up once.
/// Every answer is counted in <paramref name="metrics"/>.
/// </summary>
public sealed class UsageRecorder(IGrainFactory grains, CreditCatalog catalog, MeteringMetrics metrics)
{
    /// <summary>Code of an event whose charge would exceed the largest single amount (the wallet uses it too, for a quota meter's fractional quantity).</summary>
    public const string InvalidEventCode = WalletErrorCodes.InvalidEvent;

    /// <summary>Code of an event for a meter the rate card does not rate and no plan counts as a quota.</summary>
    public const string UnknownMeterCode = WalletErrorCodes.UnknownMeter;

    private readonly Dictionary<string, Task<bool>> _organizationExists = new(StringComparer.Ordinal);

    /// <summary>Each workspace's organization, null when there is no such workspace.</summary>
    private readonly Dictionary<string, Task<string?>> _workspaceOrganizations = new(StringComparer.Ordinal);

    public async Task<UsageOutcome> RecordAsync(UsageEvent usage)
    {
        LookUp(usage);
        bool organizationExists = await _organizationExists[usage.OrganizationId];
        bool workspaceFound = usage.WorkspaceId is not { } workspace || await _workspaceOrganizations[workspace] == usage.OrganizationId;
        var outcome = await RecordKnownAsync(usage, organizationExists, workspaceFound);
        metrics.Count(outcome);
        return outcome;
    }

    /// <summary>
    /// A batch, answered in order. The wallets work on it concurrently: every event's call is issued
    /// before any answer is awaited, in the batch's order, so events of one wallet still apply in order
    /// while the wallets' journal entries share group commits instead of one commit per event.
    /// </summary>
    public async Task<UsageOutcome[]> RecordBatchAsync(IReadOnlyList<UsageEvent> events)
    {
        // Every look-up is issued before any is awaited.
        foreach (var usage in events) LookUp(usage);
        await Task.WhenAll(_organizationExists.Values);
        if (_workspaceOrganizations.Count > 0) await Task.WhenAll(_workspaceOrganizations.Values);
        var outcomes = new Task<UsageOutcome>[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            var usage = events[i];
            bool workspaceFound = usage.WorkspaceId is not { } workspace || _workspaceOrganizations[workspace].Result == usage.OrganizationId;
            outcomes[i] = RecordKnownAsync(usage, _organizationExists[usage.OrganizationId].Result, workspaceFound);
        }
        var answers = await Task.WhenAll(outcomes);
        metrics.Count(answers);
        return answers;
    }

    /// <summary>Starts the look-ups the event needs that this request has not started yet.</summary>
    private void LookUp(UsageEvent usage)
    {
        ref var exists = ref CollectionsMarshal.GetValueRefOrAddDefault(_organizationExists, usage.OrganizationId, out bool started);
        if (!started) exists = MeteredOrganizations.ExistsAsync(grains, usage.OrganizationId);
        if (usage.WorkspaceId is not { } workspace) return;
        ref var organization = ref CollectionsMarshal.GetValueRefOrAddDefault(_workspaceOrganizations, workspace, out started);
        if (!started) organization = MeteredOrganizations.WorkspaceOrganizationAsync(grains, workspace);
    }

    private async Task<UsageOutcome> RecordKnownAsync(UsageEvent usage, bool organizationExists, bool workspaceFound)
    {
        // No wallet to show, and none is activated for an unknown organization.
        if (!organizationExists) return UsageOutcome.Rejected(usage.Id, UserErrorCodes.NotFound);

        var wallet = grains.GetGrain<ICreditWalletGrain>(usage.OrganizationId);
        long charge = 0;
        // Another organization's workspace answers exactly like a missing one, so workspace ids cannot be probed.
        var refusal = workspaceFound ? UsageRating.Refusal(catalog, usage, out charge) : UserErrorCodes.NotFound;
        // Refused before reaching the wallet: nothing is recorded under the id, and the answer shows the
        // wallet's balance as any other refusal does (a read, only for such refusals).
        if (refusal is not null) return UsageOutcome.Rejected(usage.Id, refusal, (await wallet.Get()).AvailableNanoCredits);

        var details = new UsageDetails(usage.Meter, usage.Quantity, usage.WorkspaceId, usage.Model);
        var result = usage.ReservationId is { } hold
            ? await wallet.Settle(hold, usage.Id, charge, details)
            : await wallet.Debit(usage.Id, charge, details);
        return new UsageOutcome(usage.Id, result.Status, result.Code, result.ChargedNanoCredits, result.BalanceNanoCredits);
    }
}
