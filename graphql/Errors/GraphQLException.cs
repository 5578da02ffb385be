namespace OrgActors.GraphQL;

/// <summary>
/// Throw this from a resolver (or a scalar's coercion) to send a client-visible error: its message
/// is never masked. Any other exception is reported as "Unexpected error." unless debug is on.
/// </summary>
public class GraphQLException : Exception
{
    public GraphQLException(string message, string code = ErrorCodes.FieldError, IReadOnlyDictionary<string, object?>? extensions = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
        Extensions = extensions;
    }

    public string Code { get; }

    /// <summary>Extra entries for the error's "extensions" object (besides "code").</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; }
}
