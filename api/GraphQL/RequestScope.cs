using OrgActors.Api.Authentication;
using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.Runtime;

namespace OrgActors.Api.GraphQL;

/// <summary>What a resolver knows of its request: the authenticated caller and the grain factory.</summary>
public static class RequestScope
{
    /// <summary>The per-request item the HTTP layer sets to the authenticated <see cref="Caller"/>.</summary>
    public const string CallerItem = "orgactors.caller";

    public static Caller? CallerOrNull(this ResolveFieldContext context) =>
        context.Items.TryGetValue(CallerItem, out var caller) ? caller as Caller : null;

    /// <summary>Set when the request carried a bearer token that was refused (the UNAUTHENTICATED error then says so).</summary>
    public const string TokenRefusedItem = "orgactors.token-refused";

    /// <summary>Set when the request's bearer token could not be checked for want of its issuer's keys.</summary>
    public const string KeysUnavailableItem = "orgactors.keys-unavailable";

    /// <summary>The caller, or an UNAUTHENTICATED field error (SERVICE_UNAVAILABLE when the token could not be checked: not the caller's fault).</summary>
    public static Caller Caller(this ResolveFieldContext context) =>
        context.CallerOrNull() ?? throw (context.Items.ContainsKey(KeysUnavailableItem)
            ? new GraphQLException(HttpContextAuthenticationExtensions.KeysUnavailableMessage, Http.ServiceUnavailable.Code)
            : new GraphQLException(
                context.Items.ContainsKey(TokenRefusedItem) ? HttpContextAuthenticationExtensions.RefusedTokenMessage : HttpContextAuthenticationExtensions.MissingTokenMessage,
                UserErrorCodes.Unauthenticated));

    public static IGrainFactory Grains(this ResolveFieldContext context) => context.GetRequiredService<IGrainFactory>();

    public static T Grain<T>(this ResolveFieldContext context, string key) where T : IGrainWithStringKey =>
        context.Grains().GetGrain<T>(key);

    /// <summary>The host's clock (the system's unless a test registered another), as the grains see it.</summary>
    public static TimeProvider Clock(this ResolveFieldContext context) =>
        context.Services.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
}
