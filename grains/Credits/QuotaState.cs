namespace OrgActors.Grains.Credits;

/// <summary>What the wallet keeps of its plan's quotas (<see cref="QuotaBook"/>): the meters and the settings they came from.</summary>
public sealed class QuotaState
{
    /// <summary>The <see cref="GrainInterfaces.Credits.QuotaSettings.Revision"/> last applied: older settings arriving late are ignored.</summary>
    public long Revision { get; set; }

    /// <summary>One record per quota meter of the plan, in the plan's order; meters not here are not limited.</summary>
    public List<QuotaMeterRecord> Meters { get; set; } = [];
}

/// <summary>One quota meter: its limit, its current window [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>) and what was used in it.</summary>
public sealed class QuotaMeterRecord
{
    public required string Meter { get; set; }

    /// <summary>Whole units of the meter (runs) per window.</summary>
    public long Limit { get; set; }

    /// <summary>The window's length, as the plan says it: MONTH or YEAR.</summary>
    public string Period { get; set; } = "";

    /// <summary>Where the grid of windows starts: the subscription's run anchor (windows are anchor + k months or years).</summary>
    public DateTimeOffset Anchor { get; set; }

    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }

    /// <summary>Whole units counted in the window. A use that would take it above <see cref="Limit"/> is refused and not counted;
    /// it can only be above the limit when settings lowered the limit within the window.</summary>
    public long Used { get; set; }
}
