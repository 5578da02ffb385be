using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>
/// A user of another organization walks every query field and mutation with this organization's ids:
/// nothing of it may leak, and every answer must be the one a missing id gets. A new root field fails
/// <see cref="Every_root_field_is_walked"/> until it is added here.
/// </summary>
public sealed class TenantIsolationTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private readonly Caller _bob = ApiTestHost.User("bob");
    private readonly Caller _mallory = ApiTestHost.User("mallory");
    private Ids _ids = null!;

    private sealed record Ids(string Organization, string Workspace, string Invitation, string ForeignOrganization, string Budget);

    /// <summary>Secrets of Alice's organization that must never appear in Mallory's responses.</summary>
    private static readonly string[] Secrets = ["Secret Labs", "Hidden Workspace", "bob@example.com", "carol@example.com", "user-alice", "user-bob", "Internal note"];

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        var organization = await _host.CreateOrganizationAsync(_alice, "Secret Labs");
        await _host.GraphQLAsync(_alice, "mutation ($id: ID!) { updateOrganization(input: { id: $id, description: \"Internal note\" }) { errors { code } } }", new { id = organization });
        await _host.JoinAsync(_alice, organization, _bob, "MEMBER");
        var workspace = await _host.CreateWorkspaceAsync(_alice, organization, "Hidden Workspace");
        await _host.GraphQLAsync(_alice, "mutation ($ws: ID!, $user: ID!) { addWorkspaceMember(workspaceId: $ws, userId: $user, role: VIEWER) { errors { code } } }", new { ws = workspace, user = _bob.UserId });
        var invitation = await _host.InviteAsync(_alice, organization, "carol@example.com");
        var foreign = await _host.CreateOrganizationAsync(_mallory, "Mallory Inc");
        var budget = await _host.GraphQLAsync(_alice, "mutation ($id: ID!, $ws: ID!) { setBudget(input: { organizationId: $id, scope: WORKSPACE, scopeId: $ws, limit: \"10\", period: DAILY, action: BLOCK }) { budget { id } } }", new { id = organization, ws = workspace });
        _ids = new Ids(organization, workspace, invitation, foreign, budget.EnsureNoErrors().String("setBudget.budget.id")!);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly HashSet<string> PlatformAdminOnly = ["grantCredits", "recordUsage"];

    /// <summary>Each root field with an operation that aims it at Alice's organization.</summary>
    private Dictionary<string, (string Document, object Variables)> Probes() => new()
    {
        ["viewer"] = ("{ viewer { id organizations { totalCount nodes { id name } } pendingInvitations { id organization { name } } } }", new { }),
        ["organization"] = ("query ($id: ID!) { organization(id: $id) { id name description members { totalCount } wallet { balance } subscription { status } budgets { id scopeId } } }", new { id = _ids.Organization }),
        ["plans"] = ("{ plans { id monthlyCredits } }", new { }),
        ["creditPacks"] = ("{ creditPacks { id credits } }", new { }),
        ["rateCard"] = ("{ rateCard { rates { meter perUnit } } }", new { }),
        ["workspace"] = ("query ($id: ID!) { workspace(id: $id) { id name members { totalCount } resources { totalCount } } }", new { id = _ids.Workspace }),
        ["createOrganization"] = ("mutation { createOrganization(input: { name: \"Mine\" }) { organization { id members { totalCount } } errors { code } } }", new { }),
        ["updateOrganization"] = ("mutation ($id: ID!) { updateOrganization(input: { id: $id, name: \"Owned\" }) { organization { name } errors { code } } }", new { id = _ids.Organization }),
        ["deleteOrganization"] = ("mutation ($id: ID!) { deleteOrganization(id: $id, confirmName: \"Secret Labs\") { deletedId errors { code } } }", new { id = _ids.Organization }),
        ["transferOwnership"] = ("mutation ($id: ID!) { transferOwnership(organizationId: $id, userId: \"user-mallory\") { organization { name } errors { code } } }", new { id = _ids.Organization }),
        ["inviteMember"] = ("mutation ($id: ID!) { inviteMember(input: { organizationId: $id, email: \"mallory@example.com\", role: OWNER }) { invitation { id } errors { code } } }", new { id = _ids.Organization }),
        ["revokeInvitation"] = ("mutation ($id: ID!) { revokeInvitation(id: $id) { invitation { email } errors { code } } }", new { id = _ids.Invitation }),
        ["acceptInvitation"] = ("mutation ($id: ID!) { acceptInvitation(id: $id) { member { role } errors { code } } }", new { id = _ids.Invitation }),
        ["changeMemberRole"] = ("mutation ($id: ID!) { changeMemberRole(organizationId: $id, userId: \"user-bob\", role: ADMIN) { member { role } errors { code } } }", new { id = _ids.Organization }),
        ["removeMember"] = ("mutation ($id: ID!) { removeMember(organizationId: $id, userId: \"user-bob\") { deletedId errors { code } } }", new { id = _ids.Organization }),
        ["leaveOrganization"] = ("mutation ($id: ID!) { leaveOrganization(organizationId: $id) { deletedId errors { code } } }", new { id = _ids.Organization }),
        ["createWorkspace"] = ("mutation ($id: ID!) { createWorkspace(input: { organizationId: $id, name: \"Mine\" }) { workspace { id } errors { code } } }", new { id = _ids.Organization }),
        ["updateWorkspace"] = ("mutation ($id: ID!) { updateWorkspace(input: { id: $id, name: \"Owned\" }) { workspace { name } errors { code } } }", new { id = _ids.Workspace }),
        ["archiveWorkspace"] = ("mutation ($id: ID!) { archiveWorkspace(id: $id) { workspace { name } errors { code } } }", new { id = _ids.Workspace }),
        ["addWorkspaceMember"] = ("mutation ($id: ID!) { addWorkspaceMember(workspaceId: $id, userId: \"user-mallory\", role: ADMIN) { workspace { name } errors { code } } }", new { id = _ids.Workspace }),
        ["removeWorkspaceMember"] = ("mutation ($id: ID!) { removeWorkspaceMember(workspaceId: $id, userId: \"user-bob\") { workspace { name } errors { code } } }", new { id = _ids.Workspace }),
        ["grantCredits"] = ("mutation ($id: ID!) { grantCredits(input: { organizationId: $id, amount: \"5\", idempotencyKey: \"k\" }) { grant { id } errors { code } } }", new { id = _ids.Organization }),
        ["changePlan"] = ("mutation ($id: ID!) { changePlan(organizationId: $id, planId: \"org-free\", period: MONTHLY) { organization { name } errors { code } } }", new { id = _ids.Organization }),
        ["recordUsage"] = ("mutation ($id: ID!) { recordUsage(input: { id: \"evt\", organizationId: $id, meter: \"ai.tokens_out\", quantity: 1 }) { status code } }", new { id = _ids.Organization }),
        ["setBudget"] = ("mutation ($id: ID!, $ws: ID!) { setBudget(input: { organizationId: $id, scope: WORKSPACE, scopeId: $ws, limit: \"1\", period: DAILY, action: ALERT_ONLY }) { budget { id scopeId } errors { code } } }", new { id = _ids.Organization, ws = _ids.Workspace }),
        ["deleteBudget"] = ("mutation ($id: ID!) { deleteBudget(id: $id) { deletedId errors { code } } }", new { id = _ids.Budget }),
        ["registerWorkspaceResource"] = ("mutation ($id: ID!) { registerWorkspaceResource(input: { workspaceId: $id, kind: \"AGENT\", name: \"x\" }) { resource { id } errors { code } } }", new { id = _ids.Workspace }),
    };

    [Fact]
    public async Task Every_root_field_is_walked()
    {
        var schema = (await _host.GraphQLAsync(_mallory, "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }")).EnsureNoErrors();
        var rootFields = schema.At("__schema.queryType.fields")!.AsArray().Concat(schema.At("__schema.mutationType.fields")!.AsArray())
            .Select(f => f!["name"]!.GetValue<string>());
        Assert.Empty(rootFields.Except(Probes().Keys));
    }

    [Fact]
    public async Task Nothing_of_another_organization_leaks_and_foreign_ids_answer_like_missing_ones()
    {
        foreach (var (field, (document, variables)) in Probes())
        {
            var response = await _host.GraphQLAsync(_mallory, document, variables);
            foreach (var secret in Secrets) Assert.False(response.Text.Contains(secret, StringComparison.Ordinal), $"{field} leaked '{secret}': {response.Text}");
            if (PlatformAdminOnly.Contains(field))
            {
                // Refused for who the caller is, before any id is looked at: it tells nothing about the target.
                Assert.Equal([UserErrorCodes.Forbidden], response.FieldErrorCodes(field));
                continue;
            }
            Assert.DoesNotContain(UserErrorCodes.Forbidden, response.Text);
            if (field.StartsWith("create", StringComparison.Ordinal) && field != "createWorkspace") continue;
            if (document.StartsWith("mutation", StringComparison.Ordinal))
                Assert.Equal([UserErrorCodes.NotFound], response.UserErrorCodes(field));
        }

        // And Alice's organization is untouched.
        var intact = (await _host.GraphQLAsync(_alice, """
            query ($id: ID!, $ws: ID!) { organization(id: $id) { name memberStats { active pending } workspaceCount } workspace(id: $ws) { name memberCount archivedAt } }
            """, new { id = _ids.Organization, ws = _ids.Workspace })).EnsureNoErrors();
        Assert.Equal("Secret Labs", intact.String("organization.name"));
        Assert.Equal("""{"active":2,"pending":1}""", intact.At("organization.memberStats")!.ToJsonString());
        Assert.Equal("Hidden Workspace", intact.String("workspace.name"));
        Assert.Equal(1, intact.At("workspace.memberCount")!.GetValue<int>());
        Assert.Null(intact.At("workspace.archivedAt"));
        var budgets = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { budgets { id limit } } }", new { id = _ids.Organization })).EnsureNoErrors();
        Assert.Equal($$"""[{"id":"{{_ids.Budget}}","limit":"10"}]""", budgets.At("organization.budgets")!.ToJsonString());
    }

    [Fact]
    public async Task A_foreign_id_and_a_missing_id_get_the_same_answer()
    {
        const string query = "query ($id: ID!) { organization(id: $id) { id } }";
        var foreign = await _host.GraphQLAsync(_mallory, query, new { id = _ids.Organization });
        var missing = await _host.GraphQLAsync(_mallory, query, new { id = "org_aaaaaaaaaaaaaaaaaaaa" });
        Assert.Equal(missing.Text, foreign.Text);

        const string update = "mutation ($id: ID!) { updateWorkspace(input: { id: $id, name: \"x\" }) { workspace { id } errors { code message field } } }";
        var foreignWorkspace = await _host.GraphQLAsync(_mallory, update, new { id = _ids.Workspace });
        var missingWorkspace = await _host.GraphQLAsync(_mallory, update, new { id = "ws_aaaaaaaaaaaaaaaaaaaa" });
        Assert.Equal(missingWorkspace.Text, foreignWorkspace.Text);
    }
}
