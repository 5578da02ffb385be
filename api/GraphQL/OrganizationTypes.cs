using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Audit;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;

namespace OrgActors.Api.GraphQL;

/// <summary>The General and Team pages: Organization, Member, Invitation, User, AuditEvent.</summary>
public static class OrganizationTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Enum<OrganizationRole>().Description("A member's role: OWNER, ADMIN, BILLING or MEMBER (see docs/organizations.md for the permission matrix).");
        builder.Enum<MemberStatus>();
        builder.Enum<InvitationStatus>();

        builder.Object("User", t =>
        {
            t.Description("A person. For an INVITED member the id is the invitation's.");
            t.Field("id", "ID!");
            t.Field("email", "String");
            t.Field("name", "String");
        });
        builder.Object("MemberStats", t =>
        {
            t.Field("active", "Int!");
            t.Field("pending", "Int!");
            t.Field("total", "Int!");
        });
        builder.Enum<Permission>("OrganizationPermission");
        builder.Object("Member", t =>
        {
            // A user is a member of many organizations, each time with another role: client caches key objects by
            // type and id, so a line of one Team page needs an id of its own, not the user's.
            t.Field("id", "ID!", c => c.GetParent<MemberView>() is { } m ? Ids.InOrganization(m.OrganizationId, m.User.Id) : null)
                .Description("This line of this organization's Team page: the user's id (an invitation's for INVITED), a dot, and the organization's id.");
            t.Field("user", "User!");
            t.Field("role", "OrganizationRole!");
            t.Field("status", "MemberStatus!");
            t.Field("joinedAt", "DateTime");
        });
        builder.Object("Invitation", t =>
        {
            t.Field("id", "ID!");
            t.Field("organization", "Organization!").ResolveAsync(c => InvitedOrganization(c, c.GetParent<InvitationView>()!));
            t.Field("email", "String!");
            t.Field("role", "OrganizationRole!");
            t.Field("status", "InvitationStatus!");
            t.Field("invitedBy", "User!");
            t.Field("createdAt", "DateTime!");
            t.Field("expiresAt", "DateTime!");
        });
        builder.Object("AuditEvent", t =>
        {
            t.Field("id", "ID!");
            t.Field("at", "DateTime!");
            t.Field("actor", "User", c => c.GetParent<AuditEvent>() is { ActorUserId: { } id } e ? new UserRef(id, e.ActorEmail, e.ActorName) : null);
            t.Field("action", "String!");
            t.Field("targetType", "String!");
            t.Field("targetId", "ID!");
            t.Field("details", "String");
        });

        builder.Object("Organization", t =>
        {
            t.Field("id", "ID!");
            t.Field("name", "String!");
            t.Field("description", "String");
            t.Field("logoUrl", "String!", c => c.GetParent<OrganizationView>() is { } v ? LogoUrl.For("organizations", v.Id, v.LogoVersion, v.Name) : null)
                .Description("The uploaded logo, or the generated initial avatar.");
            t.Field("createdAt", "DateTime!");
            t.Field("viewerRole", "OrganizationRole").Description("The viewer's role; null for an invitee who has not joined.");
            t.Field("viewerPermissions", "[OrganizationPermission!]!", c => c.GetParent<OrganizationView>()!.ViewerRole is { } role
                    ? Enum.GetValues<Permission>().Where(p => PermissionMatrix.Allows(role, p)).ToArray()
                    : Array.Empty<Permission>())
                .Description("What the viewer's role allows here (docs/organizations.md, \"Permissions\"), so that a page asks only for fields the viewer may see: a FORBIDDEN field error makes the whole organization null. Empty for an invitee who has not joined.");
            t.Field("memberCount", "Int!", c => c.GetParent<OrganizationView>()!.MemberStats.Active).Description("Active members.");
            t.Field("workspaceCount", "Int!").Description("Workspaces not archived that the viewer can see: all for OWNER and ADMIN, those they were added to for MEMBER and BILLING, none for an invitee.")
                .ResolveAsync(WorkspaceCount);
            t.Field("memberStats", "MemberStats!");
            t.Field("members", "MemberConnection!").WithPaging().Argument("status", "MemberStatus")
                .Description("Active members in the order they joined, then pending invitations (INVITED) in the order first sent; a role changes no one's place.")
                .ResolveAsync(Members);
            t.Field("invitations", "InvitationConnection!").WithPaging()
                .Description("Newest first.")
                .ResolveAsync(async c => Paging.PageByKey(c, c.GetParent<OrganizationView>()!.Id, await QueryOrThrow(() => { RefuseInvitee(c, "see its invitations"); return Org(c).GetInvitations(c.Caller()); }),
                    i => $"{SortKeys.Newest(i.CreatedAt)}|{i.Id}"));
            t.Field("workspaces", "WorkspaceConnection!").WithPaging().Argument("includeArchived", "Boolean", false)
                .ResolveAsync(Workspaces);
            t.Field("auditLog", "AuditEventConnection!").WithPaging().Description("Newest first; OWNER and ADMIN only.")
                .ResolveAsync(AuditLog);
        });
        foreach (var node in new[] { "Member", "Invitation", "AuditEvent", "Organization" }) Paging.Declare(builder, node);
    }

    private static IOrganizationGrain Org(ResolveFieldContext c) => c.Grain<IOrganizationGrain>(c.GetParent<OrganizationView>()!.Id);

    private static async Task<object> Members(ResolveFieldContext c)
    {
        RefuseInvitee(c, "see its members");
        var members = await QueryOrThrow(() => Org(c).GetMembers(c.Caller()));
        var status = c.GetArgument<MemberStatus?>("status");
        IReadOnlyList<MemberView> selected = status is { } wanted ? members.Where(m => m.Status == wanted).ToArray() : members;
        return Paging.PageByKey(c, c.GetParent<OrganizationView>()!.Id, selected, MemberKey, MemberKeyFormat);
    }

    /// <summary>
    /// Names the members' order in their cursors: those made when it was by role first are INVALID_CURSOR,
    /// not a place in this one.
    /// </summary>
    private const string MemberKeyFormat = "arrival";

    /// <summary>
    /// The Team page's order: active members by when they joined, then pending invitations by when their address
    /// was first invited; ties by id. Nothing that happens to a row while it stays moves it (a role change, an
    /// invitation sent again), so a client that pages while roles change neither sees a member twice nor misses one.
    /// Accepting an invitation removes its row and adds the member's, as any removal and addition.
    /// </summary>
    private static string MemberKey(MemberView member) => member.Status == MemberStatus.Active
        ? $"0|{SortKeys.Oldest(member.JoinedAt ?? default)}|{member.User.Id}"
        : $"1|{SortKeys.Oldest(member.InvitedAt ?? default)}|{member.User.Id}";

    private static async Task<object> Workspaces(ResolveFieldContext c)
    {
        var caller = c.Caller();
        RefuseInvitee(c, "see its workspaces");
        var entries = await QueryOrThrow(() => Org(c).GetWorkspaces(caller, c.GetArgument<bool>("includeArchived")));
        var views = await Task.WhenAll(entries.Select(e => c.Grain<IWorkspaceGrain>(e.Id).Get(caller)));
        return Paging.PageByKey(c, c.GetParent<OrganizationView>()!.Id, views, w => $"{SortKeys.Oldest(w.CreatedAt)}|{w.Id}");
    }

    private static async Task<object> AuditLog(ResolveFieldContext c)
    {
        var organization = c.GetParent<OrganizationView>()!;
        var role = await Org(c).GetRole(c.Caller().UserId);
        if (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewAuditLog))
            throw new OrgActors.GraphQL.GraphQLException("You are not allowed to read the audit log.", UserErrorCodes.Forbidden);
        var events = await c.Grain<IAuditLogGrain>(organization.Id).GetEvents();
        var keys = NewestFirstKeys.Of(ref events, e => e.At);
        return Paging.PageByKey(c, organization.Id, events, keys);
    }

    /// <summary>The invitation's organization: the full view for members, the invitee's view for the invitee.</summary>
    private static async Task<OrganizationView> InvitedOrganization(ResolveFieldContext c, InvitationView invitation)
    {
        var organization = c.Grain<IOrganizationGrain>(invitation.OrganizationId);
        var caller = c.Caller();
        return await UserErrors.Query(() => organization.Get(caller))
            ?? await QueryOrThrow(() => organization.GetForInvitee(caller, invitation.Id));
    }

    /// <summary>
    /// An invitee who has not joined sees the organization's card (its profile and counts) through the
    /// invitation, and FORBIDDEN for the rest, as for the wallet or the audit log: the organization is
    /// no secret to them, its members and workspaces are.
    /// </summary>
    private static void RefuseInvitee(ResolveFieldContext c, string action)
    {
        if (c.GetParent<OrganizationView>()!.ViewerRole is null && !c.Caller().IsPlatformAdmin)
            throw new OrgActors.GraphQL.GraphQLException($"You are invited to this organization but not a member yet: accept the invitation to {action}.", UserErrorCodes.Forbidden);
    }

    private static async Task<object?> WorkspaceCount(ResolveFieldContext c)
    {
        var organization = c.GetParent<OrganizationView>()!;
        var caller = c.Caller();
        if (organization.ViewerRole is not { } role) return caller.IsPlatformAdmin ? organization.WorkspaceCount : 0;
        if (PermissionMatrix.Allows(role, Permission.ViewAllWorkspaces)) return organization.WorkspaceCount;
        return (await QueryOrThrow(() => Org(c).GetWorkspaces(caller, includeArchived: false))).Count;
    }

    /// <summary>A list field: every refusal, NOT_FOUND included, is a field error.</summary>
    public static async Task<T> QueryOrThrow<T>(Func<Task<T>> body) where T : class =>
        (await UserErrors.Query(body, notFoundIsNull: false))!;
}
