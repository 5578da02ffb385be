using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Grains.Credits;

/// <summary>Turns a metered quantity into nano-credits with the rate card, exactly.</summary>
public static class Rating
{
    /// <summary>
    /// The charge of a quantity of the meter's base units (tokens, bytes), rounded up to the next
    /// nano-credit so that no fraction is given away; null when it would exceed <see cref="NanoCredits.MaxAmount"/>.
    /// Usage with the customer's own provider key (BYO) is charged nothing.
    /// </summary>
    public static long? Charge(Rate rate, long quantity, bool byoKey = false)
    {
        if (quantity < 0) return null;
        if (byoKey) return 0;
        var product = (Int128)quantity * rate.PerUnitNanoCredits;
        var charge = (product + rate.UnitSize - 1) / rate.UnitSize;
        return charge > NanoCredits.MaxAmount ? null : (long)charge;
    }
}
