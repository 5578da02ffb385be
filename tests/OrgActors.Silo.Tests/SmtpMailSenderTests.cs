using System.Net.Mail;
using Microsoft.Extensions.Configuration;
using OrgActors.GrainInterfaces.Mail;
using OrgActors.Silo.Mail;

namespace OrgActors.Silo.Tests;

/// <summary>The SMTP sender against a relay in the test, and the Mail settings checked at start.</summary>
public sealed class SmtpMailSenderTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    /// <summary>The problem with these settings over a relay otherwise well set.</summary>
    private static string? SmtpProblem(params (string Key, string Value)[] settings) =>
        MailSetup.FindProblem(Settings([.. new[] { ("Mail:Sender", "smtp"), ("Mail:Smtp:Host", "smtp.example.com") }.Where(d => settings.All(s => s.Key != d.Item1)), .. settings]));

    private static SmtpMailSender Sender(FakeSmtpServer relay, string? username = null, string? password = null) =>
        new(new SmtpSettings { Host = "127.0.0.1", Port = relay.Port, EnableSsl = false, From = "no-reply@example.com", Username = username, Password = password, TimeoutSeconds = 10 });

    private static OutgoingMail Mail(string to) => new("mail_test", to, "Hello", "Body", DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task An_address_with_a_non_ASCII_local_part_goes_out_over_SMTPUTF8_when_the_relay_offers_it()
    {
        using var relay = new FakeSmtpServer { OffersSmtpUtf8 = true }.Start();
        await Sender(relay).SendAsync(Mail("jürgen@example.com"), CancellationToken.None);
        Assert.Single(relay.Messages);
        Assert.Contains("C: RCPT TO:<jürgen@example.com>", relay.Transcript);
        Assert.Contains("SMTPUTF8", relay.Transcript.Split('\n').Single(line => line.StartsWith("C: MAIL FROM", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("You are invited to join =?utf-8?Q?Acme_=E2=80=AEgnp.exe_=E2=80=8B?= Payroll on OrgActors")] // would decode to a bidi override
    [InlineData("=?utf-8?B?U2VjdXJpdHkgQWxlcnQ6IHlvdXIgYWNjb3VudCBpcyBsb2NrZWQ=?=")] // would decode to another subject
    [InlineData("You are invited to join Café =?utf-8?Q?=46ree=20credits?= on OrgActors")] // beside non-ASCII text, which an SMTPUTF8 relay takes raw
    [InlineData("=? éééééééééééééééééééééééééééééééééééééééééééé \U0001F469\u200D\U0001F4BB ?=")] // characters across the encoded-words' bounds
    [InlineData("You are invited to join Acme on OrgActors")]
    [InlineData("You are invited to join Café on OrgActors")]
    public async Task A_subject_reads_as_it_was_written_even_when_it_looks_encoded(string subject)
    {
        using var relay = new FakeSmtpServer().Start();
        await Sender(relay).SendAsync(Mail("bob@example.com") with { Subject = subject }, CancellationToken.None);
        var message = Assert.Single(relay.Messages);
        Assert.Equal(subject, DecodedSubject(message));
    }

    /// <summary>The Subject header as a mail client shows it: unfolded, each encoded-word decoded, the space between two of them dropped.</summary>
    private static string DecodedSubject(string message)
    {
        var lines = message.Replace("\r\n", "\n").Split('\n');
        int at = Array.FindIndex(lines, line => line.StartsWith("Subject: ", StringComparison.OrdinalIgnoreCase));
        var header = lines[at]["Subject: ".Length..];
        for (int i = at + 1; i < lines.Length && lines[i].StartsWith(' '); i++) header += lines[i];
        header = System.Text.RegularExpressions.Regex.Replace(header, @"\?=\s+=\?", "?==?");
        return System.Text.RegularExpressions.Regex.Replace(header, @"=\?utf-8\?([BQ])\?([^?]*)\?=", match => System.Text.Encoding.UTF8.GetString(
            match.Groups[1].Value is "B" or "b" ? Convert.FromBase64String(match.Groups[2].Value) : QuotedPrintableBytes(match.Groups[2].Value)),
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
    }

    /// <summary>RFC 2047's Q encoding: "_" is a space, "=XX" a byte.</summary>
    private static byte[] QuotedPrintableBytes(string text)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length) { bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16)); i += 2; }
            else bytes.Add(text[i] == '_' ? (byte)' ' : (byte)text[i]);
        }
        return [.. bytes];
    }

    [Fact]
    public async Task A_recipient_refused_for_good_is_a_permanent_failure()
    {
        using var relay = new FakeSmtpServer { RejectsRecipients = true }.Start();
        var refused = await Assert.ThrowsAsync<OrgActors.Grains.Common.PermanentDeliveryException>(() => Sender(relay).SendAsync(Mail("nobody@example.com"), CancellationToken.None));
        Assert.Equal("The SMTP relay 127.0.0.1 refused nobody@example.com for good (550): 5.1.1 no such user", refused.Message);
    }

    [Fact]
    public async Task An_ASCII_address_goes_out_as_before_to_a_relay_without_SMTPUTF8()
    {
        using var relay = new FakeSmtpServer { OffersSmtpUtf8 = false }.Start();
        await Sender(relay).SendAsync(Mail("bob@example.com"), CancellationToken.None);
        Assert.Single(relay.Messages);
        Assert.DoesNotContain("SMTPUTF8", relay.Transcript.Split('\n').Single(line => line.StartsWith("C: MAIL FROM", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_relay_without_SMTPUTF8_is_a_clear_permanent_refusal_for_a_non_ASCII_local_part()
    {
        using var relay = new FakeSmtpServer { OffersSmtpUtf8 = false }.Start();
        var refused = await Assert.ThrowsAsync<SmtpException>(() => Sender(relay).SendAsync(Mail("jürgen@example.com"), CancellationToken.None));
        Assert.Equal("The SMTP relay 127.0.0.1 does not offer SMTPUTF8, which mail to jürgen@example.com needs (its part before the @ is not ASCII); "
            + "this is permanent: every attempt will fail until the relay offers SMTPUTF8.", refused.Message);
        Assert.Empty(relay.Messages);
    }

    [Fact]
    public async Task A_refused_login_is_named_when_the_relay_then_refuses_the_message()
    {
        // SmtpClient does not stop at a 535: it carries on with MAIL FROM, which a relay that wants a login refuses (530).
        using var relay = new FakeSmtpServer { AcceptsLogin = false, RequiresLogin = true }.Start();
        var refused = await Assert.ThrowsAsync<SmtpException>(() => Sender(relay, "mailer", "wrong-password").SendAsync(Mail("bob@example.com"), CancellationToken.None));
        Assert.Contains("C: AUTH", relay.Transcript);
        Assert.Equal("The SMTP relay 127.0.0.1 refused the message as not logged in: it refused the login as mailer (Mail:Smtp:Username and "
            + "Mail:Smtp:Password) or offered none; every attempt will fail until they are corrected. It answered: 5.7.0 Authentication required", refused.Message);
        Assert.DoesNotContain("wrong-password", refused.Message);
        Assert.Empty(relay.Messages);
    }

    [Fact]
    public async Task A_relay_that_wants_a_login_none_is_configured_for_says_which_settings_to_set()
    {
        using var relay = new FakeSmtpServer { AcceptsLogin = true, RequiresLogin = true }.Start();
        var refused = await Assert.ThrowsAsync<SmtpException>(() => Sender(relay).SendAsync(Mail("bob@example.com"), CancellationToken.None));
        Assert.StartsWith("The SMTP relay 127.0.0.1 refused the message as not logged in: set Mail:Smtp:Username and Mail:Smtp:Password", refused.Message);
    }

    [Fact]
    public async Task An_accepted_login_delivers()
    {
        using var relay = new FakeSmtpServer { AcceptsLogin = true, RequiresLogin = true }.Start();
        await Sender(relay, "mailer", "right-password").SendAsync(Mail("bob@example.com"), CancellationToken.None);
        Assert.Single(relay.Messages);
    }

    [Fact]
    public void A_timeout_longer_than_the_outbox_s_attempt_is_refused_at_start()
    {
        Assert.Null(SmtpProblem(("Mail:Smtp:TimeoutSeconds", "30")));
        Assert.Equal("Mail:Smtp:TimeoutSeconds must be between 1 and 30: the mail outbox ends each attempt after 30 s",
            SmtpProblem(("Mail:Smtp:TimeoutSeconds", "31")));
    }

    [Theory]
    [InlineData("Mail:Smtp:Host", "127.0.0.1:2525", "Mail:Smtp:Host must be a host name or an IP address alone, without a port (that is Mail:Smtp:Port) or spaces")]
    [InlineData("Mail:Smtp:Host", "bad host name", "Mail:Smtp:Host must be a host name or an IP address alone, without a port (that is Mail:Smtp:Port) or spaces")]
    [InlineData("Mail:Smtp:Password", "hunter2pass", "Mail:Smtp:Password is set but Mail:Smtp:Username is not: the relay login needs both")]
    [InlineData("Mail:Smtp:Username", "mailer", "Mail:Smtp:Username is set but Mail:Smtp:Password is not: the relay login needs both")]
    public void A_relay_setting_that_could_never_work_is_refused_at_start_in_one_line(string key, string value, string expected) =>
        Assert.Equal(expected, SmtpProblem((key, value)));

    [Theory]
    [InlineData("smtp.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("localhost")]
    public void A_host_name_or_address_is_accepted(string host)
    {
        Assert.Null(MailSetup.FindProblem(Settings(("Mail:Sender", "smtp"), ("Mail:Smtp:Host", host))));
        Assert.Null(SmtpProblem(("Mail:Smtp:Username", "mailer"), ("Mail:Smtp:Password", "hunter2pass")));
    }
}
