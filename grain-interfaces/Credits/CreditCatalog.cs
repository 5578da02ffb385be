namespace OrgActors.GrainInterfaces.Credits;

public enum BillingPeriod { Monthly, Yearly }

public enum NodeType { Public, Private }

/// <summary>
/// A usage meter counted against a plan's allowance rather than charged in credits (e.g. workflow runs):
/// at most <see cref="Limit"/> whole units per <see cref="Period"/> (<see cref="Month"/> or <see cref="Year"/>).
/// </summary>
public sealed record Quota(string Meter, long Limit, string Period)
{
    public const string Month = "MONTH";
    public const string Year = "YEAR";
}

/// <summary>A subscription plan: credits granted per billing period and its prices (null when not sold for that period).</summary>
public sealed record Plan(
    string Id,
    string Name,
    long? MonthlyCreditsNano,
    long? YearlyCreditsNano,
    int? MonthlyPriceCents,
    int? YearlyPriceCents,
    string Currency,
    IReadOnlyList<Quota> Quotas)
{
    public bool IsFree => MonthlyPriceCents is null or 0 && YearlyPriceCents is null or 0;
}

public sealed record CreditPack(string Id, long CreditsNano, int PriceCents, string Currency);

/// <summary>
/// The price of one meter on one node type (and optionally one model): <see cref="PerUnitNanoCredits"/>
/// for every <see cref="UnitSize"/> base units of the meter (e.g. 10 credits per GB = 10^9 bytes).
/// </summary>
public sealed record Rate(string Meter, NodeType NodeType, string? Model, long PerUnitNanoCredits, string Unit, long UnitSize);

/// <summary>Plans, packs and rates: configuration, with the defaults of the product's Billing &amp; Credits page.</summary>
public sealed record CreditCatalog(IReadOnlyList<Plan> Plans, IReadOnlyList<CreditPack> Packs, int MaxPacksPerMonth, IReadOnlyList<Rate> Rates, string DefaultPlanId)
{
    public const string TokensOut = "ai.tokens_out";
    public const string EgressBytes = "storage.egress_bytes";
    public const string WorkflowRuns = "workflow.runs";
    public const long BytesPerGigabyte = 1_000_000_000;

    public static CreditCatalog Default { get; } = new(
        Plans:
        [
            new("individual", "Individual", NanoCredits.FromCredits(10), null, null, null, "USD", [new(WorkflowRuns, 100, Quota.Month)]),
            new("org-free", "Organization Free", NanoCredits.FromCredits(40), null, null, null, "USD", [new(WorkflowRuns, 100, Quota.Month)]),
            new("starter", "Starter", NanoCredits.FromCredits(1_100), NanoCredits.FromCredits(15_000), 10_000, 100_000, "USD", [new(WorkflowRuns, 2_500, Quota.Month)]),
            new("growth", "Growth", NanoCredits.FromCredits(9_500), NanoCredits.FromCredits(130_000), 30_000, 300_000, "USD", [new(WorkflowRuns, 10_000, Quota.Month)]),
            new("scale", "Scale", NanoCredits.FromCredits(89_000), NanoCredits.FromCredits(1_125_000), 100_000, 1_000_000, "USD", [new(WorkflowRuns, 50_000, Quota.Month)]),
        ],
        Packs:
        [
            new("pack-100", NanoCredits.FromCredits(100), 2_000, "USD"),
            new("pack-500", NanoCredits.FromCredits(500), 5_000, "USD"),
            new("pack-1000", NanoCredits.FromCredits(1_000), 10_000, "USD"),
        ],
        MaxPacksPerMonth: 3,
        Rates:
        [
            new(EgressBytes, NodeType.Public, null, NanoCredits.FromCredits(10), "GB", BytesPerGigabyte),
            new(TokensOut, NodeType.Public, null, 1_000_000, "token", 1),     // 0.001 credit
            new(EgressBytes, NodeType.Private, null, NanoCredits.FromCredits(1), "GB", BytesPerGigabyte),
            new(TokensOut, NodeType.Private, null, 50_000, "token", 1),       // 0.00005 credit
        ],
        DefaultPlanId: "org-free");

    public Plan? FindPlan(string id) => Plans.FirstOrDefault(p => p.Id == id);

