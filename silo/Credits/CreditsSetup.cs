using System.Globalization;
using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Silo.Credits;

/// <summary>
/// The credit catalog (the rate card, plans and packs) from the silo's <c>Credits</c> section, laid over the
/// defaults (<see cref="CreditCatalog.Default"/>, the product's billing page). Each entry replaces the default
/// with the same key (a rate's meter, node type and model; a plan's or a pack's id) and any other is added, so
/// that one model's own price is one entry. Every key is checked: a typo would otherwise leave a default price
/// charged in silence.
/// </summary>
public static class CreditsSetup
{
    public const string Section = "Credits";

    /// <summary>Entries of each list at most: a catalog is a page of prices, not a database.</summary>
    public const int MaxRates = 200;
    public const int MaxPlans = 20;
    public const int MaxPacks = 20;
    public const int MaxQuotasPerPlan = 10;
    private const int MaxNameLength = 100;
    private const int MaxModelLength = 200;
    private const int MaxUnitLength = 20;

    private static readonly string[] SectionKeys = ["Rates", "Plans", "Packs", "MaxPacksPerMonth", "DefaultPlan"];
    private static readonly string[] RateKeys = ["Meter", "NodeType", "Model", "Credits", "Unit", "UnitSize"];
    private static readonly string[] PlanKeys = ["Id", "Name", "MonthlyCredits", "YearlyCredits", "MonthlyPriceCents", "YearlyPriceCents", "Currency", "Quotas"];
    private static readonly string[] QuotaKeys = ["Meter", "Limit", "Period"];
    private static readonly string[] PackKeys = ["Id", "Credits", "PriceCents", "Currency"];
    private static readonly string[] ListKeys = ["Rates", "Plans", "Packs", "Quotas"];

