using OrgActors.Grains.Credits;

namespace OrgActors.Silo.Alerts;

/// <summary>Chooses the budget alert sender: a signed webhook when Alerts:Webhook:Url is set, the log otherwise.</summary>
public static class AlertSetup
{
    public static string? FindProblem(IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["Alerts:Webhook:Url"]))
        {
            // A URL lost to a typo in its name would leave alerts logged only, in silence.
            return configuration.GetSection("Alerts:Webhook").GetChildren().FirstOrDefault(c => !string.IsNullOrEmpty(c.Value)) is { } orphan
                ? $"{orphan.Path} is set but Alerts:Webhook:Url is not, so alerts would only be logged: set the URL, or remove {orphan.Path}."
                : null;
        }
        var settings = new WebhookSettings();
        return SettingsBinding.FindProblem(configuration, "Alerts:Webhook", settings) ?? settings.Validate();
    }

    public static void AddBudgetAlertSender(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration["Alerts:Webhook:Url"]))
            services.AddSingleton<IBudgetAlertSender, LoggingAlertSender>();
        else
            services.AddSingleton<IBudgetAlertSender>(provider => new WebhookAlertSender(Webhook(configuration), provider.GetService<TimeProvider>() ?? TimeProvider.System));
    }

    /// <summary>Where budget alerts go, for the start-up log: an operator sees at once whether webhooks are on.</summary>
    public static string Describe(IConfiguration configuration) =>
        string.IsNullOrEmpty(configuration["Alerts:Webhook:Url"])
            ? "logged (set Alerts:Webhook:Url and Alerts:Webhook:Secret to post them)"
            // Only the scheme, host and port: a webhook URL's path often carries a token.
            : $"posted to {OriginOf(new Uri(Webhook(configuration).Url!))} (signed)";

    /// <summary>Scheme, host and port: <see cref="Uri.Authority"/> leaves out the user part.</summary>
    private static string OriginOf(Uri uri) => $"{uri.Scheme}://{uri.Authority}";

    private static WebhookSettings Webhook(IConfiguration configuration)
    {
        var settings = new WebhookSettings();
        configuration.GetSection("Alerts:Webhook").Bind(settings);
        return settings;
    }
}