    /// <summary>The rate for a usage: a model's own rate when configured, else the meter's rate for the node type; null for unrated meters.</summary>
    /// <remarks>A loop rather than LINQ: every metered event looks its rate up.</remarks>
    public Rate? FindRate(string meter, NodeType nodeType, string? model)
    {
        Rate? meterRate = null;
        foreach (var rate in Rates)
        {
            if (rate.Meter != meter || rate.NodeType != nodeType) continue;
            if (model is not null && rate.Model == model) return rate;
            if (rate.Model is null) meterRate ??= rate;
        }
        return meterRate;
    }

    /// <summary>Whether usage of the meter may be reported: it has a rate on some node type, or a plan counts it as a quota.</summary>
    public bool IsKnownMeter(string meter)
    {
        foreach (var rate in Rates)
        {
            if (rate.Meter == meter) return true;
        }
        foreach (var plan in Plans)
        {
            foreach (var quota in plan.Quotas)
            {
                if (quota.Meter == meter) return true;
            }
        }
        return false;
    }

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

    /// <summary>Configuration mistakes, one line each (empty when the catalog can be used).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (FindPlan(DefaultPlanId) is null) problems.Add($"the default plan '{DefaultPlanId}' is not among the plans");
        foreach (var duplicate in Plans.GroupBy(p => p.Id).Where(g => g.Count() > 1)) problems.Add($"plan id '{duplicate.Key}' appears twice");
        foreach (var plan in Plans.Where(p => p.MonthlyCreditsNano is null && p.YearlyCreditsNano is null)) problems.Add($"plan '{plan.Id}' grants no credits for any period");
        foreach (var rate in Rates.Where(r => r.PerUnitNanoCredits < 0 || r.UnitSize <= 0)) problems.Add($"rate for {rate.Meter}/{rate.NodeType} must have a non-negative price and a positive unit size");
        // A rated meter is charged on every node type and for every model: a usage no rate covers would be charged nothing.
        foreach (var meter in Rates.Select(r => r.Meter).Distinct())
        {
            foreach (var nodeType in Enum.GetValues<NodeType>().Where(n => !Rates.Any(r => r.Meter == meter && r.NodeType == n && r.Model is null)))
                problems.Add($"meter {meter} has a rate but none for {nodeType.ToString().ToUpperInvariant()} nodes without a model: give one (a model's own rate only overrides it)");
        }
        if (FindPlan(DefaultPlanId) is { } start && (!start.IsFree || start.MonthlyCreditsNano is null))
            problems.Add($"the default plan '{DefaultPlanId}' must be free and grant credits monthly: every new organization starts on it, monthly, without paying");
        foreach (var pack in Packs.Where(p => p.CreditsNano <= 0 || p.PriceCents < 0)) problems.Add($"pack '{pack.Id}' must grant more than 0 credits for a price of 0 or more");
        foreach (var duplicate in Packs.GroupBy(p => p.Id).Where(g => g.Count() > 1)) problems.Add($"pack id '{duplicate.Key}' appears twice");
        foreach (var plan in Plans.Where(p => p.MonthlyPriceCents > 0 && p.MonthlyCreditsNano is null || p.YearlyPriceCents > 0 && p.YearlyCreditsNano is null))
            problems.Add($"plan '{plan.Id}' has a price for a period it grants no credits for");
        foreach (var duplicate in Rates.GroupBy(r => (r.Meter, r.NodeType, r.Model)).Where(g => g.Count() > 1)) problems.Add($"rate for {duplicate.Key} appears twice");
        if (MaxPacksPerMonth < 0) problems.Add("MaxPacksPerMonth must not be negative");
        foreach (var plan in Plans)
        {
            foreach (var quota in plan.Quotas.Where(q => q.Limit < 0 || q.Period is not (Quota.Month or Quota.Year)))
                problems.Add($"quota {quota.Meter} of plan '{plan.Id}' must have a non-negative limit and the period {Quota.Month} or {Quota.Year}");
            foreach (var duplicate in plan.Quotas.GroupBy(q => q.Meter).Where(g => g.Count() > 1)) problems.Add($"quota {duplicate.Key} of plan '{plan.Id}' appears twice");
        }
        return problems;
    }
}
