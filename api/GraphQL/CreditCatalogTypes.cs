using Microsoft.Extensions.DependencyInjection;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.GraphQL;

/// <summary>The public price list: plans, credit packs and the rate card, plus the exact <c>Credits</c> scalar.</summary>
public static class CreditCatalogTypes
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Scalar("Credits", s => s
            .Description("An exact amount of credits as a decimal string with up to 9 fraction digits, e.g. \"12.5\" or \"0.00005\".")
            .Serialize(value => value is long nanoCredits ? NanoCredits.Format(nanoCredits) : throw new GraphQLException("Credits cannot represent " + value.GetType().Name + "."))
            .ParseValue(value => Parse(value as string))
            .ParseLiteral(node => Parse((node as StringValueNode)?.Value)));
        builder.Enum<BillingPeriod>();
        builder.Enum<NodeType>();

        builder.Object("Quota", t =>
        {
            t.Description("A usage allowance counted without credits, e.g. workflow runs per month.");
            t.Field("meter", "String!");
            t.Field("limit", "Float!", c => (double)c.GetParent<Quota>()!.Limit);
            t.Field("period", "String!");
        });
        builder.Object("Plan", t =>
        {
            t.Field("id", "ID!").Description("individual, org-free, starter, growth or scale by default.");
            t.Field("name", "String!");
            t.Field("monthlyCredits", "Credits", c => c.GetParent<Plan>()!.MonthlyCreditsNano);
            t.Field("yearlyCredits", "Credits", c => c.GetParent<Plan>()!.YearlyCreditsNano);
            t.Field("monthlyPriceCents", "Int");
            t.Field("yearlyPriceCents", "Int");
            t.Field("currency", "String!");
            t.Field("quotas", "[Quota!]!");
        });
        builder.Object("CreditPack", t =>
        {
            t.Field("id", "ID!");
            t.Field("credits", "Credits!", c => c.GetParent<CreditPack>()!.CreditsNano);
            t.Field("priceCents", "Int!");
            t.Field("currency", "String!");
        });
        builder.Object("Rate", t =>
        {
            t.Field("meter", "String!");
            t.Field("nodeType", "NodeType!");
            t.Field("model", "String").Description("Set when the rate applies to one model only.");
            t.Field("perUnit", "Credits!", c => c.GetParent<Rate>()!.PerUnitNanoCredits);
            t.Field("unit", "String!").Description("What perUnit is for: token, GB (10^9 bytes)…");
        });
        builder.Object("RateCard", t => t.Field("rates", "[Rate!]!"));

        builder.Object("Query", t =>
        {
            t.Field("plans", "[Plan!]!", c => Catalog(c).Plans).Description("Public: no token needed.");
            t.Field("creditPacks", "[CreditPack!]!", c => Catalog(c).Packs).Description($"Public. At most the catalog's monthly limit per organization (3 by default).");
            t.Field("rateCard", "RateCard!", c => Catalog(c)).Description("Public: what each meter costs per node type.");
        });
    }

    private static CreditCatalog Catalog(ResolveFieldContext context) =>
        context.Services.GetService<CreditCatalog>() ?? CreditCatalog.Default;

    private static long Parse(string? text) =>
        NanoCredits.TryParse(text, out var nanoCredits)
            ? nanoCredits
            : throw new GraphQLException($"Credits must be a decimal string with at most 9 fraction digits, such as \"12.5\", from 0 to {NanoCredits.Format(NanoCredits.MaxAmount)}.", ErrorCodes.BadUserInput);
}
