namespace OrgActors.GraphQL.Execution;

/// <summary>Turns exceptions of subscribers and source streams into client-visible errors, masked like resolver errors.</summary>
internal static class SubscriptionErrors
{
    public static GraphQLError FromException(Exception exception, CollectedField field, bool includeExceptionDetails)
    {
        var locations = GraphQLError.LocationsOf(field.Nodes[0]);
        IReadOnlyList<object> path = [field.ResponseKey];
        if (exception is GraphQLException graphQLException)
        {
            return new GraphQLError(graphQLException.Message, locations, path, graphQLException.Code, graphQLException.Extensions, exception);
        }

        if (!includeExceptionDetails) return new GraphQLError("Unexpected error.", locations, path, ErrorCodes.InternalServerError, exception: exception);
        var extensions = new Dictionary<string, object?>
        {
            ["exception"] = new Dictionary<string, object?>
            {
                ["type"] = exception.GetType().FullName,
                ["stackTrace"] = exception.StackTrace,
            },
        };
        return new GraphQLError(exception.Message, locations, path, ErrorCodes.InternalServerError, extensions, exception);
    }

    public static GraphQLError Overflow(CollectedField field, int maxBufferedEvents) =>
        new(
            "Subscription ended: more than " + maxBufferedEvents + " events were waiting to be delivered (the client did not keep up).",
            GraphQLError.LocationsOf(field.Nodes[0]),
            [field.ResponseKey],
            ErrorCodes.SubscriptionBufferOverflow);
}
