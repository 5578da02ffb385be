using OrgActors.GrainInterfaces.Users;

namespace OrgActors.Grains.Users;

public sealed class InvitationInboxState
{
    public List<InboxEntry> Entries { get; set; } = [];

    /// <summary>Invitation mails this address was sent in the last 24 hours (older ones are dropped), oldest first.</summary>
    public List<InvitationMailSent> MailsSent { get; set; } = [];
}

public sealed record InvitationMailSent(string OrganizationId, DateTimeOffset At, string? InviterUserId = null);
