using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;
using OrgActors.Runtime;

namespace OrgActors.Grains.Users;

/// <summary>
/// The pending invitations addressed to one email. Organizations keep it current; a stale entry (an
/// invitation that expired) is harmless, since the organization answers for its own invitations.
/// </summary>
public sealed class InvitationInboxGrain([PersistentState("inbox")] IPersistentState<InvitationInboxState> inbox) : Grain, IInvitationInboxGrain
{
    /// <summary>Each organization has at most one pending invitation per address; beyond this many, the oldest go.</summary>
    private const int MaxEntries = OrganizationLimits.MaxOrganizationsPerUser * 2;

    public Task Add(InboxEntry entry)
    {
        var entries = inbox.State.Entries;
        if (entries.Contains(entry)) return Task.CompletedTask;
        entries.Add(entry);
        if (entries.Count > MaxEntries) entries.RemoveRange(0, entries.Count - MaxEntries);
        return inbox.WriteStateAsync();
    }

    /// <summary>The window the mail limits count over.</summary>
    public static readonly TimeSpan MailWindow = TimeSpan.FromDays(1);

    public async Task<DateTimeOffset?> TryRecordMail(string organizationId, DateTimeOffset now)
    {
        var sent = inbox.State.MailsSent;
        sent.RemoveAll(mail => mail.At <= now - MailWindow);
        // When a limit is reached, the next mail may go once the oldest mail it counts leaves the window.
        var fromOrganization = sent.Where(mail => mail.OrganizationId == organizationId).ToList();
        if (fromOrganization.Count >= OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay)
            return fromOrganization[^OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay].At + MailWindow;
        if (sent.Count >= OrganizationLimits.MaxInvitationMailsPerAddressPerDay)
            return sent[^OrganizationLimits.MaxInvitationMailsPerAddressPerDay].At + MailWindow;
        sent.Add(new InvitationMailSent(organizationId, now));
        await inbox.WriteStateAsync();
        return null;
    }

    public Task Remove(string invitationId) =>
        inbox.State.Entries.RemoveAll(e => e.InvitationId == invitationId) > 0 ? inbox.WriteStateAsync() : Task.CompletedTask;

    public Task<IReadOnlyList<InboxEntry>> GetEntries() => Task.FromResult<IReadOnlyList<InboxEntry>>(inbox.State.Entries.ToArray());
}
