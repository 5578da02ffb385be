using System.Diagnostics.CodeAnalysis;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The outcome of validating a bearer token: the <see cref="Caller"/>, or the reason it was refused. The
/// reason is for logs only; clients are told no more than "invalid token".
/// </summary>
public sealed class TokenValidationResult
{
    private TokenValidationResult(Caller? caller, string? issuer, string? failureReason, DateTimeOffset? validUntil, bool keysUnavailable = false)
    {
        Caller = caller;
        Issuer = issuer;
        FailureReason = failureReason;
        ValidUntil = validUntil;
        KeysUnavailable = keysUnavailable;
    }

    public Caller? Caller { get; }

    /// <summary>The issuer that vouched for the caller (null on failure).</summary>
    public string? Issuer { get; }

    public string? FailureReason { get; }

    /// <summary>
    /// From when the same token is refused as expired: its <c>exp</c> plus the clock skew (null on failure).
    /// What outlives the request, a WebSocket's sign-in, must end then.
    /// </summary>
    public DateTimeOffset? ValidUntil { get; }

    /// <summary>
    /// The token could not be checked: its issuer's keys could not be had (never fetched, or the issuer's metadata
    /// is unusable). Not the caller's fault, so not answered as a bad token: the API says 503, try again.
    /// </summary>
    public bool KeysUnavailable { get; }

    [MemberNotNullWhen(true, nameof(Caller), nameof(Issuer))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Succeeded => Caller is not null;

    public static TokenValidationResult Success(Caller caller, string issuer, DateTimeOffset validUntil) => new(caller, issuer, null, validUntil);

    public static TokenValidationResult Failure(string reason) => new(null, null, reason, null);

    public static TokenValidationResult Unavailable(string reason) => new(null, null, reason, null, keysUnavailable: true);
}
