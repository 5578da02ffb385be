using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrgActors.Api.GraphQL;
using OrgActors.Api.Metering;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.Runtime;

namespace OrgActors.Api.Http;

/// <summary>
/// Reservations (two-phase debits) for metering services:
/// <c>POST /v1/reservations</c> rates an estimated usage with the rate card, exactly as a usage event
/// is rated, and holds that amount in the organization's wallet for <c>ttlSeconds</c>; the reservation
/// id is the hold's idempotency key. A usage event naming it as <c>reservationId</c> settles it.
/// <c>DELETE /v1/reservations/{id}</c> releases it: the reservation directory (<see cref="IReservationDirectoryGrain"/>)
/// says whose wallet holds it, and <c>?organizationId=…</c> names the wallet directly (needed when several
/// organizations used the id). Same caller as <c>POST /v1/usage</c>: the platform's service identity.
/// </summary>
public static class ReservationEndpoints
{
    public const int MaxBodySizeBytes = 64 * 1024;
    public const string InvalidReservationCode = "INVALID_RESERVATION";
    public const string ReservationNotFoundCode = "RESERVATION_NOT_FOUND";
    /// <summary>409: the id was already used by <see cref="IReservationDirectoryGrain.MaxOrganizationsPerId"/> other organizations.</summary>
    public const string ReservationIdInUseCode = "RESERVATION_ID_IN_USE";
    /// <summary>409: a DELETE without <c>organizationId</c> for an id that several organizations used.</summary>
    public const string AmbiguousReservationCode = "AMBIGUOUS_RESERVATION";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // A hold is admitted once its organization is known (HoldAsync), so it counts against that organization's share.
        endpoints.MapPost("/v1/reservations", HoldAsync).AddEndpointFilter(ServiceUnavailable.Filter);
        endpoints.MapDelete("/v1/reservations/{id}", ReleaseAsync).AddEndpointFilter(ServiceUnavailable.Filter).AddEndpointFilter(MeteringAdmission.AdmitOneEvent);
    }

    private static async Task<IResult> HoldAsync(HttpContext context, IGrainFactory grains)
    {
        if (Problems.RefuseUnlessPlatformAdmin(context, "reserve credits") is { } refused) return refused;
        if (Problems.RefuseUnlessJsonBody(context) is { } notJson) return notJson;

        var body = await RequestBody.ReadLimitedAsync(context.Request, MaxBodySizeBytes, context.RequestAborted);
        if (body is null) return Problems.Of(StatusCodes.Status413PayloadTooLarge, "BODY_TOO_LARGE", $"A reservation may be at most {MaxBodySizeBytes} bytes.");
        ReservationRequest request;
        try
        {
            using var document = JsonDocument.Parse(RequestBody.JsonText(body), new JsonDocumentOptions { MaxDepth = RequestBody.MaxJsonDepth });
            request = ReservationRequest.Read(document.RootElement);
        }
        catch (MeteringInputException error)
        {
            return Invalid(error.Message);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or System.Text.DecoderFallbackException)
        {
            return Invalid(RequestBody.NotJson("a JSON object {\"id\", \"organizationId\", \"meter\", \"quantity\", ...}", exception));
        }

        var catalog = context.RequestServices.GetService<CreditCatalog>() ?? CreditCatalog.Default;
        if (!catalog.IsKnownMeter(request.Meter)) return Invalid($"meter '{request.Meter}' is unknown: the rate card has no such meter and no plan counts it.");
        var amount = UsageRating.Charge(catalog, request.Meter, request.NodeType, request.Model, request.Quantity, byoKey: false);
        if (amount is null) return Invalid($"quantity {request.Quantity} of {request.Meter} costs more than the largest single amount.");
        if (amount == 0) return Invalid($"{request.Meter} has no credit rate on {request.NodeType.ToString().ToUpperInvariant()} nodes: there is nothing to reserve; report its usage without reservationId.");

        // A client that left while its request waited would never read the answer: nothing is applied for it.
        if (context.RequestAborted.IsCancellationRequested) return Results.Empty;
        var admission = MeteringAdmission.Of(context);
        var oneEvent = new Dictionary<string, int>(1, StringComparer.Ordinal) { [request.OrganizationId] = 1 };
        if (admission.Admit(context, oneEvent, 1, out var admitted) is { } refusal) return refusal;
        try
        {
            return await HoldAdmittedAsync(context, grains, request, amount.Value);
        }
        finally
        {
            admission.ExitBatch(admitted);
        }
    }

    private static async Task<IResult> HoldAdmittedAsync(HttpContext context, IGrainFactory grains, ReservationRequest request, long amount)
    {
        // An unknown workspace, or another organization's, answers like an unknown organization: ids cannot be probed.
        var organizationExists = MeteredOrganizations.ExistsAsync(grains, request.OrganizationId);
        var workspaceIsTheOrganizations = request.WorkspaceId is null || await MeteredOrganizations.WorkspaceOrganizationAsync(grains, request.WorkspaceId) == request.OrganizationId;
        if (!await organizationExists) return Result(context, request.Id, UserErrorCodes.NotFound, 0, 0, null);
        // The organization exists: its wallet's balance is shown, as for any other refusal.
        if (!workspaceIsTheOrganizations)
            return Result(context, request.Id, UserErrorCodes.NotFound, 0, (await grains.GetGrain<ICreditWalletGrain>(request.OrganizationId).Get()).AvailableNanoCredits, null);

        // Recorded before the hold, so an accepted hold is always found by its id alone.
        if (!await grains.GetGrain<IReservationDirectoryGrain>(request.Id).Record(request.OrganizationId))
            return Problems.Of(StatusCodes.Status409Conflict, ReservationIdInUseCode,
                $"Reservation id '{request.Id}' is already used by {IReservationDirectoryGrain.MaxOrganizationsPerId} organizations, the most one id may name: choose another id (a UUID, for example).");

        var ttl = TimeSpan.FromSeconds(request.TtlSeconds);
        var wallet = grains.GetGrain<ICreditWalletGrain>(request.OrganizationId);
        var now = (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var result = await wallet.Hold(request.Id, amount, ttl, request.WorkspaceId,
            new UsageDetails(request.Meter, request.Quantity, request.WorkspaceId, request.Model));
        return result.Status switch
        {
            // A replay carries the time the hold was taken, so its answer is the original one.
            DebitStatus.Accepted or DebitStatus.Duplicate => Result(context, request.Id, null, result.ChargedNanoCredits, result.BalanceNanoCredits, (result.At ?? now) + ttl),
            _ => Result(context, request.Id, result.Code, 0, result.BalanceNanoCredits, null),
        };
    }

    private static async Task<IResult> ReleaseAsync(HttpContext context, string id, string? organizationId, IGrainFactory grains)
    {
        if (Problems.RefuseUnlessPlatformAdmin(context, "release reservations") is { } refused) return refused;
        if (id.Length > MeteringLimits.MaxIdLength || organizationId?.Length > MeteringLimits.MaxIdLength)
            return Invalid($"Reservation and organization ids are at most {MeteringLimits.MaxIdLength} characters.");

        if (string.IsNullOrEmpty(organizationId))
        {
            // Such an id was never recorded (and is no grain key storage accepts).
            var organizations = !KeyText.IsPlainLine(id) ? [] : await grains.GetGrain<IReservationDirectoryGrain>(id).GetOrganizations();
            if (organizations.Count > 1)
                return Problems.Of(StatusCodes.Status409Conflict, AmbiguousReservationCode,
                    $"Reservation id '{id}' was used by more than one organization: name the wallet with ?organizationId=.");
            if (organizations.Count == 0) return ReleaseAnswer(context, id, released: false);
            organizationId = organizations[0];
        }

        // An unknown organization answers like a reservation that is not open, so ids cannot be probed.
        bool released = await MeteredOrganizations.ExistsAsync(grains, organizationId)
            && await grains.GetGrain<ICreditWalletGrain>(organizationId).Release(id);
        return ReleaseAnswer(context, id, released);
    }

    /// <summary>The id is echoed only when it is one plain line (<see cref="KeyText.IsPlainLine"/>): a bidi control would reorder the message around it.</summary>
    private static IResult NotFound(string id) =>
        Problems.Of(StatusCodes.Status404NotFound, ReservationNotFoundCode,
            $"{(KeyText.IsPlainLine(id) ? $"Reservation '{id}'" : "This reservation")} is not open: unknown, settled, expired, or released before the latest 1,024 to 1,280 releases.");

    /// <summary>A hold's answer, HELD or REJECTED with its code, counted in <see cref="MeteringMetrics"/>.</summary>
    private static IResult Result(HttpContext context, string id, string? code, long amount, long balance, DateTimeOffset? expiresAt)
    {
        string status = code is null ? "HELD" : "REJECTED";
        context.RequestServices.GetRequiredService<MeteringMetrics>().CountReservation(MeteringMetrics.Hold, status, code);
        return Results.Json(new
        {
            id,
            status,
            code,
            amount = NanoCredits.Format(amount),
            balance = NanoCredits.Format(balance),
            expiresAt = expiresAt is { } instant ? Scalars.Format(instant) : null,
        });
    }

    /// <summary>A release's answer, RELEASED or the 404 of a reservation that is not open, counted in <see cref="MeteringMetrics"/>.</summary>
    private static IResult ReleaseAnswer(HttpContext context, string id, bool released)
    {
        context.RequestServices.GetRequiredService<MeteringMetrics>()
            .CountReservation(MeteringMetrics.Release, released ? "RELEASED" : "REJECTED", released ? null : ReservationNotFoundCode);
        return released ? Results.Json(new { id, status = "RELEASED" }) : NotFound(id);
    }

    private static IResult Invalid(string detail) => Problems.Of(StatusCodes.Status400BadRequest, InvalidReservationCode, detail);
}
