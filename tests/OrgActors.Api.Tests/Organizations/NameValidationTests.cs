using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Tests.Organizations;

/// <summary>Invisible and control characters in names, through GraphQL as a frontend sends them.</summary>
public sealed class NameValidationTests : IAsyncLifetime
{
    private const string Update = """
        mutation ($id: ID!, $name: String, $description: String) {
          updateOrganization(input: { id: $id, name: $name, description: $description }) { organization { name description } errors { code message field } }
        }
        """;

    private ApiTestHost _host = null!;
    private readonly Caller _alice = ApiTestHost.User("alice");
    private string _org = "";

    public async Task InitializeAsync()
    {
        _host = await ApiTestHost.StartAsync();
        _org = await _host.CreateOrganizationAsync(_alice, "Acme");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_zero_width_name_is_required_and_a_bidi_override_is_an_invalid_name_and_neither_is_stored()
    {
        var blank = (await _host.GraphQLAsync(_alice, Update, new { id = _org, name = "\u200b" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.NameRequired], blank.UserErrorCodes("updateOrganization"));

        var spoofed = (await _host.GraphQLAsync(_alice, Update, new { id = _org, name = "\u202eevil" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.InvalidName], spoofed.UserErrorCodes("updateOrganization"));
        Assert.Equal("Name must not contain control or invisible formatting characters.", spoofed.String("updateOrganization.errors.0.message"));
        Assert.Equal("""["input","name"]""", spoofed.At("updateOrganization.errors.0.field")!.ToJsonString());
        Assert.Null(spoofed.At("updateOrganization.organization"));

        var bell = (await _host.GraphQLAsync(_alice, Update, new { id = _org, description = "ding\u0007" })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.InvalidDescription], bell.UserErrorCodes("updateOrganization"));

        var profile = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { name description } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal("Acme", profile.String("organization.name"));
        Assert.Null(profile.At("organization.description"));
    }

    [Theory]
    [InlineData("a\u034fb")] // the combining grapheme joiner: invisible inside a name
    [InlineData("Acme\u3164")] // a trailing Hangul filler makes "Acme" twice
    [InlineData("\u1160Acme")]
    [InlineData("a\uffffb")] // a noncharacter
    [InlineData("a\ufdd0")]
    [InlineData("Acme \U0001FFFE")]
    public async Task Fillers_and_noncharacters_inside_a_name_are_invalid_names(string name)
    {
        var refused = (await _host.GraphQLAsync(_alice, Update, new { id = _org, name })).EnsureNoErrors();
        Assert.Equal([UserErrorCodes.InvalidName], refused.UserErrorCodes("updateOrganization"));
        var profile = (await _host.GraphQLAsync(_alice, "query ($id: ID!) { organization(id: $id) { name } }", new { id = _org })).EnsureNoErrors();
        Assert.Equal("Acme", profile.String("organization.name"));
    }

    [Fact]
    public async Task Emoji_sequences_and_multi_line_descriptions_are_kept_as_sent()
    {
        const string name = "\U0001F469\u200d\U0001F4BB Acme";
        const string description = "Rockets\nand more\n\t- fuel";
        var updated = (await _host.GraphQLAsync(_alice, Update, new { id = _org, name, description })).EnsureNoErrors();
        Assert.Empty(updated.UserErrorCodes("updateOrganization"));
        Assert.Equal(name, updated.String("updateOrganization.organization.name"));
        Assert.Equal(description, updated.String("updateOrganization.organization.description"));
    }

    [Fact]
    public async Task The_schema_lists_the_new_codes()
    {
        var schema = await _host.Http.GetStringAsync("/graphql/schema.graphql");
        Assert.Contains(UserErrorCodes.InvalidName, schema);
        Assert.Contains(UserErrorCodes.InvalidDescription, schema);
    }
}
