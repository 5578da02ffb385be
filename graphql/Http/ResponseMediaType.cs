using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OrgActors.GraphQL.Http;

/// <summary>The two response media types of GraphQL over HTTP, chosen from the Accept header.</summary>
public static class ResponseMediaType
{
    public const string GraphQLResponseJson = "application/graphql-response+json";
    public const string Json = "application/json";

    /// <summary>
    /// The preferred acceptable type by quality (ties: graphql-response+json first); no Accept header,
    /// or only wildcards, gives application/json; null when nothing acceptable was asked for.
    /// </summary>
    public static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString())) return Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var mediaTypes)) return Json;

        string? best = null;
        double bestQuality = 0;
        foreach (var mediaType in mediaTypes)
        {
            double quality = QualityOf(mediaType);
            if (quality <= 0) continue;
            string? candidate =
                mediaType.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase) ? GraphQLResponseJson
                : mediaType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase) ? Json
                : mediaType.MatchesAllTypes || (mediaType.MatchesAllSubTypes && mediaType.Type.Equals("application", StringComparison.OrdinalIgnoreCase)) ? Json
                : null;
            if (candidate is null) continue;
            if (quality > bestQuality || (quality == bestQuality && candidate == GraphQLResponseJson && best != GraphQLResponseJson && !mediaType.MatchesAllTypes))
            {
                best = candidate;
                bestQuality = quality;
            }
        }
        return best;
    }

    /// <summary>
    /// The q parameter (1 when absent). A malformed one ("q=abc") counts as 1: the header's getter would
    /// throw, and a client's typo must not become a 500.
    /// </summary>
    public static double QualityOf(MediaTypeHeaderValue mediaType)
    {
        foreach (var parameter in mediaType.Parameters)
        {
            if (!parameter.Name.Equals("q", StringComparison.OrdinalIgnoreCase)) continue;
            return double.TryParse(parameter.Value.Value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var quality)
                && quality is >= 0 and <= 1 ? quality : 1;
        }
        return 1;
    }

    /// <summary>True for a browser navigating to the endpoint (it asks for HTML first).</summary>
    public static bool IsBrowserNavigation(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var mediaTypes)
        && mediaTypes.Count > 0
        && mediaTypes[0].MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase);
}
