using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.Tests.Organizations;

public sealed class OrganizationProfileTests : IAsyncLifetime
{
    private ApiTestHost _host = null!;
    private readonly GrainInterfaces.Identity.Caller _alice = ApiTestHost.User("alice");

    public async Task InitializeAsync() => _host = await ApiTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Creator_becomes_owner_and_sees_the_organization_with_its_stats()
    {
        var id = await _host.CreateOrganizationAsync(_alice, "  Acme Labs  ");
        Assert.StartsWith("org_", id);

        var response = (await _host.GraphQLAsync(_alice, """
            query ($id: ID!) {
              organization(id: $id) { id name description createdAt viewerRole memberCount workspaceCount logoUrl memberStats { active pending total } }
              viewer { id email organizations(first: 10) { totalCount nodes { id name } } }
            }
            """, new { id })).EnsureNoErrors();

        Assert.Equal("Acme Labs", response.String("organization.name"));
        Assert.Equal("OWNER", response.String("organization.viewerRole"));
        Assert.Equal(1, response.At("organization.memberCount")!.GetValue<int>());
        Assert.Equal(0, response.At("organization.workspaceCount")!.GetValue<int>());
        Assert.Equal(1, response.At("organization.memberStats.total")!.GetValue<int>());
        Assert.Equal("2026-11-22T10:00:00.000Z", response.String("organization.createdAt"));
        Assert.Equal($"/avatars/{id}.svg?initial=A", response.String("organization.logoUrl"));
        Assert.Equal(id, response.String("viewer.organizations.nodes.0.id"));
        Assert.Equal(1, response.At("viewer.organizations.totalCount")!.GetValue<int>());
    }

    [Theory]
    [InlineData("", UserErrorCodes.NameRequired)]
    [InlineData("   ", UserErrorCodes.NameRequired)]
    [InlineData("\u200b", UserErrorCodes.NameRequired)]
    [InlineData("x\u0007y", UserErrorCodes.InvalidName)]
    public async Task Bad_names_are_refused_with_a_code_and_the_field(string name, string code)
    {
        var response = (await _host.GraphQLAsync(_alice, """
            mutation ($name: String!) { createOrganization(input: { name: $name }) { organization { id } errors { code field } } }
            """, new { name })).EnsureNoErrors();
        Assert.Equal([code], response.UserErrorCodes("createOrganization"));
        Assert.Equal("""["input","name"]""", response.At("createOrganization.errors.0.field")!.ToJsonString());
        Assert.Null(response.At("createOrganization.organization"));
        await AssertViewerHasNoOrganizations();
    }

