using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>The steps most tests start with, through the GraphQL API.</summary>
public static class Scenario
{
    public static async Task<string> CreateOrganizationAsync(this ApiTestHost host, Caller owner, string name = "Acme")
    {
        var response = await host.GraphQLAsync(owner, """
            mutation ($name: String!) { createOrganization(input: { name: $name }) { organization { id } errors { code } } }
            """, new { name });
        response.EnsureNoErrors();
        Assert.Empty(response.UserErrorCodes("createOrganization"));
        return response.String("createOrganization.organization.id")!;
    }

    public static async Task<string> InviteAsync(this ApiTestHost host, Caller inviter, string organizationId, string email, string role = "MEMBER")
    {
        var response = await host.GraphQLAsync(inviter, """
            mutation ($org: ID!, $email: String!, $role: OrganizationRole!) {
              inviteMember(input: { organizationId: $org, email: $email, role: $role }) { invitation { id } errors { code message } }
            }
            """, new { org = organizationId, email, role });
        response.EnsureNoErrors();
        Assert.Empty(response.UserErrorCodes("inviteMember"));
        return response.String("inviteMember.invitation.id")!;
    }

    public static Task<GraphQLResponse> AcceptAsync(this ApiTestHost host, Caller invitee, string invitationId) =>
        host.GraphQLAsync(invitee, """
            mutation ($id: ID!) { acceptInvitation(id: $id) { member { role status user { id } } errors { code message field } } }
            """, new { id = invitationId });

    /// <summary>Invites the user with the role and accepts as them.</summary>
    public static async Task JoinAsync(this ApiTestHost host, Caller inviter, string organizationId, Caller member, string role)
    {
        var invitationId = await host.InviteAsync(inviter, organizationId, member.Email!, role);
        var accepted = await host.AcceptAsync(member, invitationId);
        accepted.EnsureNoErrors();
        Assert.Empty(accepted.UserErrorCodes("acceptInvitation"));
    }

    public static async Task<string> CreateWorkspaceAsync(this ApiTestHost host, Caller caller, string organizationId, string name = "Research")
    {
        var response = await host.GraphQLAsync(caller, """
            mutation ($org: ID!, $name: String!) { createWorkspace(input: { organizationId: $org, name: $name }) { workspace { id } errors { code } } }
            """, new { org = organizationId, name });
        response.EnsureNoErrors();
        Assert.Empty(response.UserErrorCodes("createWorkspace"));
        return response.String("createWorkspace.workspace.id")!;
    }
}
