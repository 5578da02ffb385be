using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Types;

/// <summary>Turns builders into linked runtime types: resolves type references and default values.</summary>
internal sealed class SchemaAssembler
{
    private readonly Dictionary<string, NamedType> _types = new(StringComparer.Ordinal);
    private readonly List<(InputValueBuilder Builder, string Context)> _inputValues = [];

    public SchemaAssembler(IEnumerable<string> initialErrors)
    {
        Errors = [.. initialErrors];
        foreach (var scalar in BuiltInScalars.All) _types[scalar.Name] = scalar;
    }

    public List<string> Errors { get; }

    /// <summary>Errors that leave holes in the type graph (unknown types, duplicate names): validation cannot run.</summary>
    public bool HasFatalErrors { get; set; }

    public HashSet<ScalarType> UsedBuiltIns { get; } = [];

    public bool Declare(NamedType type) => _types.TryAdd(type.Name, type);

    public void Resolve(NamedTypeBuilder builder)
    {
        builder.Type.AppliedDirectives = builder.Directives.ToArray();
        switch (builder)
        {
            case ComplexTypeBuilder complex:
                var complexType = (ComplexType)complex.Type;
                var fields = new List<FieldDefinition>();
                foreach (var fieldBuilder in complex.FieldBuilders)
                {
                    var field = fieldBuilder.Definition;
                    string context = complexType.Name + "." + field.Name;
                    field.Type = ResolveReference(fieldBuilder.TypeReference, context)!;
                    field.Arguments = ResolveInputValues(fieldBuilder.Arguments, context);
                    field.AppliedDirectives = fieldBuilder.Directives.ToArray();
                    fields.Add(field);
                }

                complexType.Fields = fields;
                var interfaces = new List<InterfaceType>();
                foreach (var name in complex.InterfaceNames)
                {
                    var type = Lookup(name, complexType.Name);
                    if (type is InterfaceType iface) interfaces.Add(iface);
                    else if (type is not null)
                    {
                        Errors.Add("Type " + complexType.Name + " must only implement Interface types, it cannot implement " + name + ".");
                    }
                }

                complexType.Interfaces = interfaces;
                break;

            case UnionTypeBuilder union:
                var members = new List<ObjectType>();
                foreach (var name in union.MemberNames)
                {
                    var type = Lookup(name, union.Union.Name);
                    if (type is ObjectType obj) members.Add(obj);
                    else if (type is not null)
                    {
                        Errors.Add("Union type " + union.Union.Name + " can only include Object types, it cannot include " + name + ".");
                    }
                }

                union.Union.Types = members;
                break;

            case EnumTypeBuilder enumBuilder:
                enumBuilder.Enum.Values = enumBuilder.Values.ToArray();
                break;

            case InputObjectTypeBuilder input:
                input.InputObject.Fields = ResolveInputValues(input.FieldBuilders, input.InputObject.Name);
                break;
        }
    }

    public IReadOnlyList<InputValueDefinition> ResolveInputValues(List<InputValueBuilder> builders, string owner)
    {
        if (builders.Count == 0) return [];
        var result = new InputValueDefinition[builders.Count];
        for (int i = 0; i < builders.Count; i++)
        {
            var builder = builders[i];
            string context = owner.StartsWith('@') || owner.Contains('.')
                ? owner + "(" + builder.Definition.Name + ":)"
                : owner + "." + builder.Definition.Name;
            builder.Definition.Type = ResolveReference(builder.TypeReference, context)!;
            builder.Definition.AppliedDirectives = builder.Directives.ToArray();
            if (builder.HasDefault) _inputValues.Add((builder, context));
            result[i] = builder.Definition;
        }

        return result;
    }

    /// <summary>Turns declared defaults into literals plus coerced internal values.</summary>
    public void ComputeDefaultValues()
    {
        if (HasFatalErrors) return;
        // Two passes: a default that is an input object picks up nested defaults computed in the first.
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (var (builder, context) in _inputValues)
            {
                var definition = builder.Definition;
                ValueNode? literal;
                if (builder.DefaultLiteral is not null)
                {
                    try
                    {
                        literal = Parser.ParseConstValue(builder.DefaultLiteral);
                    }
                    catch (GraphQLSyntaxException exception)
                    {
                        if (pass == 0) Errors.Add("Default value of " + context + " is not a valid literal: " + exception.Message);
                        continue;
                    }
                }
                else
                {
                    try
                    {
                        literal = LiteralValues.FromValue(builder.Default, definition.Type);
                    }
                    catch (Exception exception) when (exception is GraphQLException or InvalidCastException or FormatException)
                    {
                        literal = null;
                    }

                    if (literal is null)
                    {
                        if (pass == 0) Errors.Add("Default value of " + context + " cannot be represented as type \"" + definition.Type + "\": " + ValueInspector.Inspect(builder.Default) + ".");
                        continue;
                    }
                }

                if (!ValueCoercion.TryCoerceLiteral(literal, definition.Type, null, out var coerced))
                {
                    if (pass == 0) Errors.Add("Default value of " + context + " is invalid for type \"" + definition.Type + "\": " + AstPrinter.Print(literal) + ".");
                    continue;
                }

                definition.DefaultValueLiteral = literal;
                definition.DefaultValue = coerced;
            }
        }
    }

    public ObjectType? RootType(string name, bool explicitlyNamed, string operation)
    {
        if (!_types.TryGetValue(name, out var type))
        {
            if (explicitlyNamed) Errors.Add(operation + " root type \"" + name + "\" is not declared.");
            return null;
        }

        if (type is ObjectType obj) return obj;
        Errors.Add(operation + " root type must be Object type, it cannot be " + name + ".");
        return null;
    }

    private NamedType? Lookup(string name, string context)
    {
        if (_types.TryGetValue(name, out var type))
        {
            if (type is ScalarType { IsSpecified: true } scalar) UsedBuiltIns.Add(scalar);
            return type;
        }

        Errors.Add("Unknown type \"" + name + "\" referenced by " + context + ".");
        HasFatalErrors = true;
        return null;
    }

    private GraphQLType? ResolveReference(string reference, string context)
    {
        TypeNode node;
        try
        {
            node = Parser.ParseType(reference);
        }
        catch (GraphQLSyntaxException exception)
        {
            Errors.Add("Invalid type reference \"" + reference + "\" for " + context + ": " + exception.Message);
            HasFatalErrors = true;
            return null;
        }

        return Convert(node, context);
    }

    private GraphQLType? Convert(TypeNode node, string context) => node switch
    {
        NamedTypeNode named => Lookup(named.Name.Value, context),
        ListTypeNode list => Convert(list.Type, context) is { } inner ? new ListType(inner) : null,
        NonNullTypeNode nonNull => Convert(nonNull.Type, context) is { } inner ? new NonNullType(inner) : null,
        _ => null,
    };
}
