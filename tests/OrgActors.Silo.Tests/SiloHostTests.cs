using System.Net;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

public sealed class SiloHostTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Help_lists_the_options_and_exits_zero()
    {
        var (exitCode, output, _) = await SiloProcess.RunToExitAsync(StartTimeout, "--help");
        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--urls", "--data-dir", "--postgres", "--help", "Mail:InvitationLinkBase", "Mail:ProductName", "Telemetry:OtlpEndpoint" }) Assert.Contains(option, output);
    }

    [Fact]
    public async Task Starts_on_the_embedded_store_and_answers_health_and_readiness()
    {
        using var data = new TemporaryDirectory("orgactors-silo-");
        var dataDir = data.Path;
        // The other forms .NET reads: "/name value" and a bare configuration path "name=value".
        await using var silo = SiloProcess.Start("/data-dir", dataDir, "Logging:LogLevel:Microsoft.AspNetCore=Warning");
        await silo.WaitUntilReadyAsync(StartTimeout);
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{silo.BaseUrl}/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{silo.BaseUrl}/readyz")).StatusCode);
        // Load balancers probe with HEAD.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{silo.BaseUrl}/healthz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{silo.BaseUrl}/readyz"))).StatusCode);
        Assert.True(File.Exists(Path.Combine(dataDir, "orgactors.db")), "the embedded store was not created in the data directory");
        Assert.Contains(silo.BaseUrl, silo.Output);

        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
        Assert.Contains("pending writes flushed", silo.Output);
    }

    [Fact]
    public async Task With_a_drain_time_a_stopping_silo_answers_not_ready_while_it_still_serves()
    {
        using var data = new TemporaryDirectory("orgactors-silo-drain-");
        await using var silo = SiloProcess.Start("--data-dir", data.Path, "--OrgActors:Runtime:ShutdownDrainTime", "00:00:05");
        await silo.WaitUntilReadyAsync(StartTimeout);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        silo.Terminate();
        var deadline = DateTime.UtcNow.AddSeconds(4);
        HttpStatusCode readiness;
        while ((readiness = (await client.GetAsync($"{silo.BaseUrl}/readyz")).StatusCode) == HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);
        // Still serving: a request the load balancer sent before it noticed is answered.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{silo.BaseUrl}/healthz")).StatusCode);
        Assert.False(silo.HasExited);

        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Silo draining for 00:00:05", silo.Output);
        Assert.Contains("pending writes flushed", silo.Output);
    }

    [Fact]
    public async Task Starts_on_PostgreSQL_when_given_a_connection_string()
    {
        using var postgres = new OrgActors.Testing.PostgresServer();
        var connectionString = await postgres.CreateDatabaseAsync();
        using var data = new TemporaryDirectory("orgactors-silo-pg-");
        await using var silo = SiloProcess.Start("--postgres", connectionString, "--data-dir", data.Path);
        await silo.WaitUntilReadyAsync(StartTimeout);
        Assert.Contains("storage postgres", silo.Output);

        // Until clustering exists, a second silo on the same database (another data directory) is refused.
        using var otherData = new TemporaryDirectory("orgactors-silo-pg-");
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--postgres", connectionString, "--data-dir", otherData.Path);
        Assert.Equal(2, exitCode);
        Assert.Contains("another silo is running on this database", errors);
        Assert.DoesNotContain("ready", output);

        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
        // Once the first has stopped, the database is free again.
        await using var next = SiloProcess.Start("--postgres", connectionString, "--data-dir", otherData.Path);
        await next.WaitUntilReadyAsync(StartTimeout);
        Assert.Equal(0, await next.TerminateAsync(TimeSpan.FromSeconds(45)));
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_named_as_refused_not_unreachable()
    {
        using var postgres = new OrgActors.Testing.PostgresServer();
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Database = "no_such_database" }.ToString();
        using var data = new TemporaryDirectory("orgactors-silo-pg-");
        var (exitCode, _, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--postgres", connectionString, "--data-dir", data.Path);
        Assert.Equal(2, exitCode);
        Assert.Contains("refused the connection: 3D000: database \"no_such_database\" does not exist", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_second_silo_on_the_same_data_directory_is_refused()
    {
        using var data = new TemporaryDirectory("orgactors-silo-lock-");
        await using var silo = SiloProcess.Start("--data-dir", data.Path);
        await silo.WaitUntilReadyAsync(StartTimeout);

        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--data-dir", data.Path);
        Assert.Equal(2, exitCode);
        Assert.Contains("another silo is running on the data directory", errors);
        Assert.DoesNotContain("ready", output);
        Assert.Equal(0, await silo.TerminateAsync(TimeSpan.FromSeconds(45)));
    }

    [Fact]
    public async Task An_address_in_use_stops_the_silo_with_one_line_naming_it_and_no_stack_trace()
    {
        using var data = new TemporaryDirectory("orgactors-silo-port-");
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--data-dir", data.Path, "--urls", url);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"error: cannot listen on {url} (--urls): the address is already in use, by another process or another silo; choose another with --urls", line);
        Assert.DoesNotContain("   at ", output + errors);
        Assert.DoesNotContain("ready", output);
    }

    [Fact]
    public async Task An_address_that_is_not_the_machine_s_stops_the_silo_with_one_line_naming_it()
    {
        using var data = new TemporaryDirectory("orgactors-silo-address-");
        const string url = "http://192.0.2.1:5080"; // TEST-NET-1 (RFC 5737): never a machine's own address

        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, "--data-dir", data.Path, "--urls", url);

        Assert.Equal(2, exitCode);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: cannot listen on {url} (--urls): the address is not one of this machine's", line);
        Assert.DoesNotContain("   at ", output + errors);
    }

    [Theory]
    [InlineData("OrgActors:Storage", "--storage", "cassandra")]
    [InlineData("OrgActors:DataDir", "--data-dir", "/proc/orgactors-cannot-write-here")]
    [InlineData("OrgActors:Postgres", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2")]
    [InlineData("OrgActors:Postgres", "--postgres", "this is not=a connection;string")]
    [InlineData("urls", "--urls", "ftp://example")]
    [InlineData("OrgActors:LogFormat", "--log-format", "xml")]
    [InlineData("OrgActors:Runtime:ResponseTimeout", "--OrgActors:Runtime:ResponseTimeout", "abc")]
    [InlineData("OrgActors:Runtime:SweepPeriod", "--OrgActors:Runtime:SweepPeriod", "00:00:00")]
    [InlineData("OrgActors:Runtime:ActivationTimeout 00:00:00 must be positive", "--OrgActors:Runtime:ActivationTimeout", "00:00:00")]
    [InlineData("OrgActors:Runtime:ActivationTimeout 50.00:00:00 must be at most 01:00:00", "--OrgActors:Runtime:ActivationTimeout", "50.00:00:00")]
    [InlineData("OrgActors:Runtime:ShutdownTimeout 3650.00:00:00 must be at most 1.00:00:00", "--OrgActors:Runtime:ShutdownTimeout", "3650.00:00:00")]
    [InlineData("Runtime is not read: it belongs under OrgActors, so set OrgActors:Runtime", "--Runtime:ActivationTimeout", "00:01:00")]
    [InlineData("Logging:LogLevel:Default 'Verbos' is not a log level", "--Logging:LogLevel:Default", "Verbos")]
    [InlineData("Logging:Console:LogLevel:OrgActors '7' is not a log level", "--Logging:Console:LogLevel:OrgActors", "7")]
    [InlineData("Alerts:Webhook:Secret is set but Alerts:Webhook:Url is not", "--Alerts:Webhook:Secret", "audit-secret-0123456789abcdef")]
    [InlineData("Alerts:Webhook:Secret must not be only spaces", "Alerts:Webhook:Url=http://127.0.0.1:9/alerts", "--Alerts:Webhook:Secret=                ")]
    [InlineData("OrgActors:Runtime:MaxRemindersPerGrain", "--OrgActors:Runtime:MaxRemindersPerGrain", "-1")]
    [InlineData("OrgActors:Runtime:ShutdownDrainTime", "--OrgActors:Runtime:ShutdownDrainTime", "00:10:00")]
    [InlineData("OrgActors:Postgress", "--OrgActors:Postgress", "Host=127.0.0.1")]
    [InlineData("OrgActors:Runtime:ResponseTimout", "--OrgActors:Runtime:ResponseTimout", "00:00:05")]
    [InlineData("OrgActors:Alerts", "--OrgActors:Alerts:Webhook:Url", "http://127.0.0.1:9/alerts")]
    [InlineData("Cors:AllowedOrigins", "--Cors:AllowedOrigins", "*")]
    [InlineData("Metering:MaxEventsInFlight '500' is not a whole number", "--Metering:MaxEventsInFlight", "500")]
    [InlineData("Metering:MaxEventInFlight is not a setting", "--Metering:MaxEventInFlight", "5000")]
    [InlineData("Credits:Rates:0:Meter is required", "--Credits:Rates:0:Model", "big-model")]
    [InlineData("Auth:Authority", "--Auth:Authority", "https://user:hunter2pass@idp.example.com")]
    [InlineData("Auth:Autority", "--Auth:Autority", "https://idp.example.com")]
    [InlineData("Auth:Authority is not", "--Auth:Audience", "api")]
    [InlineData("Mail:Sendr", "--Mail:Sendr", "smtp")]
    [InlineData("OrgActors:Postgres:Password", "--OrgActors:Postgres:Password", "secret")]
    [InlineData("Multiplexing=true", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody;Multiplexing=true")]
    [InlineData("OrgActors:Postgres", "--postgres", "Host=127.0.0.1;Port=99999;Username=nobody")]
    [InlineData("OrgActors:Postgres", "--postgres", "Host=127.0.0.1;Username=nobody;Minimum Pool Size=50;Maximum Pool Size=10")]
    [InlineData("--bogus", "--bogus", "1")]
    [InlineData("--postgres needs a value", "--postgres", "")]
    [InlineData("names no URL", "--urls", " ; ")]
    [InlineData("IdleTimeoutByGrainType:creditwallet is not a positive duration", "--OrgActors:Runtime:IdleTimeoutByGrainType:creditwallet", "abc")]
    [InlineData("names the grain type 'wallet', which no grain class has", "--OrgActors:Runtime:IdleTimeoutByGrainType:wallet", "00:05:00")]
    public async Task A_bad_setting_stops_the_silo_at_start_with_one_line_naming_it(string setting, string option, string value)
    {
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, option, value);
        Assert.Equal(2, exitCode);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(setting, lines[0]);
        Assert.DoesNotContain("ready", output);
        Assert.DoesNotContain("hunter2pass", errors + output); // a password in a refused setting is not repeated
    }

    [Theory]
    [InlineData("dev-token must come first", "--data-dir", "d", "dev-token", "--user", "a")]
    [InlineData("'devtoken' is not an option", "devtoken", "--user", "a")]
    [InlineData("'-x' is not an option", "-x")]
    [InlineData("write --data-dir=<value>", "data-dir=/tmp/orgactors-bare")]
    [InlineData("Storage (--storage) is 'memory' but", "--storage", "memory", "--postgres", "Host=127.0.0.1")]
    public async Task A_command_line_that_is_not_the_silo_s_stops_it_at_start_with_one_line(string expected, params string[] args)
    {
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, args);
        Assert.Equal(2, exitCode);
        Assert.Contains(expected, Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.DoesNotContain("ready", output);
    }

    [Fact]
    public async Task A_section_set_under_the_OrgActors_prefix_is_refused_rather_than_ignored()
    {
        // The README's ORGACTORS__<Name> pattern does not apply to the sections of their own (Auth, Alerts,
        // Mail): set that way, webhooks stayed off without a word.
        var environment = new Dictionary<string, string> { ["ORGACTORS__Alerts__Webhook__Url"] = "http://127.0.0.1:9/alerts" };
        var (exitCode, _, errors) = await SiloProcess.RunToExitAsync(StartTimeout, environment, addUrls: true);
        Assert.Equal(2, exitCode);
        Assert.Contains("OrgActors:Alerts is not read", errors);
        Assert.Contains("Alerts__<Name>", errors);
    }

    [Theory]
    [InlineData("Mail__Smtp__Port", "notaport", "Mail:Smtp:Port is not a valid Int32")]
    [InlineData("Mail__Smtp__Password__0", "secretpw-in-the-wrong-place", "Mail:Smtp:Password is one value, not a section or a list")]
    public async Task A_mail_setting_the_binder_cannot_read_stops_the_start_with_one_line_and_never_its_value(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string> { ["Mail__Sender"] = "smtp", ["Mail__Smtp__Host"] = "smtp.example.com", [name] = value };
        var (exitCode, output, errors) = await SiloProcess.RunToExitAsync(StartTimeout, environment, addUrls: true);
        Assert.Equal(2, exitCode);
        Assert.Equal($"error: {expected}", errors.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single()[..$"error: {expected}".Length]);
        Assert.DoesNotContain(value, output + errors);
    }
}
