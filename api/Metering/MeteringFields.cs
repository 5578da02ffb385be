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

    public static MeteringInputException TooLong(string path, int maxLength) => new($"{path} must be at most {maxLength} characters.");

    public static MeteringInputException Missing(string path) => new($"{path} is required.");

    public static MeteringInputException BadQuantity(string path, string range) =>
        new($"{path} must be a whole number of the meter's units (tokens, bytes, runs), {range}.");
}
