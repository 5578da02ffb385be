using OrgActors.GraphQL;
using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;
using OrgActors.GrainInterfaces.Credits;
using OrgActors.GrainInterfaces.Errors;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// A mutation's answer: the object it is about (null when refused) and the business-rule errors; for payloads
/// that show it, what else the mutation changed (<see cref="Changed"/>, set only when it succeeded).
/// </summary>
public sealed record Payload(object? Subject, IReadOnlyList<UserErrorView> Errors, ChangedObject? Changed = null)
{
    public static readonly IReadOnlyList<UserErrorView> NoErrors = [];

    public static Payload Of(object? subject) =>
        subject is ChangedObject changed ? new(changed.Subject, NoErrors, changed) : new(subject, NoErrors);
}

public sealed record UserErrorView(string Code, string Message, IReadOnlyList<string>? Field);

/// <summary>
/// How grain refusals reach clients: in a mutation, as <c>errors: [UserError!]!</c> of its payload;
/// in a query, as a field error with the same code. Authentication and authorization failures are
/// field errors in both (UNAUTHENTICATED, FORBIDDEN), as the API contract says: they are about who
/// calls, not about the input.
/// </summary>
public static class UserErrors
{
    public static void Declare(SchemaBuilder builder)
    {
        builder.Object("UserError", t =>
        {
            t.Description("A business rule refused a mutation. Codes: " + string.Join(", ", AllCodes()) + ". (FORBIDDEN is a field error, never a UserError.)");
            t.Field("code", "String!").Description("Stable SCREAMING_SNAKE_CASE code.");
            t.Field("message", "String!");
            t.Field("field", "[String!]").Description("Path of the input field to blame, when one is.");
        });
        builder.Object("DeletePayload", t =>
        {
            t.Field("deletedId", "ID", c => ((Payload)c.Parent!).Subject);
            t.Field("errors", "[UserError!]!", c => ((Payload)c.Parent!).Errors);
        });
        // removeMember and deleteBudget show the organization they changed; leaving or deleting one, none.
        ChangedObjects.DeclareOrganization(builder, "DeletePayload");
    }

    /// <summary>Declares a payload type <c>{name}Payload { {subject}: {type}, errors: [UserError!]! }</c>.</summary>
    public static void DeclarePayload(SchemaBuilder builder, string payloadName, string subjectField, string subjectType) =>
        builder.Object(payloadName, t =>
        {
            t.Field(subjectField, subjectType, c => ((Payload)c.Parent!).Subject);
            t.Field("errors", "[UserError!]!", c => ((Payload)c.Parent!).Errors);
        });

    /// <summary>
    /// Runs a mutation body; a <see cref="UserErrorException"/> becomes the payload's errors, except
    /// FORBIDDEN, which is a field error (the payload is non-null, so <c>data</c> is null).
    /// </summary>
    public static async Task<Payload> Mutate(ResolveFieldContext context, Func<Task<object?>> body)
    {
        context.Caller();
        try
        {
            return Payload.Of(await body());
        }
        catch (UserErrorException error) when (error.Code == UserErrorCodes.Forbidden)
        {
            throw new GraphQLException(error.Message, error.Code);
        }
        catch (UserErrorException error)
        {
            return new Payload(null, [new UserErrorView(error.Code, error.Message, error.Field)]);
        }
    }

    /// <summary>A user error raised before any grain call (e.g. a malformed id), in the same shape.</summary>
    public static UserErrorException NotFound(string what, params string[] field) =>
        new(UserErrorCodes.NotFound, $"{what} not found.", field.Length == 0 ? null : field);

    /// <summary>Runs a query resolver; a refusal becomes a field error with its code, NOT_FOUND a null.</summary>
    public static async Task<T?> Query<T>(Func<Task<T>> body, bool notFoundIsNull = true) where T : class
    {
        try
        {
            return await body();
        }
        catch (UserErrorException error) when (notFoundIsNull && error.Code == UserErrorCodes.NotFound)
        {
            return null;
        }
        catch (UserErrorException error)
        {
            throw new GraphQLException(error.Message, error.Code);
        }
    }

    private static IEnumerable<string> AllCodes() =>
        typeof(UserErrorCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Where(code => code != UserErrorCodes.Forbidden)
            .Concat(WalletCodesInPayloads).Order(StringComparer.Ordinal);

    /// <summary>The wallet's own codes that mutation payloads carry (grantCredits).</summary>
    private static readonly string[] WalletCodesInPayloads = [WalletErrorCodes.InvalidAmount, WalletErrorCodes.IdempotencyKeyReused, WalletErrorCodes.InvalidKey];
}
