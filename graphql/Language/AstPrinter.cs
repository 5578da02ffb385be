using System.Text;

namespace OrgActors.GraphQL.Language;

/// <summary>
/// Prints an AST back to GraphQL text with graphql-js's print() layout, so printed documents and
/// default values look the same as in the reference implementation.
/// </summary>
public static class AstPrinter
{
    /// <summary>graphql-js wraps field arguments onto separate lines beyond this width.</summary>
    private const int MaxLineLength = 80;

    public static string Print(SyntaxNode node) => node switch
    {
        NameNode n => n.Value,
        DocumentNode n => Join(n.Definitions.Select(Print), "\n\n"),
        OperationDefinitionNode n => PrintOperation(n),
        VariableDefinitionNode n => Wrap("", Description(n.Description), "\n") + Print(n.Variable) + ": " + Print(n.Type)
            + Wrap(" = ", n.DefaultValue is null ? null : Print(n.DefaultValue)) + Wrap(" ", Directives(n.Directives)),
        SelectionSetNode n => Block(n.Selections.Select(Print)),
        FieldNode n => PrintField(n),
        ArgumentNode n => n.Name.Value + ": " + Print(n.Value),
        FragmentSpreadNode n => "..." + n.Name.Value + Wrap(" ", Directives(n.Directives)),
        InlineFragmentNode n => Join(
            ["...", Wrap("on ", n.TypeCondition is null ? null : Print(n.TypeCondition)), Directives(n.Directives), Print(n.SelectionSet)],
            " "),
        FragmentDefinitionNode n => Wrap("", Description(n.Description), "\n") + "fragment " + n.Name.Value + " on "
            + Print(n.TypeCondition) + " " + Wrap("", Directives(n.Directives), " ") + Print(n.SelectionSet),
        VariableNode n => "$" + n.Name.Value,
        IntValueNode n => n.Value,
        FloatValueNode n => n.Value,
        StringValueNode n => n.Block ? BlockStrings.Print(n.Value) : StringLiterals.Print(n.Value),
        BooleanValueNode n => n.Value ? "true" : "false",
        NullValueNode => "null",
        EnumValueNode n => n.Value,
        ListValueNode n => "[" + Join(n.Values.Select(Print), ", ") + "]",
        ObjectValueNode n => "{" + Join(n.Fields.Select(Print), ", ") + "}",
        ObjectFieldNode n => n.Name.Value + ": " + Print(n.Value),
        DirectiveNode n => "@" + n.Name.Value + Wrap("(", Join(n.Arguments.Select(Print), ", "), ")"),
        NamedTypeNode n => n.Name.Value,
        ListTypeNode n => "[" + Print(n.Type) + "]",
        NonNullTypeNode n => Print(n.Type) + "!",
        _ => PrintTypeSystem(node),
    };

    private static string PrintOperation(OperationDefinitionNode node)
    {
        string variables = Wrap("(", Join(node.VariableDefinitions.Select(Print), ", "), ")");
        string prefix = Join(
            [OperationKeyword(node.Operation), Join([node.Name?.Value, variables], ""), Directives(node.Directives)], " ");
        // Anonymous queries without variables, directives or description use the shorthand form.
        string body = (prefix == "query" ? "" : prefix + " ") + Print(node.SelectionSet);
        return Wrap("", Description(node.Description), "\n") + body;
    }

    private static string PrintField(FieldNode node)
    {
        string prefix = Wrap("", node.Alias?.Value, ": ") + node.Name.Value;
        string argsLine = prefix + Wrap("(", Join(node.Arguments.Select(Print), ", "), ")");
        if (argsLine.Length > MaxLineLength)
        {
            argsLine = prefix + Wrap("(\n", Indent(Join(node.Arguments.Select(Print), "\n")), "\n)");
        }

        return Join([argsLine, Directives(node.Directives), node.SelectionSet is null ? null : Print(node.SelectionSet)], " ");
    }

