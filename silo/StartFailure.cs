using System.Net.Sockets;

namespace OrgActors.Silo;

/// <summary>How the silo reports a start that failed after its settings were accepted.</summary>
internal static class StartFailure
{
    /// <summary>The category under which the host logs a failed start, with its stack trace.</summary>
    public const string HostLogCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    /// <summary>
    /// One line for an address the silo cannot listen on, which the operator fixes from the message alone; the
    /// whole exception for anything else, since then the stack trace is what a bug report needs.
    /// </summary>
    public static string Describe(Exception exception, string urls) => FindSocketProblem(exception) switch
    {
        { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
            $"cannot listen on {urls} (--urls): the address is already in use, by another process or another silo; choose another with --urls",
        { SocketErrorCode: SocketError.AccessDenied } =>
            $"cannot listen on {urls} (--urls): permission denied; ports below 1024 need privileges, choose another with --urls",
        { SocketErrorCode: SocketError.AddressNotAvailable } =>
            $"cannot listen on {urls} (--urls): the address is not one of this machine's; use its own address, localhost, or 0.0.0.0 for every interface",
        _ => $"the silo could not start: {exception}",
    };

    private static SocketException? FindSocketProblem(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            if (cause is SocketException socketException) return socketException;
        }
        return null;
    }
}
