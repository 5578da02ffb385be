using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>What a quantity of a meter costs by the rate card: the one rating rule of usage events and reservations.</summary>
public static class UsageRating
{
    /// <summary>
    /// The charge in nano-credits: 0 for a meter without a rate (a quota meter) or with the customer's own
    /// provider key; null when it would exceed the largest single amount.
    /// </summary>
    public static long? Charge(CreditCatalog catalog, string meter, NodeType nodeType, string? model, long quantity, bool byoKey) =>
        catalog.FindRate(meter, nodeType, model) is { } rate ? CreditCatalog.Charge(rate, quantity, byoKey) : 0;
}