    [Fact]
    public async Task Names_and_descriptions_have_length_limits_and_nothing_invalid_is_stored()
    {
        var tooLong = await _host.GraphQLAsync(_alice, """
            mutation ($name: String!) { createOrganization(input: { name: $name }) { errors { code } } }
            """, new { name = new string('n', 101) });
        Assert.Equal([UserErrorCodes.NameTooLong], tooLong.UserErrorCodes("createOrganization"));

        var longDescription = await _host.GraphQLAsync(_alice, """
            mutation ($d: String!) { createOrganization(input: { name: "Fine", description: $d }) { errors { code field } } }
            """, new { d = new string('d', 1001) });
        Assert.Equal([UserErrorCodes.DescriptionTooLong], longDescription.UserErrorCodes("createOrganization"));
        await AssertViewerHasNoOrganizations();

        var id = await _host.CreateOrganizationAsync(_alice, new string('n', 100));
        var update = await _host.GraphQLAsync(_alice, """
            mutation ($id: ID!) { updateOrganization(input: { id: $id, name: "", description: "kept?" }) { organization { name } errors { code } } }
            """, new { id });
        Assert.Equal([UserErrorCodes.NameRequired], update.UserErrorCodes("updateOrganization"));
        var after = await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { name description } }", new { id });
        Assert.Equal(new string('n', 100), after.String("organization.name"));
        Assert.Null(after.At("organization.description"));
    }

    [Fact]
    public async Task Owner_updates_the_profile_and_an_empty_description_clears_it()
    {
        var id = await _host.CreateOrganizationAsync(_alice);
        var updated = (await _host.GraphQLAsync(_alice, """
            mutation ($id: ID!) { updateOrganization(input: { id: $id, name: "Acme 2", description: "Rockets" }) { organization { name description } errors { code } } }
            """, new { id })).EnsureNoErrors();
        Assert.Equal("Acme 2", updated.String("updateOrganization.organization.name"));
        Assert.Equal("Rockets", updated.String("updateOrganization.organization.description"));

        var cleared = (await _host.GraphQLAsync(_alice, """
            mutation ($id: ID!) { updateOrganization(input: { id: $id, description: "" }) { organization { name description } } }
            """, new { id })).EnsureNoErrors();
        Assert.Equal("Acme 2", cleared.String("updateOrganization.organization.name"));
        Assert.Null(cleared.At("updateOrganization.organization.description"));
    }

    [Fact]
    public async Task Only_the_owner_deletes_and_must_confirm_the_name()
    {
        var id = await _host.CreateOrganizationAsync(_alice, "Acme");
        var bob = ApiTestHost.User("bob");
        await _host.JoinAsync(_alice, id, bob, "ADMIN");

        const string delete = "mutation ($id: ID!, $confirm: String!) { deleteOrganization(id: $id, confirmName: $confirm) { deletedId errors { code } } }";
        Assert.Equal([UserErrorCodes.Forbidden], (await _host.GraphQLAsync(bob, delete, new { id, confirm = "Acme" })).FieldErrorCodes("deleteOrganization"));
        Assert.Equal([UserErrorCodes.ConfirmationMismatch], (await _host.GraphQLAsync(_alice, delete, new { id, confirm = "acme" })).UserErrorCodes("deleteOrganization"));

        var deleted = (await _host.GraphQLAsync(_alice, delete, new { id, confirm = "Acme" })).EnsureNoErrors();
        Assert.Equal(id, deleted.String("deleteOrganization.deletedId"));
        Assert.Null((await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { id } }", new { id })).At("organization"));
        Assert.Null((await _host.GraphQLAsync(bob, "query ($id: ID!) { organization(id: $id) { id } }", new { id })).At("organization"));
        await AssertViewerHasNoOrganizations();
    }

    [Fact]
    public async Task Without_a_token_the_api_answers_unauthenticated_with_401()
    {
        var response = await _host.GraphQLAsync(null, "{ viewer { id } }");
        Assert.Equal(401, response.StatusCode);
        Assert.Equal([UserErrorCodes.Unauthenticated], response.ErrorCodes());
    }

    [Fact]
    public async Task A_refused_token_is_told_so_rather_than_asked_for()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ viewer { id } }"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _host.TokenFor(_alice)[..^4] + "AAAA");
        using var refused = await _host.Http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        var error = System.Text.Json.Nodes.JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]![0]!;
        Assert.Equal((UserErrorCodes.Unauthenticated, "The bearer token was refused: it is malformed, expired or not from a trusted issuer. Send a valid one."),
            (error["extensions"]!["code"]!.GetValue<string>(), error["message"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{ organization(id: \"org_x\") { id } }", "application/json", System.Net.HttpStatusCode.Unauthorized)]
    [InlineData("{ viewer { id } }", "application/json", System.Net.HttpStatusCode.Unauthorized)]
    [InlineData("{ viewer { id } }", "application/graphql-response+json", System.Net.HttpStatusCode.Unauthorized)]
    // GraphQL over HTTP: graphql-response+json with non-null data (here {"organization": null}) must be 2xx.
    [InlineData("{ organization(id: \"org_x\") { id } }", "application/graphql-response+json", System.Net.HttpStatusCode.OK)]
    public async Task An_anonymous_request_that_touched_nothing_public_is_401_unless_graphql_response_json_has_non_null_data(
        string query, string accept, System.Net.HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _host.Http.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(status == System.Net.HttpStatusCode.Unauthorized ? ["Bearer"] : [], response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        var error = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsArray());
        Assert.Equal(UserErrorCodes.Unauthenticated, error!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Malformed_and_unknown_ids_answer_null_like_missing_ones()
    {
        foreach (var id in new[] { "org_doesnotexist", "org_abcdefghijkmnpqrstuv", new string('x', 5000), "" })
        {
            var response = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { id } workspace(id: $id) { id } }", new { id })).EnsureNoErrors();
            Assert.Null(response.At("organization"));
            Assert.Null(response.At("workspace"));
        }
    }

    private async Task AssertViewerHasNoOrganizations()
    {
        var viewer = (await _host.GraphQLAsync(_alice, "{ viewer { organizations { totalCount } } }")).EnsureNoErrors();
        Assert.Equal(0, viewer.At("viewer.organizations.totalCount")!.GetValue<int>());
    }
}
