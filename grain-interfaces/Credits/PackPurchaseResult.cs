namespace OrgActors.GrainInterfaces.Credits;

/// <summary>
/// The answer to a pack purchase: accepted with the wallet grant's idempotency key, or refused with a
/// code (PACK_LIMIT_REACHED, UNKNOWN_PACK) and nothing granted.
/// </summary>
public sealed record PackPurchaseResult(bool Accepted, string? Code, string PackId, int PacksThisMonth, string? GrantKey);
