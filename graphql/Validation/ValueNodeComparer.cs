using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// Compares argument values as written: same kinds and same values, with input object fields
/// compared regardless of their order (graphql-js compares printed, field-sorted values).
/// </summary>
public static class ValueNodeComparer
{
    /// <summary>Do two fields (or directives) pass the same arguments?</summary>
    public static bool SameArguments(IReadOnlyList<ArgumentNode> arguments1, IReadOnlyList<ArgumentNode> arguments2)
    {
        if (arguments1.Count != arguments2.Count) return false;
        foreach (var argument1 in arguments1)
        {
            ArgumentNode? argument2 = null;
            foreach (var candidate in arguments2)
            {
                if (candidate.Name.Value == argument1.Name.Value)
                {
                    argument2 = candidate;
                    break;
                }
            }

            if (argument2 is null || !AreEqual(argument1.Value, argument2.Value)) return false;
        }

        return true;
    }

    public static bool AreEqual(ValueNode a, ValueNode b)
    {
        switch (a, b)
        {
            case (VariableNode x, VariableNode y): return x.Name.Value == y.Name.Value;
            case (IntValueNode x, IntValueNode y): return x.Value == y.Value;
            case (FloatValueNode x, FloatValueNode y): return x.Value == y.Value;
            case (StringValueNode x, StringValueNode y): return x.Value == y.Value;
            case (BooleanValueNode x, BooleanValueNode y): return x.Value == y.Value;
            case (NullValueNode, NullValueNode): return true;
            case (EnumValueNode x, EnumValueNode y): return x.Value == y.Value;
            case (ListValueNode x, ListValueNode y):
                if (x.Values.Count != y.Values.Count) return false;
                for (int i = 0; i < x.Values.Count; i++)
                {
                    if (!AreEqual(x.Values[i], y.Values[i])) return false;
                }

                return true;
            case (ObjectValueNode x, ObjectValueNode y):
                if (x.Fields.Count != y.Fields.Count) return false;
                var sorted1 = SortedByName(x.Fields);
                var sorted2 = SortedByName(y.Fields);
                for (int i = 0; i < sorted1.Length; i++)
                {
                    if (sorted1[i].Name.Value != sorted2[i].Name.Value || !AreEqual(sorted1[i].Value, sorted2[i].Value)) return false;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A text equal for two argument lists exactly when <see cref="SameArguments"/> holds: arguments
    /// and object fields sorted by name, strings quoted the same way however they were written.
    /// </summary>
    public static string CanonicalArguments(IReadOnlyList<ArgumentNode> arguments)
    {
        if (arguments.Count == 0) return "";
        var builder = new System.Text.StringBuilder("(");
        foreach (var argument in arguments.OrderBy(a => a.Name.Value, StringComparer.Ordinal))
        {
            builder.Append(argument.Name.Value).Append(':');
            AppendCanonical(builder, argument.Value);
            builder.Append(',');
        }

        return builder.Append(')').ToString();
    }

    private static void AppendCanonical(System.Text.StringBuilder builder, ValueNode value)
    {
        switch (value)
        {
            case StringValueNode s:
                builder.Append(System.Text.Json.JsonSerializer.Serialize(s.Value));
                break;
            case ListValueNode list:
                builder.Append('[');
                foreach (var item in list.Values)
                {
                    AppendCanonical(builder, item);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            case ObjectValueNode obj:
                builder.Append('{');
                foreach (var field in SortedByName(obj.Fields))
                {
                    builder.Append(field.Name.Value).Append(':');
                    AppendCanonical(builder, field.Value);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            default:
                builder.Append(AstPrinter.Print(value));
                break;
        }
    }

    private static ObjectFieldNode[] SortedByName(IReadOnlyList<ObjectFieldNode> fields)
    {
        // A stable sort: repeated names keep their order on both sides, as printing the sorted value would.
        return fields.OrderBy(f => f.Name.Value, StringComparer.Ordinal).ToArray();
    }
}
