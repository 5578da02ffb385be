using System.Security.Cryptography;
using System.Text;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The HMAC-SHA256 key of development authentication, kept in <c>&lt;dataDir&gt;/dev-signing.key</c> so
/// that the silo and the <c>dev-token</c> command using the same data directory share it. Created on
/// first use with 32 random bytes, readable by its owner only (0600 on Unix), and atomically: the key is
/// written to a private temporary file and then hard-linked into place (link(2) fails if the name exists), so when a silo and
/// a dev-token command race on a fresh directory exactly one key wins and both read it.
/// </summary>
public static class DevelopmentSigningKeyFile
{
    public const string FileName = "dev-signing.key";
    public const int KeyBytes = 32;
    /// <summary>Bounds what is read from a file that might not be ours.</summary>
    private const int MaxFileBytes = 1024;

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>
    /// Reads the key of <paramref name="dataDirectory"/>, creating the directory and the key when absent.
    /// Throws <see cref="DevelopmentKeyException"/> with a message naming the file when it cannot.
    /// </summary>
    public static byte[] LoadOrCreate(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        try
        {
            if (File.Exists(path)) return Read(path);
            Directory.CreateDirectory(dataDirectory);
            return CreateOrReadWinner(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new DevelopmentKeyException($"the development signing key {path} cannot be read or created: {exception.Message}", exception);
        }
    }

    /// <summary>The key id development tokens carry: derived from the key, so a token from another data directory is told apart by its kid.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> key) => "dev-" + JoseBase64.Encode(SHA256.HashData(key).AsSpan(0, 9));

    private static byte[] CreateOrReadWinner(string path)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(JoseBase64.Encode(key) + "\n"));
                stream.Flush(flushToDisk: true);
            }
            // The complete file gets its final name only if nobody else's did: a racing creator's key is never replaced.
            var outcome = OperatingSystem.IsWindows() ? MoveWithoutReplacing(temporary, path) : UnixHardLink.TryLink(temporary, path);
            if (outcome == UnixHardLink.Outcome.Unsupported) outcome = MoveWithoutReplacing(temporary, path);
            return outcome == UnixHardLink.Outcome.Linked ? key : Read(path);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>MoveFileEx without MOVEFILE_REPLACE_EXISTING is atomic on Windows; elsewhere this is the best the file system offers.</summary>
    private static UnixHardLink.Outcome MoveWithoutReplacing(string temporary, string path)
    {
        try
        {
            File.Move(temporary, path, overwrite: false);
            return UnixHardLink.Outcome.Linked;
        }
        catch (IOException) when (File.Exists(path))
        {
            return UnixHardLink.Outcome.NameTaken;
        }
    }

    private static byte[] Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileBytes) throw new DevelopmentKeyException($"the development signing key {path} is not a key file ({stream.Length} bytes); delete it to generate a new one");
        var buffer = new byte[stream.Length];
        stream.ReadExactly(buffer);
        var text = Encoding.ASCII.GetString(buffer).Trim();
        if (!JoseBase64.TryDecode(text, out var key) || key.Length != KeyBytes)
            throw new DevelopmentKeyException($"the development signing key {path} is corrupt (expected {KeyBytes} bytes in base64url); delete it to generate a new one");
        return key;
    }
}

/// <summary>The development key file cannot be used; the message names the file and what to do.</summary>
public sealed class DevelopmentKeyException(string message, Exception? inner = null) : Exception(message, inner);
