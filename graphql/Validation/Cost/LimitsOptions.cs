namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>
/// Static limits checked before any resolver runs, once variables are known
/// (<see cref="Server.GraphQLExecutorOptions.Limits"/>). A null limit is not checked.
/// </summary>
public sealed record LimitsOptions
{
    /// <summary>
    /// Maximum selection depth: <c>{ a { b } }</c> has depth 2. The full introspection query of
    /// graphql-js has depth 15, so 15 admits it and the deepest queries our frontends send.
    /// </summary>
    public const int DefaultMaxDepth = 15;

    /// <summary>HotChocolate's default maximum field cost.</summary>
    public const double DefaultMaxFieldCost = 1000;

    public static LimitsOptions Default { get; } = new();

    /// <summary>Nothing checked (the analysis can still be reported by setting <see cref="ReportCost"/>).</summary>
    public static LimitsOptions None { get; } = new() { MaxDepth = null, MaxFieldCost = null, MaxTypeCost = null, EnforceSlicingArguments = false };

    public int? MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>Maximum field cost: roughly, the number of resolver calls weighted by @cost (see docs/graphql.md).</summary>
    public double? MaxFieldCost { get; init; } = DefaultMaxFieldCost;

    /// <summary>Maximum type cost: roughly, the number of objects in the response. Off by default.</summary>
    public double? MaxTypeCost { get; init; }

    /// <summary>
    /// The field cost of <c>__schema</c>: a tenth of <see cref="DefaultMaxFieldCost"/>, so that every client's one
    /// introspection query passes and ten of them (aliased) are the most one operation may ask for.
    /// </summary>
    public double IntrospectionSchemaCost { get; init; } = 100;

    /// <summary>The field cost of <c>__type</c> (one type: a fraction of <c>__schema</c>).</summary>
    public double IntrospectionTypeCost { get; init; } = 10;

    /// <summary>Items assumed in a list when neither a slicing argument nor @listSize(assumedSize:) gives a number.</summary>
    public int DefaultListSize { get; init; } = 10;

    /// <summary>Also enforce @listSize(requireOneSlicingArgument:) (on by default, as in the draft).</summary>
    public bool EnforceSlicingArguments { get; init; } = true;

    /// <summary>Adds <c>"cost": {"fieldCost", "typeCost", "depth"}</c> to the response's extensions.</summary>
    public bool ReportCost { get; init; }

    internal bool ChecksAnything => MaxDepth is not null || MaxFieldCost is not null || MaxTypeCost is not null || EnforceSlicingArguments || ReportCost;
}
