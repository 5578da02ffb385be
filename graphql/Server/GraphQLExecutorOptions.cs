using OrgActors.GraphQL.DataLoader;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Validation;

namespace OrgActors.GraphQL.Server;

public sealed record GraphQLExecutorOptions
{
    /// <summary>Distinct documents kept parsed and validated; beyond it the least recently used go (see DocumentCache).</summary>
    public const int DefaultMaxCachedDocuments = 1000;

    /// <summary>
    /// Estimated memory the cached documents may hold (about 160 bytes per token plus the text). A parsed
    /// document holds 15-25 times its text: counted alone, 1,000 documents of 62 KB pinned 1.5-1.9 GB.
    /// 64 MiB keeps 1,000 documents of 400 tokens, 160 of 2,500 (a large Relay page), or 25 of the largest allowed.
    /// </summary>
    public const long DefaultMaxCachedDocumentBytes = 64L * 1024 * 1024;

    /// <summary>Documents longer than this are parsed every time rather than cached (64 KiB, in UTF-16 code units).</summary>
    public const int DefaultMaxCachedDocumentLength = 64 * 1024;

    /// <summary>Parser limits: document size, token count, nesting depth.</summary>
    public ParserOptions Parser { get; init; } = ParserOptions.Default;

    /// <summary>Validation rules; defaults to <see cref="SpecifiedRules.All"/>.</summary>
    public IReadOnlyList<ValidationRule> ValidationRules { get; init; } = SpecifiedRules.All;

    public int MaxValidationErrors { get; init; } = DocumentValidator.DefaultMaxErrors;

    /// <summary>Work validation may do on one document beyond what is linear in its length (see <see cref="DocumentValidator.DefaultMaxSteps"/>).</summary>
    public long MaxValidationSteps { get; init; } = DocumentValidator.DefaultMaxSteps;

    public int MaxCachedDocuments { get; init; } = DefaultMaxCachedDocuments;

    public int MaxCachedDocumentLength { get; init; } = DefaultMaxCachedDocumentLength;

    public long MaxCachedDocumentBytes { get; init; } = DefaultMaxCachedDocumentBytes;

    /// <summary>Execution longer than this is cancelled and answered with an EXECUTION_TIMEOUT error; null for none.</summary>
    public TimeSpan? ExecutionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Debug: show resolver exception messages and stack traces instead of "Unexpected error.".</summary>
    public bool IncludeExceptionDetails { get; init; }

    /// <summary>
    /// Called once per error that an unexpected exception (not a <see cref="GraphQLException"/>) became,
    /// where the engine turns it into INTERNAL_SERVER_ERROR: the client sees "Unexpected error.", so this
    /// is where a host logs what happened, with <see cref="GraphQLError.Exception"/> and its path.
    /// </summary>
    public Action<GraphQLError>? OnUnexpectedError { get; init; }

    /// <summary>
    /// Turns an exception a resolver threw (not a <see cref="GraphQLException"/>) into the error the client
    /// sees, e.g. a store that did not answer into a retryable code; null leaves it unexpected
    /// (INTERNAL_SERVER_ERROR, reported to <see cref="OnUnexpectedError"/>).
    /// </summary>
    public Func<Exception, GraphQLException?>? TranslateException { get; init; }

    /// <summary>Default for requests that do not say; see <see cref="GraphQLRequest.EnableIntrospection"/>.</summary>
    public bool EnableIntrospection { get; init; } = true;

    /// <summary>
    /// Source events a subscription may hold while its consumer is busy; one more ends the subscription
    /// with a SUBSCRIPTION_BUFFER_OVERFLOW error (see <see cref="Execution.SubscriptionExecutor"/>).
    /// </summary>
    public int MaxBufferedSubscriptionEvents { get; init; } = Execution.SubscriptionExecutor.DefaultMaxBufferedEvents;
    /// <summary>Class-based data loaders (created per request) and the batch dispatch policy.</summary>
    public DataLoaderRegistry? DataLoaders { get; init; }
    /// <summary>Depth and cost limits checked before execution (see docs/graphql.md); null checks none.</summary>
    public Validation.Cost.LimitsOptions? Limits { get; init; } = Validation.Cost.LimitsOptions.Default;
}
