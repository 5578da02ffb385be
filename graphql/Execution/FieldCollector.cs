using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>One response key of a selection set for a given object type: its field nodes and definition.</summary>
internal sealed class CollectedField
{
    public CollectedField(string responseKey, FieldNode[] nodes, FieldDefinition definition, bool isTypeName)
    {
        ResponseKey = responseKey;
        Nodes = nodes;
        Definition = definition;
        IsTypeName = isTypeName;
    }

    public string ResponseKey { get; }

    public FieldNode[] Nodes { get; }

    public FieldDefinition Definition { get; }

    public bool IsTypeName { get; }

    /// <summary>Arguments coerced once, when they are constant (no variables); null otherwise.</summary>
    public IReadOnlyDictionary<string, object?>? ConstantArguments { get; set; }

    /// <summary>Sub-plans of merged selection sets (several field nodes), keyed by object type.</summary>
    public PlanCacheEntry[]? MergedSubPlans;
}

internal sealed class PlanCacheEntry(ObjectType type, CollectedField[] fields)
{
    public ObjectType Type { get; } = type;

    public CollectedField[] Fields { get; } = fields;
}

/// <summary>
/// The spec's CollectFields. Results that do not depend on variables (no variable in @skip/@include)
/// are cached on the selection set node per object type, so a cached document is collected once.
/// </summary>
internal static class FieldCollector
{
    public static CollectedField[] CollectRoot(RequestContext context, ObjectType type, SelectionSetNode selectionSet) =>
        CollectCached(context, type, selectionSet);

    /// <summary>The fields of the object returned by <paramref name="field"/> (its merged sub-selections).</summary>
    public static CollectedField[] CollectSubfields(RequestContext context, ObjectType type, CollectedField field)
    {
        var nodes = field.Nodes;
        if (nodes.Length == 1) return nodes[0].SelectionSet is { } set ? CollectCached(context, type, set) : [];

        var cached = Find(field.MergedSubPlans, type);
        if (cached is not null) return cached;
        var sets = new List<SelectionSetNode>(nodes.Length);
        foreach (var node in nodes)
        {
            if (node.SelectionSet is not null) sets.Add(node.SelectionSet);
        }

        var fields = Collect(context, type, sets, out bool dependsOnVariables);
        if (!dependsOnVariables) field.MergedSubPlans = Append(field.MergedSubPlans, new PlanCacheEntry(type, fields));
        return fields;
    }

    private static CollectedField[] CollectCached(RequestContext context, ObjectType type, SelectionSetNode selectionSet)
    {
        var cached = Find(selectionSet.ExecutionPlanCache as PlanCacheEntry[], type);
        if (cached is not null) return cached;
        var fields = Collect(context, type, [selectionSet], out bool dependsOnVariables);
        if (!dependsOnVariables)
        {
            selectionSet.ExecutionPlanCache = Append(selectionSet.ExecutionPlanCache as PlanCacheEntry[], new PlanCacheEntry(type, fields));
        }

        return fields;
    }

    private static CollectedField[]? Find(PlanCacheEntry[]? entries, ObjectType type)
    {
        if (entries is null) return null;
        foreach (var entry in entries)
        {
            if (ReferenceEquals(entry.Type, type)) return entry.Fields;
        }

        return null;
    }

    private static PlanCacheEntry[] Append(PlanCacheEntry[]? entries, PlanCacheEntry entry) =>
        entries is null ? [entry] : [.. entries, entry];

    private static CollectedField[] Collect(RequestContext context, ObjectType type, IReadOnlyList<SelectionSetNode> sets, out bool dependsOnVariables)
    {
        var keys = new List<string>();
        var groups = new Dictionary<string, List<FieldNode>>(StringComparer.Ordinal);
        var visitedFragments = new HashSet<string>(StringComparer.Ordinal);
        dependsOnVariables = false;
        foreach (var set in sets) CollectInto(context, type, set, keys, groups, visitedFragments, ref dependsOnVariables);

        var result = new List<CollectedField>(keys.Count);
        foreach (var key in keys)
        {
            var nodes = groups[key].ToArray();
            string name = nodes[0].Name.Value;
            var definition = GetFieldDefinition(context.Schema, type, name);
            if (definition is null) continue; // unknown fields are skipped, as in graphql-js
            var field = new CollectedField(key, nodes, definition, name == "__typename");
            field.ConstantArguments = TryCoerceConstantArguments(definition, nodes[0]);
            result.Add(field);
        }

        return result.ToArray();
    }

