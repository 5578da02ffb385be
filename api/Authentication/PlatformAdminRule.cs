using System.Text.Json;

namespace OrgActors.Api.Authentication;

/// <summary>
/// Which claim marks an operator of the platform: <see cref="Claim"/> equal to <see cref="Value"/>, or an
/// array holding it (as role and group claims are), or <c>true</c> when the value is "true".
/// </summary>
public sealed record PlatformAdminRule(string Claim, string Value)
{
    /// <summary>The claim development tokens carry for <c>dev-token --platform-admin</c>.</summary>
    public const string DevelopmentClaim = "orgactors_platform_admin";

    public static readonly PlatformAdminRule Development = new(DevelopmentClaim, "true");

    public bool Matches(JsonElement payload)
    {
        if (!payload.TryGetProperty(Claim, out var claim)) return false;
        return claim.ValueKind switch
        {
            JsonValueKind.String => string.Equals(claim.GetString(), Value, StringComparison.Ordinal),
            JsonValueKind.True => string.Equals(Value, "true", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.Array => claim.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && string.Equals(item.GetString(), Value, StringComparison.Ordinal)),
            _ => false,
        };
    }
}
