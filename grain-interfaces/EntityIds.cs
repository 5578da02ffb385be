using System.Security.Cryptography;

namespace OrgActors.GrainInterfaces;

/// <summary>
/// Opaque ids: a prefix that names the kind (<c>org_</c>, <c>ws_</c>, <c>inv_</c>, <c>res_</c>,
/// <c>evt_</c>, <c>bud_</c>) and 20 random base-32 characters (100 bits), so ids cannot be guessed or enumerated.
/// </summary>
public static class EntityIds
{
    public const string OrganizationPrefix = "org_";
    public const string WorkspacePrefix = "ws_";
    public const string InvitationPrefix = "inv_";
    public const string ResourcePrefix = "res_";
    public const string AuditEventPrefix = "evt_";
    public const string MailPrefix = "mail_";
    public const string BudgetPrefix = "bud_";

    private const int RandomLength = 20;
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New(string prefix)
    {
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        return FromBytes(prefix, random);
    }

    /// <summary>
    /// An id of that kind that is always the same for the same <paramref name="seed"/> (a SHA-256 of it):
    /// for a record that a retried request must write once, such as the audit event of a grant, named by
    /// the grant's ledger entry. Not for ids that must not be guessed.
    /// </summary>
    public static string Derived(string prefix, string seed)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed), hash);
        return FromBytes(prefix, hash);
    }

    /// <summary>The prefix, then one base-32 character for each of the first <see cref="RandomLength"/> bytes.</summary>
    private static string FromBytes(string prefix, ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[prefix.Length + RandomLength];
        prefix.AsSpan().CopyTo(chars);
        for (int i = 0; i < RandomLength; i++) chars[prefix.Length + i] = Alphabet[bytes[i] & 31];
        return new string(chars);
    }

    /// <summary>True when the text has the shape of an id of that kind (cheap check before any grain call).</summary>
    public static bool HasShape(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + RandomLength || !id.StartsWith(prefix, StringComparison.Ordinal)) return false;
        for (int i = prefix.Length; i < id.Length; i++)
        {
            if (!Alphabet.Contains(id[i])) return false;
        }
        return true;
    }
}
