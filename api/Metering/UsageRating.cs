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

    /// <summary>
    /// The charge of a usage event as <see cref="Charge"/> rates it, or the code it is refused with (null
    /// when it may be charged): UNKNOWN_METER for a meter that has no rate and that no plan counts as a
    /// quota (usage of it would be recorded for nothing), INVALID_EVENT when the charge would exceed the
    /// largest single amount (but for a settle, charged at most its hold). The meter is looked up among the
    /// quotas only when it has no rate.
    /// </summary>
    public static string? Refusal(CreditCatalog catalog, UsageEvent usage, out long chargeNanoCredits)
    {
        chargeNanoCredits = 0;
        if (catalog.FindRate(usage.Meter, usage.NodeType, usage.Model) is not { } rate)
            return catalog.IsKnownMeter(usage.Meter) ? null : WalletErrorCodes.UnknownMeter;
        if (CreditCatalog.Charge(rate, usage.Quantity, usage.ByoKey) is not { } charge)
        {
            // A settle charges at most its hold, which is at most the largest amount: a larger usage is simply all of it.
            if (usage.ReservationId is null) return WalletErrorCodes.InvalidEvent;
            charge = NanoCredits.MaxAmount;
        }
        chargeNanoCredits = charge;
        return null;
    }
}
