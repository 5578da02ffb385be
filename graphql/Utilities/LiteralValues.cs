using System.Collections;
using System.Globalization;
using System.Text.Json;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Utilities;

/// <summary>Conversions between AST literals and plain .NET values (graphql-js valueFromASTUntyped / astFromValue).</summary>
public static class LiteralValues
{
    /// <summary>A literal as a plain value: long/double for numbers, List and Dictionary for composites.</summary>
    public static object? ToUntypedValue(ValueNode node, IReadOnlyDictionary<string, object?>? variables = null) => node switch
    {
        NullValueNode => null,
        IntValueNode i => long.TryParse(i.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)
            ? l
            : double.Parse(i.Value, CultureInfo.InvariantCulture),
        FloatValueNode f => double.Parse(f.Value, CultureInfo.InvariantCulture),
        StringValueNode s => s.Value,
        EnumValueNode e => e.Value,
        BooleanValueNode b => BuiltInScalars.Box(b.Value),
        ListValueNode list => list.Values.Select(v => ToUntypedValue(v, variables)).ToList(),
        ObjectValueNode obj => obj.Fields.ToDictionary(f => f.Name.Value, f => ToUntypedValue(f.Value, variables), StringComparer.Ordinal),
        VariableNode v => variables is not null && variables.TryGetValue(v.Name.Value, out var value) ? value : null,
        _ => null,
    };

    /// <summary>A plain value (as produced by JSON) as a literal, without type information.</summary>
    public static ValueNode FromUntypedValue(object? value)
    {
        var none = SourceLocation.None;
        switch (value)
        {
            case null: return new NullValueNode(none);
            case bool b: return new BooleanValueNode(b, none);
            case string s: return new StringValueNode(s, false, none);
            case JsonElement element: return FromUntypedValue(JsonValues.ToPlainValue(element));
            case IDictionary<string, object?> map:
                return new ObjectValueNode(map.Select(kv => new ObjectFieldNode(new NameNode(kv.Key, none), FromUntypedValue(kv.Value), none)).ToArray(), none);
            case IReadOnlyDictionary<string, object?> map:
                return new ObjectValueNode(map.Select(kv => new ObjectFieldNode(new NameNode(kv.Key, none), FromUntypedValue(kv.Value), none)).ToArray(), none);
            case IEnumerable list:
                return new ListValueNode(list.Cast<object?>().Select(FromUntypedValue).ToArray(), none);
        }

        if (BuiltInScalars.AsDouble(value) is { } number)
        {
            string text = value is double or float ? ValueInspector.FormatNumber(number) : Convert.ToString(value, CultureInfo.InvariantCulture)!;
            return text.All(c => char.IsAsciiDigit(c) || c == '-') ? new IntValueNode(text, none) : new FloatValueNode(text, none);
        }

        return new StringValueNode(value.ToString() ?? "", false, none);
    }

    /// <summary>
    /// graphql-js's astFromValue: an internal value of an input type as a literal (used to print
    /// default values). Returns null when the value cannot be represented.
    /// </summary>
    public static ValueNode? FromValue(object? value, GraphQLType type)
    {
        var none = SourceLocation.None;
        if (type is NonNullType nonNull)
        {
            var inner = FromValue(value, nonNull.OfType);
            return inner is NullValueNode ? null : inner;
        }

        if (value is null) return new NullValueNode(none);

        switch (type)
        {
            case ListType list:
                if (value is IEnumerable items and not string && value is not IDictionary<string, object?> && value is not IReadOnlyDictionary<string, object?>)
                {
                    var nodes = new List<ValueNode>();
                    foreach (var item in items)
                    {
                        var node = FromValue(item, list.OfType);
                        if (node is not null) nodes.Add(node);
                    }

                    return new ListValueNode(nodes.ToArray(), none);
                }

                return FromValue(value, list.OfType);
            case InputObjectType inputObject:
                var map = AsMap(value);
                if (map is null) return null;
                var fields = new List<ObjectFieldNode>();
                foreach (var field in inputObject.Fields)
                {
                    if (!map.TryGetValue(field.Name, out var fieldValue)) continue;
                    var node = FromValue(fieldValue, field.Type);
                    if (node is not null) fields.Add(new ObjectFieldNode(new NameNode(field.Name, none), node, none));
                }

                return new ObjectValueNode(fields.ToArray(), none);
            case EnumType enumType:
                var enumValue = enumType.FindByInternalValue(value);
                return enumValue is null ? null : new EnumValueNode(enumValue.Name, none);
            case ScalarType scalar:
                return scalar.ToLiteral(value);
            default:
                return null;
        }
    }

    internal static IReadOnlyDictionary<string, object?>? AsMap(object? value) => value switch
    {
        IReadOnlyDictionary<string, object?> map => map,
        IDictionary<string, object?> dictionary => new Dictionary<string, object?>(dictionary, StringComparer.Ordinal),
        _ => null,
    };
}
