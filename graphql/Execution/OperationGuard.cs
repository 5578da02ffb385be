using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Execution;

/// <summary>
/// Called once the operation is chosen and its variables coerced, before any resolver runs (static
/// cost and depth limits use it). Returning errors rejects the request: they become the response's
/// errors, without "data".
/// </summary>
public delegate IReadOnlyList<GraphQLError>? OperationGuard(OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables);
