using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Users;

namespace OrgActors.Api.GraphQL;

/// <summary>Mutations of the General and Team pages. Each answers a payload; refusals are its errors.</summary>
public static class OrganizationMutations
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.InputObject("CreateOrganizationInput", t =>
        {
            t.Field("name", "String!", f => f.Description("1 to 100 characters."));
            t.Field("description", "String", f => f.Description("Up to 1,000 characters."));
        });
        builder.InputObject("UpdateOrganizationInput", t =>
        {
            t.Field("id", "ID!");
            t.Field("name", "String");
            t.Field("description", "String", f => f.Description("An empty string clears it."));
        });
        builder.InputObject("InviteMemberInput", t =>
        {
            t.Field("organizationId", "ID!");
            t.Field("email", "String!");
            t.Field("role", "OrganizationRole!", f => f.DefaultValueLiteral("MEMBER"));
        });
        UserErrors.DeclarePayload(builder, "OrganizationPayload", "organization", "Organization");
        UserErrors.DeclarePayload(builder, "InvitationPayload", "invitation", "Invitation");
        UserErrors.DeclarePayload(builder, "MemberPayload", "member", "Member");
        ChangedObjects.DeclareOrganization(builder, "MemberPayload");
        builder.Object("MemberPayload", t => t.Field("viewer", "Viewer!", c => c.Caller())
            .Description("The viewer after the change: after acceptInvitation, their organizations (the switcher) and their pending invitations."));

        builder.Object("Mutation", t =>
        {
            t.Field("createOrganization", "OrganizationPayload!").Argument("input", "CreateOrganizationInput!")
                .Description("Creates an organization; the caller becomes its OWNER.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    var caller = c.Caller();
                    var organizations = await c.Grain<IUserGrain>(caller.UserId).GetOrganizations();
                    if (organizations.Count >= OrganizationLimits.MaxOrganizationsPerUser)
                        throw new UserErrorException(UserErrorCodes.LimitExceeded, $"A user may belong to at most {OrganizationLimits.MaxOrganizationsPerUser} organizations.");
                    var id = EntityIds.New(EntityIds.OrganizationPrefix);
                    return await c.Grain<IOrganizationGrain>(id).Create(caller, Text(input, "name") ?? "", Text(input, "description"));
                }));
            t.Field("updateOrganization", "OrganizationPayload!").Argument("input", "UpdateOrganizationInput!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    return await Organization(c, Text(input, "id")).Update(c.Caller(), Text(input, "name"), Text(input, "description"));
                }));
            t.Field("deleteOrganization", "DeletePayload!").Argument("id", "ID!").Argument("confirmName", "String!")
                .Description("OWNER only; confirmName must repeat the organization's name.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var id = c.GetArgument<string>("id");
                    await Organization(c, id).Delete(c.Caller(), c.GetArgument<string>("confirmName")!);
                    return id;
                }));
            t.Field("transferOwnership", "OrganizationPayload!").Argument("organizationId", "ID!").Argument("userId", "ID!")
                .Description("OWNER only: the member becomes OWNER and the caller ADMIN.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                    await Organization(c, c.GetArgument<string>("organizationId"))
                        .TransferOwnership(c.Caller(), UserId(c, "userId"))));
            t.Field("inviteMember", "InvitationPayload!").Argument("input", "InviteMemberInput!")
                .Description("Invites an email with a role; re-inviting a pending address refreshes its invitation.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var input = Input(c);
                    var role = input.TryGetValue("role", out var value) && value is OrganizationRole r ? r : OrganizationRole.Member;
                    return await Organization(c, Text(input, "organizationId")).Invite(c.Caller(), Text(input, "email") ?? "", role);
                }));
            t.Field("revokeInvitation", "InvitationPayload!").Argument("id", "ID!")
                .ResolveAsync(c => UserErrors.Mutate(c, () => RevokeInvitation(c, c.GetArgument<string>("id"))));
            t.Field("acceptInvitation", "MemberPayload!").Argument("id", "ID!")
                .Description("The viewer's verified email must be the invitation's.")
                .ResolveAsync(c => UserErrors.Mutate(c, async () => await AcceptInvitation(c, c.GetArgument<string>("id")) is MemberView member
                    ? new InOrganization(member, member.OrganizationId) : null));
            t.Field("changeMemberRole", "MemberPayload!").Argument("organizationId", "ID!").Argument("userId", "ID!").Argument("role", "OrganizationRole!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var member = await Organization(c, c.GetArgument<string>("organizationId"))
                        .ChangeRole(c.Caller(), UserId(c, "userId"), c.GetArgument<OrganizationRole>("role"));
                    return new InOrganization(member, member.OrganizationId);
                }));
            t.Field("removeMember", "DeletePayload!").Argument("organizationId", "ID!").Argument("userId", "ID!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var userId = UserId(c, "userId");
                    var organizationId = c.GetArgument<string>("organizationId");
                    await Organization(c, organizationId).RemoveMember(c.Caller(), userId);
                    return new InOrganization(userId, organizationId!);
                }));
            t.Field("leaveOrganization", "DeletePayload!").Argument("organizationId", "ID!")
                .ResolveAsync(c => UserErrors.Mutate(c, async () =>
                {
                    var id = c.GetArgument<string>("organizationId");
                    await Organization(c, id).Leave(c.Caller());
                    return id;
                }));
        });
    }

    public static IReadOnlyDictionary<string, object?> Input(ResolveFieldContext c) =>
        (IReadOnlyDictionary<string, object?>)c.Arguments["input"]!;

    public static string? Text(IReadOnlyDictionary<string, object?> input, string name) =>
        input.TryGetValue(name, out var value) ? value as string : null;

    /// <summary>
    /// The organization grain for an id argument; a malformed id is NOT_FOUND exactly like a missing one,
    /// which the grain answers without a field.
    /// </summary>
    /// <remarks>The credits' mutations name the field (<paramref name="field"/>) for a malformed and an unknown id alike.</remarks>
    public static IOrganizationGrain Organization(ResolveFieldContext c, string? id, params string[] field) =>
        Ids.IsOrganization(id) ? c.Grain<IOrganizationGrain>(id!) : throw UserErrors.NotFound("Organization", field);

    /// <summary>
    /// A user id argument for a grain. A malformed one (too long, control characters) names no user, so the
    /// grain gets the empty id, which no member has: after its permission checks it answers exactly as for
    /// an unknown user (NOT_FOUND, NOT_ORGANIZATION_MEMBER or NOT_WORKSPACE_MEMBER, as the operation does).
    /// </summary>
    public static string UserId(ResolveFieldContext c, string argument)
    {
        var id = c.GetArgument<string>(argument);
        return Ids.IsUserId(id) ? id! : NoUser;
    }

    /// <summary>The id no user has: a token's subject is never empty (IdentityClaimRules).</summary>
    private const string NoUser = "";

    /// <summary>The invitation is in one of the caller's organizations, if it is anywhere they may see.</summary>
    private static async Task<object?> RevokeInvitation(ResolveFieldContext c, string? invitationId)
    {
        var caller = c.Caller();
        if (!Ids.IsInvitation(invitationId)) throw UserErrors.NotFound("Invitation", "id");
        foreach (var organizationId in await c.Grain<IUserGrain>(caller.UserId).GetOrganizations())
        {
            var organization = c.Grain<IOrganizationGrain>(organizationId);
            var role = await organization.GetRole(caller.UserId);
            if (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewMembers)) continue;
            var invitations = await organization.GetInvitations(caller);
            if (invitations.Any(i => i.Id == invitationId)) return await organization.RevokeInvitation(caller, invitationId!);
        }
        throw UserErrors.NotFound("Invitation", "id");
    }

    /// <summary>The invitation is in the inbox of the caller's email, or it is not theirs to accept.</summary>
    private static async Task<object?> AcceptInvitation(ResolveFieldContext c, string? invitationId)
    {
        var caller = c.Caller();
        if (!Ids.IsInvitation(invitationId) || caller.Email is null) throw UserErrors.NotFound("Invitation", "id");
        var entries = await c.Grain<IInvitationInboxGrain>(caller.Email.Trim().ToLowerInvariant()).GetEntries();
        var entry = entries.FirstOrDefault(e => e.InvitationId == invitationId) ?? throw UserErrors.NotFound("Invitation", "id");
        return await c.Grain<IOrganizationGrain>(entry.OrganizationId).AcceptInvitation(caller, invitationId!);
    }
}
