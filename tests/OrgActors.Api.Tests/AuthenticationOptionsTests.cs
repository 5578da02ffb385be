using Microsoft.Extensions.Configuration;
using OrgActors.Api.Authentication;

namespace OrgActors.Api.Tests;

/// <summary>Which modes a configuration turns on, and the one-line errors for unusable settings.</summary>
public sealed class AuthenticationOptionsTests
{
    private static OrgActorsAuthenticationOptions Read(params (string Key, string Value)[] settings) =>
        OrgActorsAuthenticationOptions.FromConfiguration(Configuration(settings), "/tmp/data");

    private static IConfiguration Configuration((string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void Development_authentication_is_on_by_default_with_the_documented_defaults()
    {
        var options = Read();
        Assert.True(options.DevelopmentEnabled);
        Assert.False(options.OidcEnabled);
        Assert.Equal(60, options.ClockSkewSeconds);
        Assert.Equal(8192, options.MaxTokenBytes);
        Assert.Equal(60, options.MetadataRefreshMinutes);
        Assert.Equal(30, options.MinimumRefreshSeconds);
        Assert.Equal(10, options.MetadataTimeoutSeconds);
        Assert.True(options.RequireHttpsMetadata);
        Assert.Equal("/tmp/data", options.DataDirectory);
    }

    [Fact]
    public void An_authority_turns_development_authentication_off_unless_it_is_asked_for()
    {
        var oidcOnly = Read(("Auth:Authority", "https://login.example/realm"), ("Auth:Audience", "api"));
        Assert.True(oidcOnly.OidcEnabled);
        Assert.False(oidcOnly.DevelopmentEnabled);

        var both = Read(("Auth:Authority", "https://login.example/realm"), ("Auth:Audience", "api"), ("Auth:Development", "true"));
        Assert.True(both.OidcEnabled);
        Assert.True(both.DevelopmentEnabled);

        var none = Read(("Auth:Development", "false"));
        Assert.False(none.OidcEnabled);
        Assert.False(none.DevelopmentEnabled);
    }

    [Theory]
    [InlineData("Auth:Development", "yes", "Auth:Development 'yes' is not true or false")]
    [InlineData("Auth:ClockSkewSeconds", "soon", "Auth:ClockSkewSeconds 'soon' is not a whole number")]
    [InlineData("Auth:ClockSkewSeconds", "601", "Auth:ClockSkewSeconds 601 is outside 0..600")]
    [InlineData("Auth:MaxTokenBytes", "10", "Auth:MaxTokenBytes 10 is outside")]
    [InlineData("Auth:MetadataRefreshMinutes", "0", "Auth:MetadataRefreshMinutes 0 is outside")]
    [InlineData("Auth:MinimumRefreshSeconds", "0", "Auth:MinimumRefreshSeconds 0 is outside")]
    [InlineData("Auth:MetadataTimeoutSeconds", "500", "Auth:MetadataTimeoutSeconds 500 is outside")]
    [InlineData("Auth:PlatformAdminClaim", "roles", "Auth:PlatformAdminClaim and Auth:PlatformAdminValue are set together")]
    public void A_bad_setting_is_one_line_naming_it(string key, string value, string message)
    {
        var problem = OrgActorsAuthenticationOptions.FindProblem(Configuration([(key, value)]), "/tmp/data");
        Assert.NotNull(problem);
        Assert.Contains(message, problem);
        Assert.DoesNotContain('\n', problem);
    }

    [Theory]
    [InlineData("not a url", "Auth:Authority 'not a url' is not an issuer URL")]
    [InlineData("ftp://login.example", "is not an issuer URL")]
    [InlineData("https://login.example/realm?x=1", "is not an issuer URL")]
    [InlineData("http://login.example/realm", "must be https")]
    [InlineData("https://user:hunter2pass@login.example/realm", "must not carry a user or password")]
    public void The_authority_must_be_an_https_URL(string authority, string message)
    {
        var problem = OrgActorsAuthenticationOptions.FindProblem(Configuration([("Auth:Authority", authority), ("Auth:Audience", "api")]), "/tmp/data");
        Assert.Contains(message, problem);
        Assert.DoesNotContain("hunter2pass", problem);
    }

    [Fact]
    public void Fetches_may_not_be_allowed_more_often_than_one_may_take()
    {
        var problem = OrgActorsAuthenticationOptions.FindProblem(Configuration([("Auth:Authority", "https://login.example/realm"), ("Auth:Audience", "api"),
            ("Auth:MinimumRefreshSeconds", "5"), ("Auth:MetadataTimeoutSeconds", "10")]), "/tmp/data");
        Assert.Contains("Auth:MinimumRefreshSeconds 5 is below Auth:MetadataTimeoutSeconds 10", problem);
    }

    [Fact]
    public void An_http_authority_is_allowed_only_when_https_metadata_is_not_required()
    {
        var options = Read(("Auth:Authority", "http://127.0.0.1:8080/realm"), ("Auth:Audience", "api"), ("Auth:RequireHttpsMetadata", "false"));
        Assert.True(options.OidcEnabled);
    }

    [Fact]
    public void An_authority_needs_an_audience() =>
        Assert.Contains("Auth:Audience is required", OrgActorsAuthenticationOptions.FindProblem(Configuration([("Auth:Authority", "https://login.example")]), "/tmp/data"));

    [Fact]
    public void Reading_unusable_settings_throws_the_same_line()
    {
        var error = Assert.Throws<AuthenticationConfigurationException>(() => Read(("Auth:Development", "maybe")));
        Assert.Contains("Auth:Development 'maybe'", error.Message);
    }
}
