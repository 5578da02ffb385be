namespace OrgActors.GrainInterfaces.Errors;

/// <summary>
/// A business rule refused the request. Part of every grain interface: the API turns it into a
/// <c>UserError { code message field }</c> in the mutation's payload (or a field error for queries).
/// Nothing was changed when it is thrown.
/// </summary>
public sealed class UserErrorException(string code, string message, IReadOnlyList<string>? field = null)
    : Exception(message)
{
    /// <summary>A stable SCREAMING_SNAKE_CASE code from <see cref="UserErrorCodes"/>.</summary>
    public string Code { get; } = code;

    /// <summary>The path of the input field to blame, e.g. ["input", "name"], when one is.</summary>
    public IReadOnlyList<string>? Field { get; } = field;

    public static UserErrorException NotFound(string what) =>
        new(UserErrorCodes.NotFound, $"{what} not found.");

    public static UserErrorException Forbidden(string action) =>
        new(UserErrorCodes.Forbidden, $"You are not allowed to {action}.");
}
