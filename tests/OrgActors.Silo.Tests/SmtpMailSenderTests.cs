using Microsoft.Extensions.Configuration;
using OrgActors.Silo.Mail;

namespace OrgActors.Silo.Tests;

/// <summary>The SMTP sender against a relay in the test, and the Mail settings checked at start.</summary>
public sealed class SmtpMailSenderTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    private static string? SmtpProblem(params (string Key, string Value)[] settings) =>
        MailSetup.FindProblem(Settings([("Mail:Sender", "smtp"), ("Mail:Smtp:Host", "smtp.example.com"), .. settings]));

    [Fact]
    public void A_timeout_longer_than_the_outbox_s_attempt_is_refused_at_start()
    {
        Assert.Null(SmtpProblem(("Mail:Smtp:TimeoutSeconds", "30")));
        Assert.Equal("Mail:Smtp:TimeoutSeconds must be between 1 and 30: the mail outbox ends each attempt after 30 s",
            SmtpProblem(("Mail:Smtp:TimeoutSeconds", "31")));
    }
}
