using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Relay;
using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Relay connections over lists a grain returns whole (its immutable snapshot, no copy): the contract's
/// <c>first/after/last/before</c>, <c>edges</c>, <c>nodes</c>, <c>pageInfo</c> and <c>totalCount</c>,
/// at most 100 per page, 20 by default.
/// </summary>
public static class Paging
{
    public static void Declare(SchemaBuilder builder, string nodeType) => builder.Connection(nodeType);

    public static FieldBuilder WithPaging(this FieldBuilder field) => field.ConnectionArguments();

    public static Connection<T> Page<T>(ResolveFieldContext context, IReadOnlyList<T> items) =>
        Connections.FromList(items, ConnectionArguments.Parse(context));
}
