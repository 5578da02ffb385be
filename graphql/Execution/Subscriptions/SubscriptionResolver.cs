namespace OrgActors.GraphQL.Execution;

/// <summary>
/// Creates the source event stream of a subscription root field (the spec's ResolveFieldEventStream).
/// Called once per subscription with the root value as parent and the field's coerced arguments.
/// </summary>
public delegate ValueTask<IAsyncEnumerable<object?>> SubscriptionResolver(ResolveFieldContext context);
