namespace OrgActors.GraphQL.Types;

/// <summary>Where a directive may appear (the spec's DirectiveLocation).</summary>
public enum DirectiveLocation
{
    Query,
    Mutation,
    Subscription,
    Field,
    FragmentDefinition,
    FragmentSpread,
    InlineFragment,
    VariableDefinition,
    Schema,
    Scalar,
    Object,
    FieldDefinition,
    ArgumentDefinition,
    Interface,
    Union,
    Enum,
    EnumValue,
    InputObject,
    InputFieldDefinition,
}

public static class DirectiveLocationNames
{
    /// <summary>The SDL spelling, e.g. FRAGMENT_SPREAD.</summary>
    public static string ToSdlName(this DirectiveLocation location) => location switch
    {
        DirectiveLocation.Query => "QUERY",
        DirectiveLocation.Mutation => "MUTATION",
        DirectiveLocation.Subscription => "SUBSCRIPTION",
        DirectiveLocation.Field => "FIELD",
        DirectiveLocation.FragmentDefinition => "FRAGMENT_DEFINITION",
        DirectiveLocation.FragmentSpread => "FRAGMENT_SPREAD",
        DirectiveLocation.InlineFragment => "INLINE_FRAGMENT",
        DirectiveLocation.VariableDefinition => "VARIABLE_DEFINITION",
        DirectiveLocation.Schema => "SCHEMA",
        DirectiveLocation.Scalar => "SCALAR",
        DirectiveLocation.Object => "OBJECT",
        DirectiveLocation.FieldDefinition => "FIELD_DEFINITION",
        DirectiveLocation.ArgumentDefinition => "ARGUMENT_DEFINITION",
        DirectiveLocation.Interface => "INTERFACE",
        DirectiveLocation.Union => "UNION",
        DirectiveLocation.Enum => "ENUM",
        DirectiveLocation.EnumValue => "ENUM_VALUE",
        DirectiveLocation.InputObject => "INPUT_OBJECT",
        DirectiveLocation.InputFieldDefinition => "INPUT_FIELD_DEFINITION",
        _ => throw new ArgumentOutOfRangeException(nameof(location)),
    };

    public static readonly IReadOnlyList<DirectiveLocation> All = Enum.GetValues<DirectiveLocation>();
}

public sealed class DirectiveDefinition
{
    internal DirectiveDefinition(string name) => Name = name;

    public string Name { get; }

    public string? Description { get; internal set; }

    public IReadOnlyList<InputValueDefinition> Arguments { get; internal set; } = [];

    public IReadOnlyList<DirectiveLocation> Locations { get; internal set; } = [];

    public bool IsRepeatable { get; internal set; }

    /// <summary>True for @include, @skip, @deprecated, @specifiedBy and @oneOf.</summary>
    public bool IsSpecified { get; internal set; }

    public InputValueDefinition? GetArgument(string name)
    {
        foreach (var argument in Arguments)
        {
            if (argument.Name == name) return argument;
        }

        return null;
    }
}
