using System.Text;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Makes text that came from a token or a remote document safe to put in a log line: bounded in length and
/// without control characters, so a hostile token cannot forge log lines or flood the log.
/// </summary>
internal static class LogText
{
    public const int MaxChars = 100;

    /// <summary>The URI without a user part (<c>user:password@</c>), for a log line or an error that may be logged.</summary>
    public static string WithoutCredentials(Uri uri) =>
        uri.UserInfo.Length == 0 ? uri.ToString() : new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();

    /// <inheritdoc cref="WithoutCredentials(Uri)"/>
    public static string WithoutCredentials(string? uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? WithoutCredentials(parsed) : uri ?? "";

    public static string Truncate(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxChars) + 3);
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxChars)))
            builder.Append(char.IsControl(c) ? '?' : c);
        if (text.Length > MaxChars) builder.Append("...");
        return builder.ToString();
    }
}
