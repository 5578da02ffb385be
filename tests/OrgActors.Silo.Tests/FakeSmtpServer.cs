using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrgActors.Silo.Tests;

/// <summary>
/// An SMTP relay on a loopback port it picks itself, as much of one as <see cref="System.Net.Mail.SmtpClient"/>
/// needs (EHLO, AUTH LOGIN, MAIL, RCPT, DATA, QUIT), with the behaviours a real relay may have: SMTPUTF8
/// offered or not, a login accepted or refused (535), mail without a login refused (530), or no answer at all.
/// </summary>
public sealed class FakeSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _transcript = [];
    private readonly List<string> _messages = [];

    public bool OffersSmtpUtf8 { get; init; } = true;
    /// <summary>Null: no AUTH offered; else whether the login is accepted.</summary>
    public bool? AcceptsLogin { get; init; }
    /// <summary>MAIL FROM before a successful login is refused with 530, as a submission port does.</summary>
    public bool RequiresLogin { get; init; }
    /// <summary>Accepts connections and never answers.</summary>
    public bool Silent { get; init; }

    /// <summary>Answers every RCPT with 550 (no such user), a refusal for good.</summary>
    public bool RejectsRecipients { get; init; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    /// <summary>Every line received (C:) and sent (S:).</summary>
    public string Transcript { get { lock (_transcript) return string.Join("\n", _transcript); } }
    /// <summary>The DATA of each message accepted.</summary>
    public IReadOnlyList<string> Messages { get { lock (_messages) return [.. _messages]; } }

    /// <summary>Starts listening; call once, after the init properties are set.</summary>
    public FakeSmtpServer Start()
    {
        _listener.Start();
        _ = AcceptAsync();
        return this;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            if (Silent)
            {
                await Task.Delay(Timeout.Infinite, _stop.Token);
                return;
            }
            async Task Send(string line) { Record("S: " + line); await writer.WriteLineAsync(line); }
            bool loggedIn = false;
            await Send("220 fake ESMTP");
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                Record("C: " + line);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                if (verb is "EHLO" or "HELO")
                {
                    await Send("250-fake");
                    if (OffersSmtpUtf8) await Send("250-SMTPUTF8");
                    if (AcceptsLogin is not null) await Send("250-AUTH LOGIN");
                    await Send("250 8BITMIME");
                }
                else if (verb == "AUTH")
                {
                    // AUTH LOGIN <user>: the password comes next.
                    if (line.Split(' ').Length < 3) { await Send("334 VXNlcm5hbWU6"); Record("C: " + await reader.ReadLineAsync(_stop.Token)); }
                    await Send("334 UGFzc3dvcmQ6");
                    Record("C: " + await reader.ReadLineAsync(_stop.Token));
                    loggedIn = AcceptsLogin == true;
                    await Send(loggedIn ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid");
                }
                else if (verb == "MAIL") await Send(RequiresLogin && !loggedIn ? "530 5.7.0 Authentication required" : "250 2.1.0 ok");
                else if (verb == "RCPT") await Send(RejectsRecipients ? "550 5.1.1 no such user" : "250 2.1.5 ok");
                else if (verb == "DATA")
                {
                    await Send("354 go ahead");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync(_stop.Token) is { } dataLine && dataLine != ".") data.AppendLine(dataLine);
                    lock (_messages) _messages.Add(data.ToString());
                    await Send("250 2.0.0 queued");
                }
                else if (verb == "QUIT") { await Send("221 bye"); return; }
                else await Send("250 ok");
            }
        }
        catch (Exception) { } // the client hung up, or the server stops
    }

    private void Record(string line) { lock (_transcript) _transcript.Add(line); }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
