using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrgActors.GraphQL;
using OrgActors.Runtime;
using OrgActors.Runtime.Storage;

namespace OrgActors.Api.Http;

/// <summary>
/// An endpoint filter for the HTTP endpoints that reach grains (metering, logos): when the silo cannot serve a request now (the store
/// failed or did not answer, a grain could not activate, the silo is stopping), the caller gets a 503
/// problem with Retry-After instead of a bare 500. Every metering operation is idempotent by its id, so
/// sending the same request again is safe: what was applied answers DUPLICATE, the rest is applied.
/// </summary>
internal static class ServiceUnavailable
{
    public const string Code = "SERVICE_UNAVAILABLE";

    /// <summary>Seconds a client should wait before sending the request again.</summary>
    public const int RetryAfterSeconds = 1;

    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        AnswerAsync(context, next, ". Part of it may have been applied: send the same request again, with the same ids; what was applied answers as a duplicate.");

    /// <summary>The same for the logo endpoints: setting or removing a logo again leaves the same logo.</summary>
    public static ValueTask<object?> ForLogos(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        AnswerAsync(context, next, "; send it again shortly.");

    /// <param name="advice">What the caller should do, after the sentence that says why the request was not served.</param>
    private static async ValueTask<object?> AnswerAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string advice)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (IsTransient(exception) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            if (Throttle.TryEnter(out int heldBack))
            {
                context.HttpContext.RequestServices.GetService<ILoggerFactory>()?.CreateLogger("OrgActors.Api.Http.ServiceUnavailable")
                    .LogWarning("{Method} {Path} answered 503: the silo could not serve it now ({Error}); {HeldBack} more such answers since the last line",
                        context.HttpContext.Request.Method, context.HttpContext.Request.Path, Describe(exception), heldBack);
            }
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // A call that timed out points at load as much as at the store: say so, rather than blame the store alone.
            var cause = exception is GrainCallTimeoutException ? "it did not answer in time: it is overloaded, or its store is slow" : "its store failed or did not answer";
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, Code, $"The silo could not serve this request now ({cause}){advice}");
        }
    }

    /// <summary>
    /// GraphQL's form of the same answer: a field error with code SERVICE_UNAVAILABLE rather than
    /// INTERNAL_SERVER_ERROR (for <see cref="OrgActors.GraphQL.Server.GraphQLExecutorOptions.TranslateException"/>); null for anything else.
    /// </summary>
    public static GraphQLException? ForGraphQL(Exception exception, ILogger logger)
    {
        if (!IsTransient(exception)) return null;
        if (Throttle.TryEnter(out int heldBack))
            logger.LogWarning("A GraphQL field answered {Code}: the silo could not serve it now ({Error}); {HeldBack} more such answers since the last line", Code, Describe(exception), heldBack);
        return new GraphQLException("The silo could not serve this field now (its store failed or did not answer); try again shortly. "
            + "A mutation may have been applied: read before repeating one that takes no idempotency key.", Code, innerException: exception);
    }

    /// <summary>
    /// One warning a second at most: an outage fails every request alike, and each line said the same. The
    /// cause goes in one line without the stack trace, which for these expected failures says nothing new.
    /// </summary>
    private static readonly OrgActors.Runtime.Diagnostics.LogThrottle Throttle = new(TimeSpan.FromSeconds(1));

    /// <summary>The failure and what caused it, in one line.</summary>
    private static string Describe(Exception exception) =>
        exception.InnerException is { } cause && cause.Message != exception.Message
            ? $"{exception.GetType().Name}: {exception.Message} <- {cause.GetType().Name}: {cause.Message}"
            : $"{exception.GetType().Name}: {exception.Message}";

    private static bool IsTransient(Exception exception) => exception is GrainStorageException or InconsistentStateException
        or GrainCallTimeoutException or GrainActivationException or SiloUnavailableException;
}
