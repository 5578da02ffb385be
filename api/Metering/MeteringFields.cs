using OrgActors.GrainInterfaces.Credits;

namespace OrgActors.Api.Metering;

/// <summary>
/// The checks of metering fields shared by the JSON bodies and the GraphQL input, whatever carried them;
/// <c>path</c> names the field in the error (e.g. <c>events[3].id</c>, <c>input.id</c>).
/// </summary>
public static class MeteringFields
{
    public static string? Bounded(string? text, string path, int maxLength) =>
        text is null || text.Length <= maxLength ? text : throw TooLong(path, maxLength);

    public static string Required(string? text, string path, int maxLength) =>
        Bounded(text, path, maxLength) is { Length: > 0 } present ? present : throw Missing(path);

    /// <summary>An optional id (workspace, reservation): null is none, but an empty string names nothing.</summary>
    public static string? OptionalId(string? text, string path, int maxLength) =>
        Bounded(text, path, maxLength) is { Length: 0 } ? throw Empty(path) : text;

    /// <summary>
    /// A usage event's id is the idempotency key of its debit, so the platform's own key prefixes (plan:,
    /// pack:, hold:) are refused: an event must not take the key of a plan grant or of a hold.
    /// </summary>
    public static MeteringInputException ReservedId(string path, string id) => new($"{path} '{id}' is not allowed: {ReservedKeys.Explanation}");

    /// <summary>A usage event's or reservation's id, which becomes a wallet key: not reserved, and one plain line (<see cref="KeyText"/>).</summary>
    public static string Key(string id, string path)
    {
        if (ReservedKeys.IsReserved(id)) throw ReservedId(path, id);
        return Printable(id, path)!;
    }

    /// <summary>
    /// Text the ledger and the logs show (a key, a model, the reservation an event settles): one plain line
    /// (<see cref="KeyText.IsPlainLine"/>), which cannot forge or disguise lines there. Null stays null.
    /// </summary>
    public static string? Printable(string? text, string path) =>
        text is not null && !KeyText.IsPlainLine(text) ? throw new MeteringInputException($"{path} must not contain {KeyText.Refused}.") : text;

    /// <summary>Null, or one of <paramref name="allowed"/> (as the list's own string).</summary>
    public static string? OptionalChoice(string? text, string path, IReadOnlyList<string> allowed)
    {
        if (text is null) return null;
        foreach (var choice in allowed)
        {
            if (choice == text) return choice;
        }
        throw NotAChoice(path, allowed);
    }

    public static MeteringInputException TooLong(string path, int maxLength) => new($"{path} must be at most {maxLength} characters.");

    public static MeteringInputException Missing(string path) => new($"{path} is required.");

    public static MeteringInputException Empty(string path) => new($"{path} must not be empty: omit it or send null for none.");

    public static MeteringInputException NotAChoice(string path, IReadOnlyList<string> allowed) =>
        new($"{path} must be {(allowed.Count == 1 ? allowed[0] : "one of " + string.Join(", ", allowed))} when present.");

    public static MeteringInputException BadQuantity(string path, string range) =>
        new($"{path} must be a whole number of the meter's units (tokens, bytes, runs), {range}.");

    public static MeteringInputException QuantityTooLarge(string path) =>
        new($"{path} is too large: at most {long.MaxValue} of the meter's units.");
}
