using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Server;

/// <summary>A document parsed and validated once, then reused for every request with the same text.</summary>
public sealed class PreparedDocument
{
    internal PreparedDocument(DocumentNode? document, IReadOnlyList<GraphQLError> errors)
    {
        Document = document;
        Errors = errors;
    }

    /// <summary>Null when the text is not valid syntax.</summary>
    public DocumentNode? Document { get; }

    /// <summary>Syntax or validation errors; empty when the document can be executed.</summary>
    public IReadOnlyList<GraphQLError> Errors { get; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// The type of the operation that a request would run (transports refuse mutations over GET);
    /// null when the operation cannot be determined.
    /// </summary>
    public OperationType? GetOperationType(string? operationName) =>
        Document is null ? null : Execution.Executor.GetOperation(Document, operationName, out _)?.Operation;
}
