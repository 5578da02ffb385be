using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using OrgActors.Silo.Mail;
using OrgActors.Testing;

namespace OrgActors.Silo.Tests;

/// <summary>Mail:InvitationLinkBase and Mail:ProductName: checked at start, and carried into the invitation mail.</summary>
public sealed class InvitationMailTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private static string? Problem(string key, string value) =>
        MailSetup.FindProblem(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build())
        ?? SectionKeys.FindUnknown(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build());

    [Theory]
    [InlineData("Mail:InvitationLinkBase", "https://app.example.com/invitations/")]
    [InlineData("Mail:InvitationLinkBase", "http://localhost:3000/accept?id=")]
    [InlineData("Mail:ProductName", "Acme AI")]
    public void The_settings_are_accepted(string key, string value) => Assert.Null(Problem(key, value));

    [Theory]
    [InlineData("Mail:InvitationLinkBase", "app.example.com/invitations/", "Mail:InvitationLinkBase must be an absolute http or https URL without spaces or < > \" { } | \\ ^ ` (the invitation id is appended to it)")]
    [InlineData("Mail:InvitationLinkBase", "javascript:alert(1)//", "Mail:InvitationLinkBase must be an absolute http or https URL without spaces or < > \" { } | \\ ^ ` (the invitation id is appended to it)")]
    [InlineData("Mail:InvitationLinkBase", "https://app.example.com/my invitations/", "Mail:InvitationLinkBase must be an absolute http or https URL without spaces or < > \" { } | \\ ^ ` (the invitation id is appended to it)")]
    [InlineData("Mail:InvitationLinkBase", "https://a.example/a<b>\"c", "Mail:InvitationLinkBase must be an absolute http or https URL without spaces or < > \" { } | \\ ^ ` (the invitation id is appended to it)")] // a mail client ends the link at them
    [InlineData("Mail:InvitationLinkBase", "https://user:hunter2pass@app.example.com/", "Mail:InvitationLinkBase must not carry a user or password: every invited person would receive it")]
    [InlineData("Mail:ProductName", "Acme\r\nBcc: everyone@example.com", "Mail:ProductName must be one plain line: no control characters, line breaks or invisible formatting characters")]
    [InlineData("Mail:ProductName", "Acme\u202Egnp.exe", "Mail:ProductName must be one plain line: no control characters, line breaks or invisible formatting characters")]
    [InlineData("Mail:ProductName", "   ", "Mail:ProductName must not be empty or only spaces")]
    public void A_bad_value_is_refused_at_start_in_one_line(string key, string value, string expected) => Assert.Equal(expected, Problem(key, value));

    [Fact]
    public void Lengths_are_bounded()
    {
        Assert.Equal("Mail:ProductName must be at most 100 characters", Problem("Mail:ProductName", new string('a', 101)));
        Assert.Equal("Mail:InvitationLinkBase must be at most 1,900 characters", Problem("Mail:InvitationLinkBase", "https://app.example.com/" + new string('a', 1_900)));
    }

    [Fact]
    public async Task A_silo_with_a_link_base_and_product_name_sends_invitations_that_link_to_the_invitation()
    {
        using var data = new TemporaryDirectory("orgactors-invite-mail-");
        var (tokenExit, token, tokenErrors) = await SiloProcess.RunToExitAsync(StartTimeout, null, addUrls: false,
            "dev-token", "--user", "mail-owner", "--email", "owner@example.com", "--name", "Olivia", "--data-dir", data.Path);
        Assert.True(tokenExit == 0, tokenErrors);
        await using var silo = SiloProcess.Start("--data-dir", data.Path,
            "--Mail:InvitationLinkBase", "https://app.example.com/invitations/", "--Mail:ProductName", "Acme AI");
        await silo.WaitUntilReadyAsync(StartTimeout);
        Assert.Contains("invitations link to https://app.example.com/invitations/<id>", silo.Output);

        using var http = new HttpClient { BaseAddress = new Uri(silo.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        var organizationId = (await GraphQLAsync(http, "mutation { createOrganization(input: { name: \"Mail Co\" }) { organization { id } } }"))
            .GetProperty("createOrganization").GetProperty("organization").GetProperty("id").GetString()!;
        var invitationId = (await GraphQLAsync(http, $"mutation {{ inviteMember(input: {{ organizationId: \"{organizationId}\", email: \"bob@example.com\", role: MEMBER }}) {{ invitation {{ id }} }} }}"))
            .GetProperty("inviteMember").GetProperty("invitation").GetProperty("id").GetString()!;

        // The log sender writes each mail to the silo's output once the outbox has delivered it.
        var link = $"https://app.example.com/invitations/{invitationId}";
        for (var deadline = DateTime.UtcNow + StartTimeout; !silo.Output.Contains(link) && DateTime.UtcNow < deadline;) await Task.Delay(100);
        var mailLine = silo.Output.Split('\n').FirstOrDefault(line => line.Contains("to bob@example.com"));
        Assert.True(mailLine is not null && mailLine.Contains(link), $"No mail to bob@example.com holds {link}. Output: {silo.Output}");
        Assert.Contains("You are invited to join Mail Co on Acme AI", mailLine);
    }

    private static async Task<JsonElement> GraphQLAsync(HttpClient http, string query)
    {
        using var response = await http.PostAsJsonAsync("/graphql", new { query });
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        Assert.True(document.RootElement.TryGetProperty("data", out var answer) && answer.ValueKind == JsonValueKind.Object, body);
        return answer.Clone();
    }
}
