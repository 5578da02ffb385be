namespace OrgActors.GraphQL.Language;

/// <summary>
/// Limits that protect the server from abusive documents. Exceeding any of them is reported as a
/// <see cref="GraphQLSyntaxException"/>, never as a stack overflow or an out-of-memory condition.
/// </summary>
public sealed record ParserOptions
{
    /// <summary>256 KiB: far above real-world operations (the full introspection query is ~3 KiB).</summary>
    public const int DefaultMaxDocumentSizeBytes = 256 * 1024;

    /// <summary>Same order as other servers' defaults; the introspection query has ~300 tokens.</summary>
    public const int DefaultMaxTokenCount = 15_000;

    /// <summary>
    /// Recursion depth of the parser (selection sets, list/object values, list types).
    /// 200 is deep enough for any sensible query and shallow enough for a 1 MiB thread stack.
    /// </summary>
    public const int DefaultMaxNestingDepth = 200;

    public static readonly ParserOptions Default = new();

    /// <summary>Options for trusted schema (SDL) text: much larger documents, same depth protection.</summary>
    public static readonly ParserOptions TrustedSchema = new()
    {
        MaxDocumentSizeBytes = 64 * 1024 * 1024,
        MaxTokenCount = int.MaxValue,
    };

    /// <summary>Maximum size of the document text, in UTF-8 bytes.</summary>
    public int MaxDocumentSizeBytes { get; init; } = DefaultMaxDocumentSizeBytes;

    /// <summary>Maximum number of lexical tokens (comments excluded), like graphql-js's maxTokens.</summary>
    public int MaxTokenCount { get; init; } = DefaultMaxTokenCount;

    /// <summary>Maximum nesting depth of selection sets, list/object values and wrapped types.</summary>
    public int MaxNestingDepth { get; init; } = DefaultMaxNestingDepth;
}
