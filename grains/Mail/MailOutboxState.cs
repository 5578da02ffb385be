using OrgActors.GrainInterfaces.Mail;

namespace OrgActors.Grains.Mail;

/// <summary>Messages oldest first, pending and delivered.</summary>
public sealed class MailOutboxState
{
    public List<MailRecord> Records { get; set; } = [];
}
