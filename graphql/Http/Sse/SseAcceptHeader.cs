using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace OrgActors.GraphQL.Http.Sse;

/// <summary>Decides from the Accept header whether a client asks for an event stream.</summary>
internal static class SseAcceptHeader
{
    public const string EventStream = "text/event-stream";

    /// <summary>
    /// True when text/event-stream is listed with a quality above zero and no other concrete media type
    /// is preferred to it (higher quality, or the same quality listed earlier). Wildcards do not count:
    /// <c>*/*</c> alone is a plain request. So "text/event-stream" is claimed, while
    /// "application/json, text/event-stream" stays with the JSON endpoint.
    /// </summary>
    public static bool PrefersEventStream(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0) return false;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var mediaTypes)) return false;

        double? eventStreamQuality = null;
        int eventStreamIndex = -1;
        for (int i = 0; i < mediaTypes.Count; i++)
        {
            var mediaType = mediaTypes[i];
            if (mediaType.MediaType.Equals(EventStream, StringComparison.OrdinalIgnoreCase))
            {
                double quality = ResponseMediaType.QualityOf(mediaType);
                if (eventStreamQuality is null || quality > eventStreamQuality)
                {
                    eventStreamQuality = quality;
                    eventStreamIndex = i;
                }
            }
        }

        if (eventStreamQuality is not { } best || best <= 0) return false;
        for (int i = 0; i < mediaTypes.Count; i++)
        {
            var mediaType = mediaTypes[i];
            if (mediaType.MatchesAllTypes || mediaType.MatchesAllSubTypes) continue;
            if (mediaType.MediaType.Equals(EventStream, StringComparison.OrdinalIgnoreCase)) continue;
            double quality = ResponseMediaType.QualityOf(mediaType);
            if (quality > best || (quality == best && i < eventStreamIndex)) return false;
        }

        return true;
    }
}
