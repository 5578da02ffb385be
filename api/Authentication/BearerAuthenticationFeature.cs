using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// What bearer authentication concluded for one request, kept in <c>HttpContext.Features</c>: the caller,
/// or why a presented token was refused. Absent when the request carried no bearer token.
/// </summary>
public sealed class BearerAuthenticationFeature(Caller? caller, string? failureReason, DateTimeOffset? validUntil = null, bool keysUnavailable = false)
{
    public Caller? Caller { get; } = caller;

    /// <summary>When the caller's token expires (its exp plus the clock skew); see <see cref="TokenValidationResult.ValidUntil"/>.</summary>
    public DateTimeOffset? ValidUntil { get; } = validUntil;

    /// <summary>Why the token was refused, for logs and diagnostics only: clients see "invalid token".</summary>
    public string? FailureReason { get; } = failureReason;

    /// <summary>The token could not be checked for want of its issuer's keys (see <see cref="TokenValidationResult.KeysUnavailable"/>).</summary>
    public bool KeysUnavailable { get; } = keysUnavailable;
}
