using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;
using static OrgActors.Api.GraphQL.OrganizationMutations;

namespace OrgActors.Api.GraphQL;

/// <summary>The AI Credits tab: the wallet, its grants and ledger; and grantCredits for platform admins.</summary>
public static class WalletTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Enum<GrantSource>();
        builder.Enum<LedgerEntryKind>();
        builder.Object("CreditGrant", t =>
        {
            t.Description("A pot of credits. Debits burn lower priority numbers first, then the soonest expiry, then the oldest.");
            t.Field("id", "ID!").Description(ScopedIdDescription);
            t.Field("source", "GrantSource!");
            t.Field("amount", "Credits!", c => c.GetParent<CreditGrant>()!.AmountNanoCredits);
            t.Field("remaining", "Credits!", c => c.GetParent<CreditGrant>()!.RemainingNanoCredits);
            t.Field("priority", "Int!");
            t.Field("effectiveAt", "DateTime!");
            t.Field("expiresAt", "DateTime");
        });
        builder.Object("GrantFunding", t =>
        {
            t.Description("How much of a ledger entry's amount one grant gave or received.");
            t.Field("grantId", "ID!").Description("The id of the grant (CreditGrant.id).");
            t.Field("amount", "Credits!", c => c.GetParent<GrantFunding>()!.AmountNanoCredits);
        });
        builder.Object("LedgerEntry", t =>
        {
            t.Field("id", "ID!").Description(ScopedIdDescription);
            t.Field("kind", "LedgerEntryKind!");
            t.Field("amount", "Credits!", c => c.GetParent<LedgerEntry>()!.AmountNanoCredits);
            t.Field("balanceAfter", "Credits!", c => c.GetParent<LedgerEntry>()!.BalanceAfterNanoCredits);
            t.Field("at", "DateTime!");
            t.Field("idempotencyKey", "String");
            t.Field("meter", "String", c => c.GetParent<LedgerEntry>()!.Usage?.Meter);
            t.Field("quantity", "Float", c => c.GetParent<LedgerEntry>()!.Usage is { } usage ? (double)usage.Quantity : null)
                .Description("The usage's quantity; a Float is exact up to 2^53 only: quantityExact has every digit.");
            t.Field("quantityExact", "String", c => c.GetParent<LedgerEntry>()!.Usage is { } usage
                    ? usage.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
                .Description("The usage's quantity as a decimal string with every digit (e.g. \"9007199254740993\"), which quantity may round.");
            t.Field("workspaceId", "ID", c => c.GetParent<LedgerEntry>()!.Usage?.WorkspaceId);
            t.Field("model", "String", c => c.GetParent<LedgerEntry>()!.Usage?.Model);
            t.Field("fundedBy", "[GrantFunding!]!", c => c.GetParent<LedgerEntry>()!.Fundings)
                .Description("The grants whose credits this entry moved, and how much of each, in the order they were drawn: those that paid a DEBIT or SETTLE, those that lapsed in an EXPIRE, the new grant of a GRANT.");
            t.Field("reservationId", "String")
                .Description("The reservation of a HOLD, SETTLE or RELEASE entry: its HOLD, its SETTLE (if it was settled) and its RELEASE (if released or expired) name the same id.");
        });
        Paging.Declare(builder, "LedgerEntry");
        builder.Object("Wallet", t =>
        {
            t.Description("The organization's prepaid credits. OWNER, ADMIN and BILLING may read it.");
            t.Field("id", "ID!", c => Ids.InOrganization(organizationId: OrganizationId(c), localId: "wallet"))
                .Description("\"wallet\", a dot, and the organization's id: client caches keep one wallet per organization, updated in place.");
            t.Field("balance", "Credits!", c => Snapshot(c).AvailableNanoCredits).Description("Spendable now: remaining of live grants minus holds.");
            t.Field("held", "Credits!", c => Snapshot(c).HeldNanoCredits).Description("Held by open reservations.");
            t.Field("grants", "[CreditGrant!]!").Argument("includeDepleted", "Boolean", false)
                .Description("Live grants, oldest first; with includeDepleted also those used up or expired.")
                .ResolveAsync(async c => WalletItemIds.Scoped(OrganizationId(c),
                    c.GetArgument<bool?>("includeDepleted") == true ? await WalletGrain(c).GetGrants(includeDepleted: true) : Snapshot(c).Grants));
            t.Field("ledger", "LedgerEntryConnection!").WithPaging()
                .Description("The whole ledger, newest first. A cursor names its entry: entries added while paging never shift the next page.")
                .ResolveAsync(async c => await LedgerPaging.PageAsync(c, OrganizationId(c), WalletGrain(c)));
            t.Field("topUpsThisMonth", "Int!").ResolveAsync(async c =>
            {
                // Used-up packs count too: the cap is on packs bought, not on packs with credits left.
                var now = c.Clock().GetUtcNow();
                var grants = await WalletGrain(c).GetGrants(includeDepleted: true);
                return grants.Count(g => g.Source == GrantSource.TopUp && g.EffectiveAt.Year == now.Year && g.EffectiveAt.Month == now.Month);
            });
        });
        builder.Object("Organization", t => t.Field("wallet", "Wallet!").ResolveAsync(Wallet));

        builder.InputObject("GrantCreditsInput", t =>
        {
            t.Field("organizationId", "ID!");
            t.Field("amount", "Credits!");
            t.Field("source", "GrantSource!", f => f.DefaultValueLiteral("ADJUSTMENT"));
            t.Field("priority", "Int", f => f.DefaultValue(10).Description("Lower burns first; plan credits use 0."));
            t.Field("expiresAt", "DateTime");
            t.Field("idempotencyKey", "String!", f => f.Description("Unique forever per wallet: a replay returns the original grant."));
            t.Field("reason", "String");
        });
        UserErrors.DeclarePayload(builder, "GrantPayload", "grant", "CreditGrant");
        ChangedObjects.DeclareOrganization(builder, "GrantPayload");
        builder.Object("Mutation", t => t.Field("grantCredits", "GrantPayload!").Argument("input", "GrantCreditsInput!")
            .Description("Platform admins only (others: FORBIDDEN field error). Codes: NOT_FOUND, INVALID_AMOUNT (at most 10^9 credits in the wallet in all), INVALID_EXPIRY (expiresAt not in the future), REASON_TOO_LONG (over 500 characters; the reason goes to the organization's audit log), INVALID_REASON (control characters, line separators or bidi controls in the reason), IDEMPOTENCY_KEY_REUSED, INVALID_IDEMPOTENCY_KEY (1 to 200 characters, no control characters, line separators or bidi controls, and not starting with plan:, pack: or hold:, which the platform keeps for its own grants and holds).")
            .ResolveAsync(c => UserErrors.Mutate(c, () => GrantCredits(c))));
    }

    private const string ScopedIdDescription = "Unique across organizations: the wallet's own number for it, a dot, and the organization's id.";

    /// <summary>What the Wallet type's fields read: the organization and one snapshot of its wallet.</summary>
    private sealed record WalletContext(string OrganizationId, WalletSnapshot Snapshot);

    private static WalletSnapshot Snapshot(ResolveFieldContext c) => ((WalletContext)c.Parent!).Snapshot;

    private static string OrganizationId(ResolveFieldContext c) => ((WalletContext)c.Parent!).OrganizationId;

    private static ICreditWalletGrain WalletGrain(ResolveFieldContext c) => c.Grain<ICreditWalletGrain>(OrganizationId(c));

    private static async Task<object> Wallet(ResolveFieldContext c)
    {
        var organization = c.GetParent<OrganizationView>()!;
        var role = await c.Grain<IOrganizationGrain>(organization.Id).GetRole(c.Caller().UserId);
        if (role is not { } actual || !PermissionMatrix.Allows(actual, Permission.ViewBilling))
            throw new GraphQLException("You are not allowed to see the credits.", UserErrorCodes.Forbidden);
        return new WalletContext(organization.Id, await c.Grain<ICreditWalletGrain>(organization.Id).Get());
    }

    /// <summary>grantCredits' reason goes to the audit log: a sentence, not a document.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>
    /// The wallet's refusal, blamed on the input field that caused it. The wallet answers INVALID_AMOUNT
    /// for an expiry that has passed too (it checks both at once): that one is INVALID_EXPIRY here.
    /// </summary>
    private static async Task<UserErrorException> GrantRefusal(DebitResult result, DateTimeOffset? expiresAt, DateTimeOffset now, ICreditWalletGrain wallet) => result.Code switch
    {
        WalletErrorCodes.IdempotencyKeyReused => new(result.Code, "This idempotency key was used for a different grant.", ["input", "idempotencyKey"]),
        WalletErrorCodes.InvalidKey => new(result.Code, "idempotencyKey must be 1 to 200 characters.", ["input", "idempotencyKey"]),
        WalletErrorCodes.InvalidAmount when expiresAt <= now => new(UserErrorCodes.InvalidExpiry, "expiresAt must be in the future.", ["input", "expiresAt"]),
        // The cap counts what the grants hold, what reservations keep of it included, not only what is available.
        _ => new(result.Code!, $"The amount must be more than 0, and the wallet's grants may hold at most {NanoCredits.Format(NanoCredits.MaxAmount)} credits in all, "
            + $"reserved credits included (they hold {NanoCredits.Format((await wallet.Get()).Grants.Sum(g => g.RemainingNanoCredits))} now).", ["input", "amount"]),
    };

    private static async Task<object?> GrantCredits(ResolveFieldContext c)
    {
        if (!c.Caller().IsPlatformAdmin) throw UserErrorException.Forbidden("grant credits (platform admins only)");
        var input = Input(c);
        var organizationId = Text(input, "organizationId");
        var organization = Organization(c, organizationId, "input", "organizationId");
        if (!await organization.Exists()) throw UserErrors.NotFound("Organization", "input", "organizationId");

        var key = Text(input, "idempotencyKey") ?? "";
        if (ReservedKeys.IsReserved(key)) throw new UserErrorException(WalletErrorCodes.InvalidKey, ReservedKeys.Explanation, ["input", "idempotencyKey"]);
        if (!KeyText.IsPlainLine(key)) throw new UserErrorException(WalletErrorCodes.InvalidKey, $"idempotencyKey must not contain {KeyText.Refused}.", ["input", "idempotencyKey"]);
        var reason = Text(input, "reason");
        if (reason?.Length > MaxReasonLength)
            throw new UserErrorException(UserErrorCodes.ReasonTooLong, $"reason must be at most {MaxReasonLength} characters.", ["input", "reason"]);
        // The reason shows in the audit log beside the grant: one plain line, as keys are.
        if (reason is not null && !KeyText.IsPlainLine(reason))
            throw new UserErrorException(UserErrorCodes.InvalidReason, "reason must be one line of text, without control characters or characters that reorder text (bidi controls).", ["input", "reason"]);
        var wallet = c.Grain<ICreditWalletGrain>(organizationId!);
        var expiresAt = input.TryGetValue("expiresAt", out var expires) ? expires as DateTimeOffset? : null;
        var source = (GrantSource)input["source"]!;
        var amountNanoCredits = (long)input["amount"]!;
        var result = await wallet.Grant(key, source, amountNanoCredits, input.TryGetValue("priority", out var priority) && priority is int p ? p : 10, expiresAt);
        if (result.Status == DebitStatus.Rejected) throw await GrantRefusal(result, expiresAt, c.Clock().GetUtcNow(), wallet);
        if (result.EntryId is { } entryId)
        {
            // Who granted what, and why, for the organization's owners and admins. A replay records it too, under
            // the same id (the grant's ledger entry) and time: if the first attempt failed after the wallet had
            // the grant, its retry writes the event; otherwise the log already holds it and keeps it once.
            var details = $"{NanoCredits.Format(amountNanoCredits)} {NameConventions.ToConstantCase(source.ToString())} credits (key {key})" + (reason is null ? "" : $": {reason}");
            await AuditTrail.AppendAsync(c, organizationId!, EntityIds.Derived(EntityIds.AuditEventPrefix, $"credits.granted|{organizationId}|{entryId}"),
                result.At ?? c.Clock().GetUtcNow(), "credits.granted", "Organization", organizationId!, details);
        }
        // A replay answers the original grant, even one used up or expired since (as grants(includeDepleted: true) lists it).
        if ((await LedgerPaging.FindAsync(wallet, result.EntryId))?.Fundings is not [{ GrantId: var grantId }, ..]) return null;
        return (await wallet.GetGrants(includeDepleted: true)).FirstOrDefault(g => g.Id == grantId) is { } grant
            ? new InOrganization(WalletItemIds.Scoped(organizationId!, grant), organizationId!) : null;
    }
}
