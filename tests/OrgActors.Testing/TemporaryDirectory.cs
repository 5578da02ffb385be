namespace OrgActors.Testing;

/// <summary>A directory under the system's temporary folder that a test owns and removes when disposed, so runs leave nothing behind.</summary>
public sealed class TemporaryDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Best effort: a process the test started may still hold a file for a moment.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
