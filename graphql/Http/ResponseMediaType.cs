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
            double quality = mediaType.Quality ?? 1;
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

    /// <summary>True for a browser navigating to the endpoint (it asks for HTML first).</summary>
    public static bool IsBrowserNavigation(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var mediaTypes)
        && mediaTypes.Count > 0
        && mediaTypes[0].MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase);
}
