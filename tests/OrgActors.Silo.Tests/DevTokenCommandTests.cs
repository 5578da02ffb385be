using System.Net;
using System.Net.Http.Headers;

namespace OrgActors.Silo.Tests;

/// <summary>
/// <c>dev-token</c> and the silo's authentication settings, through the real executable. The silo has no
/// endpoint that reports the caller yet, so acceptance is read from its Debug log line for the request.
/// </summary>
public sealed class DevTokenCommandTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string> OidcOnly = new()
    {
        ["Auth__Authority"] = "https://login.example/realms/orgactors",
        ["Auth__Audience"] = "orgactors-api",
    };

    private readonly string _dataDir = Directory.CreateTempSubdirectory("orgactors-devtoken-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static Task<(int ExitCode, string Output, string Errors)> DevTokenAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        SiloProcess.RunToExitAsync(CommandTimeout, environment, addUrls: false, ["dev-token", .. args]);

    private static string SingleToken(int exitCode, string output, string errors)
    {
        Assert.True(exitCode == 0, $"dev-token exited with {exitCode}: {errors}");
        var token = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(string.Empty, errors);
        return token;
    }

    private static void AssertOneErrorLine(int exitCode, string output, string errors, string expected)
    {
        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public async Task Tokens_printed_while_the_silo_starts_on_the_same_data_directory_are_accepted_by_it()
    {
        // The silo and three dev-token commands race to create the key of a fresh data directory.
        await using var silo = SiloProcess.Start("--data-dir", _dataDir, "--Logging:LogLevel:OrgActors.Api.Authentication", "Debug");
        var commands = new[]
        {
            DevTokenAsync(null, "--user", "alice", "--email", "alice@example.com", "--name", "Alice", "--data-dir", _dataDir),
            DevTokenAsync(null, "--user", "root-operator", "--platform-admin", "--data-dir", _dataDir),
            DevTokenAsync(null, "--user", "carol", "--lifetime-hours=1", $"--data-dir={_dataDir}"),
        };
        var tokens = (await Task.WhenAll(commands)).Select(r => SingleToken(r.ExitCode, r.Output, r.Errors)).ToArray();
        await silo.WaitUntilReadyAsync(StartTimeout);
        await WaitForOutputAsync(silo, "Development authentication is ON");

        using var client = new HttpClient();
        foreach (var (token, expected) in tokens.Zip(["user 'alice' from", "user 'root-operator' (platform admin) from", "user 'carol' from"]))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{silo.BaseUrl}/healthz");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
            await WaitForOutputAsync(silo, $"Bearer token accepted for {expected}");
        }

        // The same token with its payload swapped for another user's is refused: the log says so.
        var parts = tokens[0].Split('.');
        var forged = $"{parts[0]}.{tokens[1].Split('.')[1]}.{parts[2]}";
        using var forgedRequest = new HttpRequestMessage(HttpMethod.Get, $"{silo.BaseUrl}/healthz");
        forgedRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(forgedRequest)).StatusCode);
        await WaitForOutputAsync(silo, "Bearer token refused (GET /healthz): the signature does not verify");
        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
    }

    [Fact]
    public async Task A_token_from_another_data_directory_is_refused_by_the_silo()
    {
        var otherDir = Directory.CreateTempSubdirectory("orgactors-devtoken-other-").FullName;
        try
        {
            var (exitCode, output, errors) = await DevTokenAsync(null, "--user", "mallory", "--platform-admin", "--data-dir", otherDir);
            var token = SingleToken(exitCode, output, errors);
            await using var silo = SiloProcess.Start("--data-dir", _dataDir);
            await silo.WaitUntilReadyAsync(StartTimeout);
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{silo.BaseUrl}/healthz");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
            await WaitForOutputAsync(silo, "Bearer token refused (GET /healthz): no signing key of the development issuer has kid");
        }
        finally
        {
            Directory.Delete(otherDir, recursive: true);
        }
    }

    [Fact]
    public async Task Refused_when_only_OIDC_authentication_is_configured()
    {
        var (exitCode, output, errors) = await DevTokenAsync(OidcOnly, "--user", "alice", "--data-dir", _dataDir);
        AssertOneErrorLine(exitCode, output, errors, "development authentication is off");
        Assert.False(File.Exists(Path.Combine(_dataDir, "dev-signing.key")), "a refused command must not create a key");
    }

    [Fact]
    public async Task Refused_on_a_setting_the_silo_would_refuse_to_start_with()
    {
        // A typo of Auth:Authority: the silo refuses it, so a token printed here would be for no silo at all.
        var (exitCode, output, errors) = await DevTokenAsync(new Dictionary<string, string> { ["Auth__Autority"] = "https://login.example/realms/orgactors" },
            "--user", "alice", "--data-dir", _dataDir);
        AssertOneErrorLine(exitCode, output, errors, "Auth:Autority is not a setting");
    }

    [Fact]
    public async Task Allowed_with_OIDC_when_development_authentication_is_also_asked_for()
    {
        var environment = new Dictionary<string, string>(OidcOnly) { ["Auth__Development"] = "true" };
        var (exitCode, output, errors) = await DevTokenAsync(environment, "--user", "alice", "--data-dir", _dataDir);
        SingleToken(exitCode, output, errors);
        Assert.True(File.Exists(Path.Combine(_dataDir, "dev-signing.key")));
    }

    [Fact]
    public async Task Refused_when_development_authentication_is_switched_off()
    {
        var (exitCode, output, errors) = await DevTokenAsync(new Dictionary<string, string> { ["Auth__Development"] = "false" }, "--user", "alice", "--data-dir", _dataDir);
        AssertOneErrorLine(exitCode, output, errors, "Auth:Development is false");
    }

    [Theory]
    [InlineData("--user <id> is required", "--email", "alice@example.com")]
    [InlineData("--user needs a value", "--user")]
    [InlineData("--user needs a value", "--user", "--platform-admin")]
    [InlineData("--user is not a valid user id", "--user", "")]
    [InlineData("--user is not a valid user id", "--user", "a\tb")]
    [InlineData("--email is not valid", "--user", "alice", "--email", "alice")]
    [InlineData("--name is not valid", "--user", "alice", "--name", "bell\u0007")]
    [InlineData("--lifetime-hours '0'", "--user", "alice", "--lifetime-hours", "0")]
    [InlineData("--lifetime-hours '721'", "--user", "alice", "--lifetime-hours", "721")]
    [InlineData("'--admin' is not a dev-token option", "--user", "alice", "--admin")]
    [InlineData("--user is given more than once", "--user", "alice", "--user", "bob")]
    public async Task Bad_arguments_are_one_error_line_and_exit_code_2(string expected, params string[] args)
    {
        var (exitCode, output, errors) = await DevTokenAsync(null, [.. args, "--data-dir", _dataDir]);
        AssertOneErrorLine(exitCode, output, errors, expected);
    }

    [Fact]
    public async Task An_overlong_user_id_is_refused()
    {
        var (exitCode, output, errors) = await DevTokenAsync(null, "--user", new string('u', 257), "--data-dir", _dataDir);
        AssertOneErrorLine(exitCode, output, errors, "at most 256");
    }

    [Fact]
    public async Task Help_describes_the_command()
    {
        var (exitCode, output, _) = await DevTokenAsync(null, "--help");
        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--user", "--email", "--name", "--platform-admin", "--lifetime-hours", "--data-dir" }) Assert.Contains(option, output);
        var (siloExit, siloHelp, _) = await SiloProcess.RunToExitAsync(CommandTimeout, "--help");
        Assert.Equal(0, siloExit);
        Assert.Contains("dev-token", siloHelp);
    }

    [Theory]
    [InlineData("Auth:Authority", "http://login.example/realm")]
    [InlineData("Auth:Development", "sometimes")]
    [InlineData("Auth:ClockSkewSeconds", "-5")]
    public async Task A_bad_authentication_setting_stops_the_silo_at_start_with_one_line_naming_it(string setting, string value)
    {
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--data-dir", _dataDir, $"--{setting}", value);
        Assert.Equal(2, exitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("ready", output);
    }

    [Fact]
    public async Task A_silo_with_OIDC_only_does_not_create_a_development_key()
    {
        await using var silo = SiloProcess.Start(OidcOnly, addUrls: true, "--data-dir", _dataDir);
        await silo.WaitUntilReadyAsync(StartTimeout);
        // The console log is written asynchronously, in order: once "ready" is there, every start-up line is.
        await WaitForOutputAsync(silo, "OrgActors silo ready at");
        Assert.Contains("OIDC authentication: issuer https://login.example/realms/orgactors", silo.Output);
        Assert.DoesNotContain("Development authentication is ON", silo.Output);
        Assert.False(File.Exists(Path.Combine(_dataDir, "dev-signing.key")));
    }

    private static async Task WaitForOutputAsync(SiloProcess silo, string text)
    {
        var deadline = DateTime.UtcNow + LogTimeout;
        while (!silo.Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The silo never logged \"{text}\". Output:\n{silo.Output}{silo.Errors}");
            await Task.Delay(50);
        }
    }
}
