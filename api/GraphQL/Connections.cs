using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>
/// Relay connections over lists a grain returns whole (its immutable snapshot, no copy): the contract's
/// <c>first/after/last/before</c>, <c>edges</c>, <c>nodes</c>, <c>pageInfo</c> and <c>totalCount</c>.
/// </summary>
public static class Connections
{
    public static void Declare(SchemaBuilder builder, string nodeType) => ConnectionTypes.Declare(builder, nodeType);

    public static FieldBuilder WithPaging(this FieldBuilder field) => ConnectionTypes.AddArguments(field);

    public static object Page<T>(ResolveFieldContext context, IReadOnlyList<T> items) => ConnectionTypes.Slice(context, items);
}
