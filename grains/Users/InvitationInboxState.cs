using OrgActors.GrainInterfaces.Users;

namespace OrgActors.Grains.Users;

public sealed class InvitationInboxState
{
    public List<InboxEntry> Entries { get; set; } = [];
}
