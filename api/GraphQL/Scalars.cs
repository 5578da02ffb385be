using System.Globalization;
using OrgActors.GrainInterfaces;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>The API's custom scalars.</summary>
public static class Scalars
{
    public static void Declare(SchemaBuilder builder) =>
        builder.Scalar("DateTime", s => s
            .Description("An instant as an RFC 3339 string in UTC, e.g. 2026-11-22T10:00:00.000Z.")
            .SpecifiedBy("https://scalars.graphql.org/andimarek/date-time")
            .Serialize(value => value switch
            {
                DateTimeOffset instant => Format(instant),
                DateTime time => Instants.ToText(time),
                _ => throw new GraphQLException("DateTime cannot represent " + value.GetType().Name + "."),
            })
            .ParseValue(value => ParseInstant(value as string))
            .ParseLiteral(node => ParseInstant((node as StringValueNode)?.Value)));

    /// <summary>An instant as the DateTime scalar writes it, for HTTP endpoints that answer in the same format.</summary>
    public static string Format(DateTimeOffset instant) => Instants.ToText(instant);

    /// <summary>
    /// Exactly RFC 3339's date-time, as <c>POST /v1/usage</c> reads <c>occurredAt</c>: an offset is required
    /// (no guessing the time zone), seconds too, and <c>t</c> and <c>z</c> may be lower case.
    /// </summary>
    private static DateTimeOffset ParseInstant(string? text)
    {
        if (text is { Length: <= Metering.Rfc3339.MaxLength } && Metering.Rfc3339.IsDateTime(System.Text.Encoding.UTF8.GetBytes(text))
            && DateTimeOffset.TryParse(text.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
            return instant.ToUniversalTime();
        throw new GraphQLException("DateTime must be an RFC 3339 date-time with an offset, such as 2026-11-22T10:00:00Z.", ErrorCodes.BadUserInput);
    }
}