    private static string PrintTypeSystem(SyntaxNode node) => node switch
    {
        SchemaDefinitionNode n => Wrap("", Description(n.Description), "\n")
            + Join(["schema", Directives(n.Directives), Block(n.OperationTypes.Select(Print))], " "),
        OperationTypeDefinitionNode n => OperationKeyword(n.Operation) + ": " + Print(n.Type),
        ScalarTypeDefinitionNode n => Wrap("", Description(n.Description), "\n")
            + Join(["scalar", n.Name.Value, Directives(n.Directives)], " "),
        ObjectTypeDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            ["type", n.Name.Value, Implements(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        FieldDefinitionNode n => Wrap("", Description(n.Description), "\n") + n.Name.Value + Arguments(n.Arguments)
            + ": " + Print(n.Type) + Wrap(" ", Directives(n.Directives)),
        InputValueDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            [n.Name.Value + ": " + Print(n.Type), Wrap("= ", n.DefaultValue is null ? null : Print(n.DefaultValue)), Directives(n.Directives)],
            " "),
        InterfaceTypeDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            ["interface", n.Name.Value, Implements(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        UnionTypeDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            ["union", n.Name.Value, Directives(n.Directives), Wrap("= ", Join(n.Types.Select(Print), " | "))], " "),
        EnumTypeDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            ["enum", n.Name.Value, Directives(n.Directives), Block(n.Values.Select(Print))], " "),
        EnumValueDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join([n.Name.Value, Directives(n.Directives)], " "),
        InputObjectTypeDefinitionNode n => Wrap("", Description(n.Description), "\n") + Join(
            ["input", n.Name.Value, Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        DirectiveDefinitionNode n => Wrap("", Description(n.Description), "\n") + "directive @" + n.Name.Value
            + Arguments(n.Arguments) + (n.Repeatable ? " repeatable" : "") + " on "
            + Join(n.Locations.Select(l => l.Value), " | "),
        SchemaExtensionNode n => Join(["extend schema", Directives(n.Directives), Block(n.OperationTypes.Select(Print))], " "),
        ScalarTypeExtensionNode n => Join(["extend scalar", n.Name.Value, Directives(n.Directives)], " "),
        ObjectTypeExtensionNode n => Join(
            ["extend type", n.Name.Value, Implements(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        InterfaceTypeExtensionNode n => Join(
            ["extend interface", n.Name.Value, Implements(n.Interfaces), Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        UnionTypeExtensionNode n => Join(
            ["extend union", n.Name.Value, Directives(n.Directives), Wrap("= ", Join(n.Types.Select(Print), " | "))], " "),
        EnumTypeExtensionNode n => Join(["extend enum", n.Name.Value, Directives(n.Directives), Block(n.Values.Select(Print))], " "),
        InputObjectTypeExtensionNode n => Join(
            ["extend input", n.Name.Value, Directives(n.Directives), Block(n.Fields.Select(Print))], " "),
        _ => throw new ArgumentException("Unknown node kind " + node.Kind, nameof(node)),
    };

    public static string OperationKeyword(OperationType operation) => operation switch
    {
        OperationType.Mutation => "mutation",
        OperationType.Subscription => "subscription",
        _ => "query",
    };

    private static string? Description(StringValueNode? description) => description is null ? null : Print(description);

    private static string Directives(IReadOnlyList<DirectiveNode> directives) => Join(directives.Select(Print), " ");

    private static string Implements(IReadOnlyList<NamedTypeNode> interfaces) =>
        Wrap("implements ", Join(interfaces.Select(Print), " & "));

    private static string Arguments(IReadOnlyList<InputValueDefinitionNode> arguments)
    {
        var printed = arguments.Select(Print).ToArray();
        // graphql-js puts arguments on separate lines as soon as one of them spans lines (descriptions).
        return printed.Any(p => p.Contains('\n'))
            ? Wrap("(\n", Indent(Join(printed, "\n")), "\n)")
            : Wrap("(", Join(printed, ", "), ")");
    }

    private static string Join(IEnumerable<string?> parts, string separator)
    {
        var builder = new StringBuilder();
        bool first = true;
        foreach (var part in parts)
        {
            if (string.IsNullOrEmpty(part)) continue;
            if (!first) builder.Append(separator);
            builder.Append(part);
            first = false;
        }

        return builder.ToString();
    }

    private static string Block(IEnumerable<string> items) => Wrap("{\n", Indent(Join(items, "\n")), "\n}");

    private static string Wrap(string start, string? value, string end = "") =>
        string.IsNullOrEmpty(value) ? "" : start + value + end;

    private static string Indent(string value) => Wrap("  ", value.Replace("\n", "\n  ", StringComparison.Ordinal));
}
