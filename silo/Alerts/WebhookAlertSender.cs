using System.Text;
using System.Text.Json;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.Grains.Credits;

namespace OrgActors.Silo.Alerts;

/// <summary>Alerts:Webhook:* settings.</summary>
public sealed class WebhookSettings
{
    /// <summary>Shortest secret accepted: 16 characters.</summary>
    public const int MinSecretLength = 16;

    public string? Url { get; set; }
    public string? Secret { get; set; }

    public string? Validate() =>
        !Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            ? "Alerts:Webhook:Url must be an absolute http or https URL"
        // A user and password in the URL would never be sent (receivers check the signature) but would be logged.
        : uri.UserInfo.Length > 0 ? "Alerts:Webhook:Url must not carry a user or password: the receiver checks the signature instead"
        : (Secret?.Length ?? 0) < MinSecretLength ? $"Alerts:Webhook:Secret must be at least {MinSecretLength} characters when Alerts:Webhook:Url is set"
        : string.IsNullOrWhiteSpace(Secret) ? "Alerts:Webhook:Secret must not be only spaces: anyone could sign with it"
        : null;
}

/// <summary>
/// POSTs each alert as JSON to the configured URL, signed with <see cref="BudgetAlertSignature"/>. A
/// non-2xx answer, a network error or <see cref="RequestTimeout"/> throws, and the alert outbox retries
/// with backoff. Redirects are answers like any other, never followed: a 302 followed is a GET without the
/// alert that would count as delivered, and a 307 followed hands the signed alert to wherever it points.
/// </summary>
public sealed class WebhookAlertSender(WebhookSettings settings, TimeProvider clock) : IBudgetAlertSender, IDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The receiver's address, checked at start (<see cref="WebhookSettings.Validate"/>).</summary>
    private readonly Uri _url = new(settings.Url!);

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = RequestTimeout,
    };

    public async Task SendAsync(string organizationId, BudgetAlert alert, CancellationToken cancellationToken)
    {
        var body = Body(organizationId, alert);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(BudgetAlertSignature.HeaderName, BudgetAlertSignature.Header(settings.Secret!, clock.GetUtcNow(), body));
        using var response = await _http.SendAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode) return;
        int status = (int)response.StatusCode;
        throw new HttpRequestException(status is >= 300 and < 400
            ? $"The budget alert webhook answered {status}, a redirect{RedirectTarget(response.Headers.Location)}; redirects are not followed: set Alerts:Webhook:Url to where the receiver is."
            : $"The budget alert webhook answered {status}.");
    }

    /// <summary>
    /// Where a redirect points, for the log: its scheme, host and port only, as the ready line shows the
    /// configured URL. A path or query may carry a token, and a user and password may be in the address.
    /// </summary>
    private string RedirectTarget(Uri? location)
    {
        // A relative Location (a trailing slash added, say) is resolved against the configured URL.
        if (location is null || !Uri.TryCreate(_url, location, out var target)) return "";
        bool sameServer = Uri.Compare(target, _url, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
        // Authority is the host and port, without a user or password.
        return $" to {target.Scheme}://{target.Authority}{(sameServer ? " (another path on the configured server)" : "")}";
    }

    /// <summary>
    /// The JSON an alert is posted as; amounts are Credits strings ("12.5"), instants RFC 3339 UTC with
    /// milliseconds, exactly as GraphQL's DateTime writes them, so a receiver can compare them as text.
    /// </summary>
    public static string Body(string organizationId, BudgetAlert alert) => JsonSerializer.Serialize(new
    {
        type = "budget.threshold_reached",
        id = alert.Id,
        organizationId,
        budgetId = alert.BudgetId,
        thresholdPercent = alert.ThresholdPercent,
        spent = NanoCredits.Format(alert.SpentNanoCredits),
        limit = NanoCredits.Format(alert.LimitNanoCredits),
        periodStart = Instants.ToText(alert.PeriodStart),
        at = Instants.ToText(alert.At),
    });

    public void Dispose() => _http.Dispose();
}
