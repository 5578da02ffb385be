using System.Runtime.InteropServices;

namespace OrgActors.Api.Authentication;

/// <summary>
/// link(2): gives a file a second name, failing with EEXIST if that name is taken. It is the one atomic
/// "create this complete file unless it exists" on POSIX; File.Move without overwrite is not atomic on
/// every .NET version and file system (our race test caught two winners).
/// </summary>
internal static class UnixHardLink
{
    private const int EExist = 17; // the same value on Linux and macOS

    public enum Outcome { Linked, NameTaken, Unsupported }

    public static Outcome TryLink(string existingPath, string newPath)
    {
        if (Link(existingPath, newPath) == 0) return Outcome.Linked;
        // Other errors (EPERM, ENOTSUP, EXDEV...) mean this file system has no hard links: the caller falls back.
        return Marshal.GetLastPInvokeError() == EExist ? Outcome.NameTaken : Outcome.Unsupported;
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existingPath, string newPath);
}
