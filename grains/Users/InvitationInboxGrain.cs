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

    public async Task<MailRefusal?> TryRecordMail(string organizationId, string inviterUserId, DateTimeOffset now)
    {
        var sent = inbox.State.MailsSent;
        sent.RemoveAll(mail => mail.At <= now - MailWindow);
        // When a limit is reached, the next mail may go once the oldest mail it counts leaves the window.
        var fromOrganization = sent.Where(mail => mail.OrganizationId == organizationId).ToList();
        if (fromOrganization.Count >= OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay)
            return new MailRefusal(false, OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay, fromOrganization[^OrganizationLimits.MaxInvitationMailsPerOrganizationPerDay].At + MailWindow);
        var fromInviter = sent.Where(mail => mail.InviterUserId == inviterUserId).ToList();
        if (fromInviter.Count >= OrganizationLimits.MaxInvitationMailsPerInviterPerDay)
            return new MailRefusal(true, OrganizationLimits.MaxInvitationMailsPerInviterPerDay, fromInviter[^OrganizationLimits.MaxInvitationMailsPerInviterPerDay].At + MailWindow);
        // Bounded: beyond a thousand mails in a day (two hundred organizations at their limit), the oldest are forgotten.
        sent.Add(new InvitationMailSent(organizationId, now, inviterUserId));
        if (sent.Count > MaxMailsKept) sent.RemoveRange(0, sent.Count - MaxMailsKept);
        await inbox.WriteStateAsync();
        return null;
    }

    /// <summary>The most mails a mailbox's record keeps, whatever their age.</summary>
    private const int MaxMailsKept = 1_000;

    public Task Remove(string invitationId) =>
        inbox.State.Entries.RemoveAll(e => e.InvitationId == invitationId) > 0 ? inbox.WriteStateAsync() : Task.CompletedTask;

    public Task<IReadOnlyList<InboxEntry>> GetEntries() => Task.FromResult<IReadOnlyList<InboxEntry>>(inbox.State.Entries.ToArray());
}
