using System.Diagnostics.CodeAnalysis;
using OrgActors.GrainInterfaces.Identity;

namespace OrgActors.Api.Authentication;

/// <summary>
/// The outcome of validating a bearer token: the <see cref="Caller"/>, or the reason it was refused. The
/// reason is for logs only; clients are told no more than "invalid token".
/// </summary>
public sealed class TokenValidationResult
{
    private TokenValidationResult(Caller? caller, string? issuer, string? failureReason)
    {
        Caller = caller;
        Issuer = issuer;
        FailureReason = failureReason;
    }

    public Caller? Caller { get; }

    /// <summary>The issuer that vouched for the caller (null on failure).</summary>
    public string? Issuer { get; }

    public string? FailureReason { get; }

    [MemberNotNullWhen(true, nameof(Caller), nameof(Issuer))]
    [MemberNotNullWhen(false, nameof(FailureReason))]
    public bool Succeeded => Caller is not null;

    public static TokenValidationResult Success(Caller caller, string issuer) => new(caller, issuer, null);

    public static TokenValidationResult Failure(string reason) => new(null, null, reason);
}
