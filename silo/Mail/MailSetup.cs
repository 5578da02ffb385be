using OrgActors.Grains.Mail;

namespace OrgActors.Silo.Mail;

/// <summary>
/// Chooses the mail sender from Mail:Sender: "log" (default) or "smtp" with Mail:Smtp:*; and what the invitation
/// mail says, from Mail:InvitationLinkBase and Mail:ProductName.
/// </summary>
public static class MailSetup
{
    public static string? FindProblem(IConfiguration configuration)
    {
        var invitations = new InvitationMailSettings();
        if ((SettingsBinding.FindProblem(configuration, "Mail", invitations) ?? invitations.Validate()) is { } invitationProblem) return invitationProblem;
        var sender = configuration["Mail:Sender"] ?? "log";
        if (sender.Equals("log", StringComparison.OrdinalIgnoreCase)) return null;
        if (!sender.Equals("smtp", StringComparison.OrdinalIgnoreCase)) return $"Mail:Sender must be log or smtp, not '{sender}'";
        var settings = new SmtpSettings();
        return SettingsBinding.FindProblem(configuration, "Mail:Smtp", settings) ?? settings.Validate();
    }

    public static void AddMailSender(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.Equals(configuration["Mail:Sender"], "smtp", StringComparison.OrdinalIgnoreCase))
            services.AddSingleton<IMailSender>(new SmtpMailSender(Smtp(configuration)));
        else
            services.AddSingleton<IMailSender, LoggingMailSender>();
    }

    /// <summary>How mail goes, for the start-up log.</summary>
    public static string Describe(IConfiguration configuration) =>
        string.Equals(configuration["Mail:Sender"], "smtp", StringComparison.OrdinalIgnoreCase)
            ? $"sent over SMTP to {Smtp(configuration).Host}{InvitationLinks(configuration)}"
            : $"logged (set Mail:Sender to smtp to send it){InvitationLinks(configuration)}";

    private static string InvitationLinks(IConfiguration configuration) =>
        InvitationMailSettings.From(configuration).InvitationLinkBase is { } linkBase
            ? $", invitations link to {linkBase}<id>"
            : ", invitations without a link (set Mail:InvitationLinkBase to the frontend's page)";

    private static SmtpSettings Smtp(IConfiguration configuration)
    {
        var settings = new SmtpSettings();
        configuration.GetSection("Mail:Smtp").Bind(settings);
        return settings;
    }
}
