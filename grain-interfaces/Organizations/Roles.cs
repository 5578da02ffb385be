namespace OrgActors.GrainInterfaces.Organizations;

/// <summary>A member's role in an organization, from most to least powerful.</summary>
public enum OrganizationRole { Owner, Admin, Billing, Member }

/// <summary>A person on the Team page: an active member, or an address with a pending invitation.</summary>
public enum MemberStatus { Active, Invited }

public enum InvitationStatus { Pending, Accepted, Revoked, Expired }

/// <summary>A member's role inside one workspace.</summary>
public enum WorkspaceRole { Admin, Editor, Viewer }
