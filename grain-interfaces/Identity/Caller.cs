namespace OrgActors.GrainInterfaces.Identity;

/// <summary>
/// Who is asking, as the API authenticated them (a bearer token). Grains decide with it; they never
/// see tokens. <see cref="UserId"/> is the token's subject; the email counts for invitations only
/// when <see cref="EmailVerified"/> is true.
/// </summary>
public sealed record Caller(string UserId, string? Email, bool EmailVerified, string? Name, bool IsPlatformAdmin)
{
    /// <summary>Upper bounds on what a token may carry; longer values are refused at authentication.</summary>
    public const int MaxUserIdLength = 256;
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 200;

    /// <summary>
    /// The email to show on member lists: only a verified one. An unverified claim (an identity provider that
    /// lets users type any address) would otherwise put someone else's address on a Team page, and block
    /// invitations to it as ALREADY_MEMBER.
    /// </summary>
    public string? VerifiedEmail => EmailVerified ? Email : null;

    /// <summary>Whether this token carries another verified email or name than <paramref name="email"/> and <paramref name="name"/>, the copies on record.</summary>
    public bool ChangesProfile(string? email, string? name) => ProfileChanges(VerifiedEmail, Name, email, name);

    /// <summary>Whether <paramref name="newEmail"/> or <paramref name="newName"/> differ from the ones on record; a null (a token without one) leaves it as it is.</summary>
    public static bool ProfileChanges(string? newEmail, string? newName, string? email, string? name) =>
        (newEmail ?? email) != email || (newName ?? name) != name;
}
