namespace OrgActors.GraphQL;

/// <summary>Values of <c>extensions.code</c> the engine puts on errors (Apollo-compatible where one exists).</summary>
public static partial class ErrorCodes
{
    /// <summary>The document is not valid GraphQL syntax, or exceeded a parser limit.</summary>
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";

    /// <summary>The document failed validation against the schema.</summary>
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";

    /// <summary>Variables or arguments could not be coerced, or the request itself is malformed.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";

    /// <summary>The requested operation name is missing or ambiguous.</summary>
    public const string OperationResolutionFailure = "OPERATION_RESOLUTION_FAILURE";

    /// <summary>A resolver failed unexpectedly, or the server broke the schema's contract (e.g. null for non-null).</summary>
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";

    /// <summary>Execution took longer than the configured timeout.</summary>
    public const string Timeout = "EXECUTION_TIMEOUT";

    /// <summary>Introspection was requested while it is switched off.</summary>
    public const string IntrospectionDisabled = "INTROSPECTION_DISABLED";

    /// <summary>The operation selects deeper than <c>LimitsOptions.MaxDepth</c>.</summary>
    public const string MaxDepthExceeded = "MAX_DEPTH_EXCEEDED";

    /// <summary>Validating the document would take more than <c>GraphQLExecutorOptions.MaxValidationSteps</c> (fragments compared pairwise).</summary>
    public const string MaxValidationStepsExceeded = "MAX_VALIDATION_STEPS_EXCEEDED";

    /// <summary>The operation's field cost (@cost/@listSize analysis) exceeds <c>LimitsOptions.MaxFieldCost</c>.</summary>
    public const string MaxCostExceeded = "MAX_COST_EXCEEDED";

    /// <summary>The operation's type cost exceeds <c>LimitsOptions.MaxTypeCost</c>.</summary>
    public const string MaxTypeCostExceeded = "MAX_TYPE_COST_EXCEEDED";

    /// <summary>A @listSize field with requireOneSlicingArgument was not given exactly one slicing argument.</summary>
    public const string SlicingArgumentRequired = "SLICING_ARGUMENT_REQUIRED";

    /// <summary>Default code of a <see cref="GraphQLException"/> thrown by a resolver without a code.</summary>
    public const string FieldError = "FIELD_ERROR";

    /// <summary>A subscription's consumer fell too far behind its source stream; the subscription ended.</summary>
    public const string SubscriptionBufferOverflow = "SUBSCRIPTION_BUFFER_OVERFLOW";

    /// <summary>A connection already runs as many operations as the transport allows.</summary>
    public const string TooManyOperations = "TOO_MANY_OPERATIONS";
}
