using System.Net;
using System.Text.Json.Nodes;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Silo.Alerts;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

public sealed class WebhookAlertSenderTests
{
    private const string Secret = "whsec_0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly BudgetAlert Alert = new("bud_x.638900000000000000.80", "bud_x", 80, 8_500_000_000, 10_000_000_000,
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), Now.AddTicks(1_234_567));

    [Fact]
    public async Task Posts_the_alert_as_JSON_signed_with_the_secret()
    {
        using var listener = Listen(out var url);
        using var sender = new WebhookAlertSender(new WebhookSettings { Url = url, Secret = Secret }, new ManualClock(Now));
        var sending = sender.SendAsync("org_x", Alert, CancellationToken.None);

        var context = await listener.GetContextAsync();
        var body = await new StreamReader(context.Request.InputStream).ReadToEndAsync();
        var signature = context.Request.Headers[BudgetAlertSignature.HeaderName]!;
        context.Response.StatusCode = 204;
        context.Response.Close();
        await sending;

        Assert.Equal("POST", context.Request.HttpMethod);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(("budget.threshold_reached", Alert.Id, "org_x", 80, "8.5", "10"),
            (json["type"]!.GetValue<string>(), json["id"]!.GetValue<string>(), json["organizationId"]!.GetValue<string>(),
             json["thresholdPercent"]!.GetValue<int>(), json["spent"]!.GetValue<string>(), json["limit"]!.GetValue<string>()));
        // Instants as GraphQL's DateTime writes them: always milliseconds, never 0 or 7 fraction digits.
        Assert.Equal(("2026-11-01T00:00:00.000Z", "2026-11-22T10:00:00.123Z"),
            (json["periodStart"]!.GetValue<string>(), json["at"]!.GetValue<string>()));
        // What a receiver does: split t and v1, recompute HMAC-SHA256 over "<t>.<raw body>".
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), parts["t"]);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes(parts["t"] + "." + body)));
        Assert.Equal(expected, parts["v1"]);
    }

    [Fact]
    public async Task A_refusal_by_the_receiver_throws_so_the_outbox_retries()
    {
        var (refused, _, listener) = await RefusedAsync(500);
        using (listener) Assert.Equal("The budget alert webhook answered 500.", refused.Message);
    }

    [Theory]
    [InlineData(302, "moved?token=secret", " (another path on the configured server)")]
    [InlineData(307, "https://user:secret@receiver.example:8443/hooks/secret?token=secret", "")]
    [InlineData(303, "/hooks/budget/secret/", " (another path on the configured server)")] // relative, as a trailing slash added
    public async Task A_redirect_is_a_refusal_to_retry_and_never_followed(int status, string location, string note)
    {
        var (refused, url, listener) = await RefusedAsync(status, url => location.StartsWith('/') || location.Contains("://") ? location : url + location);
        using (listener)
        {
            var server = location.Contains("://") ? "https://receiver.example:8443" : new Uri(url).GetLeftPart(UriPartial.Authority);
            Assert.Contains($"answered {status}, a redirect to {server}{note}; redirects are not followed", refused.Message);
            Assert.DoesNotContain("secret", refused.Message); // a path, query or user may carry a credential: not logged
            // Followed, the redirect would have come back here as a second request.
            var second = listener.GetContextAsync();
            Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(TimeSpan.FromMilliseconds(300))));
        }
    }

    [Fact]
    public async Task Another_refusal_with_a_location_is_no_redirect()
    {
        var (refused, _, listener) = await RefusedAsync(503, url => url + "elsewhere");
        using (listener) Assert.Equal("The budget alert webhook answered 503.", refused.Message);
    }

    /// <summary>
    /// Sends an alert to a receiver that answers <paramref name="status"/>, with the Location <paramref name="location"/>
    /// makes of its URL when given: what the sender threw, the receiver's URL, and its listener (the caller's to dispose).
    /// </summary>
    private static async Task<(HttpRequestException Refused, string Url, HttpListener Listener)> RefusedAsync(int status, Func<string, string>? location = null)
    {
        var listener = Listen(out var url);
        using var sender = new WebhookAlertSender(new WebhookSettings { Url = url, Secret = Secret }, new ManualClock(Now));
        var sending = sender.SendAsync("org_x", Alert, CancellationToken.None);
        var context = await listener.GetContextAsync();
        context.Response.StatusCode = status;
        if (location is not null) context.Response.Headers["Location"] = location(url);
        context.Response.Close();
        return (await Assert.ThrowsAsync<HttpRequestException>(() => sending), url, listener);
    }

    [Fact]
    public void Settings_are_checked()
    {
        Assert.NotNull(new WebhookSettings { Url = "ftp://x", Secret = Secret }.Validate());
        Assert.NotNull(new WebhookSettings { Url = "https://example.com/hook", Secret = "short" }.Validate());
        Assert.Null(new WebhookSettings { Url = "https://example.com/hook", Secret = Secret }.Validate());
        var withPassword = new WebhookSettings { Url = "https://hookuser:HOOKURLPASS@example.com/hook", Secret = Secret }.Validate();
        Assert.Contains("must not carry a user or password", withPassword);
        Assert.DoesNotContain("HOOKURLPASS", withPassword);
    }

    /// <summary>HttpListener cannot bind port 0: a free port is picked, and another one if a parallel test took it meanwhile.</summary>
    private static HttpListener Listen(out string url)
    {
        const int maxAttempts = 10;
        for (int attempt = 1; ; attempt++)
        {
            url = $"http://127.0.0.1:{RepositoryLayout.FreeLoopbackPort()}/hooks/budget/";
            var listener = new HttpListener();
            listener.Prefixes.Add(url);
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < maxAttempts)
            {
                listener.Close();
            }
        }
    }
}