    /// <summary>Null when the section makes a usable catalog, else one line naming the first setting that does not.</summary>
    public static string? FindProblem(IConfiguration configuration)
    {
        try
        {
            var problems = Build(configuration).Validate();
            return problems.Count == 0 ? null : $"{Section}: {problems[0]}.";
        }
        catch (CatalogSettingException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>The catalog the silo serves; <see cref="FindProblem"/> has accepted the section.</summary>
    public static CreditCatalog Build(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        CheckKeys(section, SectionKeys);
        var defaults = CreditCatalog.Default;
        var rates = Merge(defaults.Rates, section.GetSection("Rates"), MaxRates, ReadRate,
            r => $"the rate of {r.Meter} on {r.NodeType.ToString().ToUpperInvariant()} nodes{(r.Model is null ? "" : $" for model '{r.Model}'")}");
        var plans = Merge(defaults.Plans, section.GetSection("Plans"), MaxPlans, ReadPlan, p => $"plan '{p.Id}'");
        var packs = Merge(defaults.Packs, section.GetSection("Packs"), MaxPacks, ReadPack, p => $"pack '{p.Id}'");
        int maxPacks = section["MaxPacksPerMonth"] is { } text ? Int(section.GetSection("MaxPacksPerMonth"), text) : defaults.MaxPacksPerMonth;
        var defaultPlan = section["DefaultPlan"] is not null ? Name(section, "DefaultPlan") : defaults.DefaultPlanId;
        if (!plans.Any(p => p.Id == defaultPlan)) throw Problem(section.GetSection("DefaultPlan"), $"'{defaultPlan}' is not among the plans");
        return new CreditCatalog(plans, packs, maxPacks, rates, defaultPlan);
    }

    public static void AddCreditCatalog(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(Build(configuration));

    /// <summary>For the start-up log: whether prices differ from the defaults.</summary>
    public static string Describe(IConfiguration configuration) =>
        configuration.GetSection(Section).Exists() ? $"the defaults with the {Section} section over them" : "the defaults (set the Credits section to change them)";

    private static Rate ReadRate(IConfigurationSection item)
    {
        CheckKeys(item, RateKeys);
        var meter = Name(item, "Meter");
        var nodeType = Required(item, "NodeType").ToUpperInvariant() switch
        {
            "PUBLIC" => NodeType.Public,
            "PRIVATE" => NodeType.Private,
            _ => throw Problem(item.GetSection("NodeType"), "must be PUBLIC or PRIVATE"),
        };
        // Trimmed as every value is, and compared exactly (case included) with the model a usage names.
        var model = item["Model"] is { } text ? Text(item.GetSection("Model"), text.Trim(), MaxModelLength) : null;
        long unitSize = item["UnitSize"] is { } size ? Long(item.GetSection("UnitSize"), size, minimum: 1) : 1;
        return new Rate(meter, nodeType, model, Credits(item, "Credits"), Text(item.GetSection("Unit"), Required(item, "Unit"), MaxUnitLength), unitSize);
    }

    private static Plan ReadPlan(IConfigurationSection item)
    {
        CheckKeys(item, PlanKeys);
        var quotas = Items(item.GetSection("Quotas"), MaxQuotasPerPlan).Select(quota =>
        {
            CheckKeys(quota, QuotaKeys);
            return new Quota(Name(quota, "Meter"), Long(quota.GetSection("Limit"), Required(quota, "Limit"), minimum: 0), Required(quota, "Period").ToUpperInvariant());
        }).ToList();
        foreach (var (quota, index) in quotas.Select((q, i) => (q, i)))
        {
            if (quota.Period is not (Quota.Month or Quota.Year)) throw Problem(item.GetSection($"Quotas:{index}:Period"), $"'{quota.Period}' must be {Quota.Month} or {Quota.Year}");
            if (quotas.Take(index).Any(q => q.Meter == quota.Meter)) throw Problem(item.GetSection($"Quotas:{index}"), $"counts {quota.Meter} again, as a quota before it did");
        }
        var monthlyCredits = OptionalCredits(item, "MonthlyCredits");
        var yearlyCredits = OptionalCredits(item, "YearlyCredits");
        if (monthlyCredits is null && yearlyCredits is null) throw Problem(item, "grants no credits: give MonthlyCredits, YearlyCredits or both");
        var monthlyPrice = OptionalCents(item, "MonthlyPriceCents");
        var yearlyPrice = OptionalCents(item, "YearlyPriceCents");
        if (monthlyPrice > 0 && monthlyCredits is null) throw Problem(item.GetSection("MonthlyPriceCents"), "prices a period the plan grants no credits for (no MonthlyCredits)");
        if (yearlyPrice > 0 && yearlyCredits is null) throw Problem(item.GetSection("YearlyPriceCents"), "prices a period the plan grants no credits for (no YearlyCredits)");
        return new Plan(Name(item, "Id"), Text(item.GetSection("Name"), Required(item, "Name"), MaxNameLength),
            monthlyCredits, yearlyCredits, monthlyPrice, yearlyPrice, Currency(item), quotas);
    }

    private static CreditPack ReadPack(IConfigurationSection item)
    {
        CheckKeys(item, PackKeys);
        long credits = Credits(item, "Credits");
        if (credits == 0) throw Problem(item.GetSection("Credits"), "must be more than 0");
        return new CreditPack(Name(item, "Id"), credits, OptionalCents(item, "PriceCents") ?? throw Problem(item.GetSection("PriceCents"), "is required"), Currency(item));
    }

    /// <summary>
    /// The defaults in their order, each replaced by the configured entry with its key, then the new entries in the
    /// order given; two configured entries with one key are refused (which one was meant?).
    /// </summary>
    private static List<T> Merge<T>(IEnumerable<T> defaults, IConfigurationSection list, int maxCount, Func<IConfigurationSection, T> read, Func<T, string> key)
    {
        var merged = defaults.ToList();
        var configuredKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in Items(list, maxCount))
        {
            var entry = read(item);
            if (!configuredKeys.Add(key(entry))) throw Problem(item, $"sets {key(entry)} again, as an entry before it did");
            int index = merged.FindIndex(existing => key(existing) == key(entry));
            if (index >= 0) merged[index] = entry;
            else merged.Add(entry);
        }
        return merged;
    }

    /// <summary>The entries of a list (Credits:Rates:0, Credits:Rates:1, ...), at most <paramref name="maxCount"/>.</summary>
    private static IReadOnlyList<IConfigurationSection> Items(IConfigurationSection list, int maxCount)
    {
        var items = list.GetChildren().ToList();
        if (list.Value is { Length: > 0 }) throw Problem(list, $"is a list: give its entries as {list.Path}:0:<Name>, {list.Path}:1:<Name> and so on");
        if (items.Count > maxCount) throw Problem(list, $"has {items.Count} entries; at most {maxCount}");
        foreach (var item in items)
        {
            if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw Problem(item, "is not read: entries of a list are numbered from 0");
        }
        return items;
    }

    /// <summary>Every key is one of <paramref name="keys"/>, and every one but the lists holds one value: a price given as a section would be read as none.</summary>
    private static void CheckKeys(IConfigurationSection section, string[] keys)
    {
        foreach (var child in section.GetChildren())
        {
            if (!keys.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                throw new CatalogSettingException($"{child.Path} is not a setting; {section.Path} has {string.Join(", ", keys)}.");
            if (!ListKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase) && child.GetChildren().FirstOrDefault() is { } part)
                throw new CatalogSettingException($"{child.Path} is one value, not a section or a list: {part.Path} is not read.");
        }
    }

    private static string Required(IConfigurationSection item, string key) =>
        item[key] is { Length: > 0 } text ? text.Trim() : throw Problem(item.GetSection(key), "is required");

    /// <summary>A meter or an id: lower-case letters, digits and . _ - (as the defaults' ai.tokens_out, org-free).</summary>
    private static string Name(IConfigurationSection item, string key)
    {
        var text = Required(item, key);
        if (text.Length > MaxNameLength || !text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-'))
            throw Problem(item.GetSection(key), $"'{Shown(text)}' must be 1 to {MaxNameLength} of a-z, 0-9, '.', '_' and '-'");
        return text;
    }

    private static string Text(IConfigurationSection setting, string text, int maxLength) =>
        text.Length is > 0 && text.Length <= maxLength && !KeyText.HasControlCharacter(text) ? text
            : throw Problem(setting, $"must be 1 to {maxLength} characters without control characters");

    private static long Credits(IConfigurationSection item, string key) =>
        NanoCredits.TryParse(Required(item, key), out var nanoCredits) ? nanoCredits
            : throw Problem(item.GetSection(key), $"'{Shown(item[key]!)}' is not an amount of credits (a decimal such as 10 or 0.001, at most 9 fraction digits, at most 1000000000)");

    private static long? OptionalCredits(IConfigurationSection item, string key) => item[key] is { Length: > 0 } ? Credits(item, key) : null;

    private static int? OptionalCents(IConfigurationSection item, string key) =>
        item[key] is { Length: > 0 } text ? Int(item.GetSection(key), text) : null;

    private static string Currency(IConfigurationSection item)
    {
        var currency = item["Currency"] is { Length: > 0 } text ? text.Trim().ToUpperInvariant() : "USD";
        return currency.Length == 3 && currency.All(char.IsAsciiLetterUpper) ? currency : throw Problem(item.GetSection("Currency"), "must be a three-letter currency code such as USD");
    }

    private static int Int(IConfigurationSection setting, string text) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw Problem(setting, $"'{Shown(text)}' must be a whole number from 0 to {int.MaxValue}");

    private static long Long(IConfigurationSection setting, string text, long minimum) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum ? value
            : throw Problem(setting, $"'{Shown(text)}' must be a whole number from {minimum} to {long.MaxValue}");

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static CatalogSettingException Problem(IConfigurationSection setting, string what) => new($"{setting.Path} {what}.");

    private sealed class CatalogSettingException(string message) : Exception(message);
}
