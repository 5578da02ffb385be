using System.Text;
using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Types;

/// <summary>Prints a schema as SDL in graphql-js printSchema's format (built-ins and introspection omitted).</summary>
public static class SchemaPrinter
{
    public static string Print(GraphQLSchema schema)
    {
        var parts = new List<string>();
        var schemaDefinition = PrintSchemaDefinition(schema);
        if (schemaDefinition is not null) parts.Add(schemaDefinition);
        foreach (var directive in schema.Directives)
        {
            if (!directive.IsSpecified) parts.Add(PrintDirective(directive));
        }

        foreach (var type in schema.Types)
        {
            if (type.IsIntrospectionType || type is ScalarType { IsSpecified: true }) continue;
            parts.Add(PrintType(type));
        }

        return string.Join("\n\n", parts);
    }

    private static string? PrintSchemaDefinition(GraphQLSchema schema)
    {
        bool commonNames = schema.QueryType.Name == "Query"
            && (schema.MutationType is null || schema.MutationType.Name == "Mutation")
            && (schema.SubscriptionType is null || schema.SubscriptionType.Name == "Subscription");
        if (schema.Description is null && commonNames) return null;

        var operations = new List<string> { "  query: " + schema.QueryType.Name };
        if (schema.MutationType is not null) operations.Add("  mutation: " + schema.MutationType.Name);
        if (schema.SubscriptionType is not null) operations.Add("  subscription: " + schema.SubscriptionType.Name);
        return PrintDescription(schema.Description) + "schema {\n" + string.Join("\n", operations) + "\n}";
    }

    public static string PrintType(NamedType type) => type switch
    {
        ScalarType scalar => PrintDescription(scalar.Description) + "scalar " + scalar.Name + PrintSpecifiedBy(scalar),
        ObjectType obj => PrintDescription(obj.Description) + "type " + obj.Name + PrintImplements(obj) + PrintFields(obj),
        InterfaceType iface => PrintDescription(iface.Description) + "interface " + iface.Name + PrintImplements(iface) + PrintFields(iface),
        UnionType union => PrintDescription(union.Description) + "union " + union.Name
            + (union.Types.Count > 0 ? " = " + string.Join(" | ", union.Types.Select(t => t.Name)) : ""),
        EnumType enumType => PrintDescription(enumType.Description) + "enum " + enumType.Name + PrintBlock(
            enumType.Values.Select((v, i) => PrintDescription(v.Description, "  ", i == 0) + "  " + v.Name + PrintDeprecated(v.DeprecationReason))),
        InputObjectType input => PrintDescription(input.Description) + "input " + input.Name + (input.IsOneOf ? " @oneOf" : "") + PrintBlock(
            input.Fields.Select((f, i) => PrintDescription(f.Description, "  ", i == 0) + "  " + PrintInputValue(f))),
        _ => throw new ArgumentException("Unknown type kind", nameof(type)),
    };

    private static string PrintImplements(ComplexType type) =>
        type.Interfaces.Count > 0 ? " implements " + string.Join(" & ", type.Interfaces.Select(i => i.Name)) : "";

    private static string PrintFields(ComplexType type) => PrintBlock(type.Fields.Select((f, i) =>
        PrintDescription(f.Description, "  ", i == 0) + "  " + f.Name + PrintArguments(f.Arguments, "  ") + ": " + f.Type
        + PrintDeprecated(f.DeprecationReason)));

    private static string PrintBlock(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count > 0 ? " {\n" + string.Join("\n", list) + "\n}" : "";
    }

    private static string PrintArguments(IReadOnlyList<InputValueDefinition> arguments, string indentation = "")
    {
        if (arguments.Count == 0) return "";
        // Without descriptions, all arguments go on one line.
        if (arguments.All(a => a.Description is null)) return "(" + string.Join(", ", arguments.Select(PrintInputValue)) + ")";
        return "(\n" + string.Join("\n", arguments.Select((a, i) =>
            PrintDescription(a.Description, "  " + indentation, i == 0) + "  " + indentation + PrintInputValue(a))) + "\n" + indentation + ")";
    }

    private static string PrintInputValue(InputValueDefinition value)
    {
        string declaration = value.Name + ": " + value.Type;
        if (value.DefaultValueLiteral is not null) declaration += " = " + AstPrinter.Print(value.DefaultValueLiteral);
        return declaration + PrintDeprecated(value.DeprecationReason);
    }

    private static string PrintDirective(DirectiveDefinition directive) =>
        PrintDescription(directive.Description) + "directive @" + directive.Name + PrintArguments(directive.Arguments)
        + (directive.IsRepeatable ? " repeatable" : "") + " on " + string.Join(" | ", directive.Locations.Select(l => l.ToSdlName()));

    private static string PrintDeprecated(string? reason)
    {
        if (reason is null) return "";
        return reason != SchemaBuilder.DefaultDeprecationReason
            ? " @deprecated(reason: " + StringLiterals.Print(reason) + ")"
            : " @deprecated";
    }

    private static string PrintSpecifiedBy(ScalarType scalar) =>
        scalar.SpecifiedByUrl is null ? "" : " @specifiedBy(url: " + StringLiterals.Print(scalar.SpecifiedByUrl) + ")";

    private static string PrintDescription(string? description, string indentation = "", bool firstInBlock = true)
    {
        if (description is null) return "";
        string literal = BlockStrings.IsPrintableAsBlockString(description)
            ? BlockStrings.Print(description)
            : StringLiterals.Print(description);
        string prefix = indentation.Length > 0 && !firstInBlock ? "\n" + indentation : indentation;
        return prefix + literal.Replace("\n", "\n" + indentation, StringComparison.Ordinal) + "\n";
    }
}
