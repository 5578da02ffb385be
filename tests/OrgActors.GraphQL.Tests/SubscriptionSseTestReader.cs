using System.Text;

namespace OrgActors.GraphQL.Tests;

/// <summary>Reads a text/event-stream response: events (name and data) and comment lines, one at a time.</summary>
internal sealed class SubscriptionSseTestReader
{
    private readonly StreamReader _reader;

    public SubscriptionSseTestReader(Stream body) => _reader = new StreamReader(body, Encoding.UTF8);

    /// <summary>Comments (keep-alive lines) seen so far.</summary>
    public int Comments { get; private set; }

    /// <summary>The next event, skipping comments; null at the end of the stream.</summary>
    public async Task<(string Event, string Data)?> NextEventAsync()
    {
        string? name = null;
        var data = new StringBuilder();
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is null && data.Length == 0) continue; // the end of a comment-only block
                return (name ?? "message", data.ToString());
            }

            if (line.StartsWith(':'))
            {
                Comments++;
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            if (field == "event") name = value;
            else if (field == "data") data.Append(data.Length > 0 ? "\n" : "").Append(value);
        }

        return null;
    }

    /// <summary>Reads until a comment arrives (a keep-alive), failing if an event comes first.</summary>
    public async Task NextCommentAsync()
    {
        int before = Comments;
        using var timeout = new CancellationTokenSource(SubscriptionTestHost.SafetyTimeout);
        while (Comments == before)
        {
            string? line = await _reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line.StartsWith(':')) Comments++;
            else Assert.Equal("", line);
        }
    }

    /// <summary>All events to the end of the stream.</summary>
    public async Task<List<(string Event, string Data)>> ReadAllAsync()
    {
        var events = new List<(string Event, string Data)>();
        while (await NextEventAsync() is { } next) events.Add(next);
        return events;
    }
}
