using System.Net.Sockets;

namespace OrgActors.Silo;

/// <summary>How the silo reports a start that failed after its settings were accepted.</summary>
internal static class StartFailure
{
    /// <summary>
    /// One line: for an address the silo cannot listen on, what to do about it; for anything else, the exception's
    /// message. The host's own log of a failed start, with its stack trace, is off by default
    /// (appsettings.json: Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host is Critical; the silo has no
    /// background service, whose failure the host would log at that level); set it to Error to see the trace.
    /// </summary>
    public static string Describe(Exception exception, string urls) => FindSocketProblem(exception) switch
    {
        { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
            $"cannot listen on {urls} (--urls): the address is already in use, by another process or another silo; choose another with --urls",
        { SocketErrorCode: SocketError.AccessDenied } =>
            $"cannot listen on {urls} (--urls): permission denied; ports below 1024 need privileges, choose another with --urls",
        { SocketErrorCode: SocketError.AddressNotAvailable } =>
            $"cannot listen on {urls} (--urls): the address is not one of this machine's; use its own address, localhost, or 0.0.0.0 for every interface",
        _ => exception.Message,
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