    private static void CollectInto(
        RequestContext context,
        ObjectType type,
        SelectionSetNode selectionSet,
        List<string> keys,
        Dictionary<string, List<FieldNode>> groups,
        HashSet<string> visitedFragments,
        ref bool dependsOnVariables)
    {
        foreach (var selection in selectionSet.Selections)
        {
            if (!ShouldInclude(context, selection.Directives, ref dependsOnVariables)) continue;
            switch (selection)
            {
                case FieldNode field:
                    string key = field.ResponseKey;
                    if (!groups.TryGetValue(key, out var list))
                    {
                        list = [];
                        groups[key] = list;
                        keys.Add(key);
                    }

                    list.Add(field);
                    break;

                case FragmentSpreadNode spread:
                    string fragmentName = spread.Name.Value;
                    if (!visitedFragments.Add(fragmentName)) continue;
                    if (!context.Fragments.TryGetValue(fragmentName, out var fragment)) continue;
                    if (!DoesFragmentTypeApply(context.Schema, type, fragment.TypeCondition)) continue;
                    CollectInto(context, type, fragment.SelectionSet, keys, groups, visitedFragments, ref dependsOnVariables);
                    break;

                case InlineFragmentNode inline:
                    if (inline.TypeCondition is not null && !DoesFragmentTypeApply(context.Schema, type, inline.TypeCondition)) continue;
                    CollectInto(context, type, inline.SelectionSet, keys, groups, visitedFragments, ref dependsOnVariables);
                    break;
            }
        }
    }

    private static bool ShouldInclude(RequestContext context, IReadOnlyList<DirectiveNode> directives, ref bool dependsOnVariables)
    {
        for (int i = 0; i < directives.Count; i++)
        {
            var directive = directives[i];
            string name = directive.Name.Value;
            if (name != "skip" && name != "include") continue;
            var definition = name == "skip" ? BuiltInDirectives.Skip : BuiltInDirectives.Include;
            foreach (var argument in directive.Arguments)
            {
                if (ValueCoercion.ContainsVariable(argument.Value)) dependsOnVariables = true;
            }

            var arguments = ArgumentCoercion.CoerceArguments(definition.Arguments, directive.Arguments, context.Variables, directive);
            bool condition = arguments.TryGetValue("if", out var value) && value is true;
            if (name == "skip" && condition) return false;
            if (name == "include" && !condition) return false;
        }

        return true;
    }

    private static bool DoesFragmentTypeApply(GraphQLSchema schema, ObjectType objectType, NamedTypeNode typeCondition)
    {
        var conditionType = schema.GetType(typeCondition.Name.Value);
        return conditionType switch
        {
            ObjectType obj => ReferenceEquals(obj, objectType),
            InterfaceType or UnionType => schema.IsPossibleType(conditionType, objectType),
            _ => false,
        };
    }

    private static FieldDefinition? GetFieldDefinition(GraphQLSchema schema, ObjectType type, string name)
    {
        if (name.Length > 2 && name[0] == '_' && name[1] == '_')
        {
            if (name == "__typename") return schema.TypeNameMetaField;
            if (ReferenceEquals(type, schema.QueryType))
            {
                if (name == "__schema") return schema.SchemaMetaField;
                if (name == "__type") return schema.TypeMetaField;
            }
        }

        return type.GetField(name);
    }

    private static IReadOnlyDictionary<string, object?>? TryCoerceConstantArguments(FieldDefinition definition, FieldNode node)
    {
        if (definition.Arguments.Count == 0) return ValueCoercion.EmptyValues;
        foreach (var argument in node.Arguments)
        {
            if (ValueCoercion.ContainsVariable(argument.Value)) return null;
        }

        try
        {
            return ArgumentCoercion.CoerceArguments(definition.Arguments, node.Arguments, null, node);
        }
        catch (ArgumentCoercionException)
        {
            return null; // reported as a field error when the field executes
        }
    }
}
