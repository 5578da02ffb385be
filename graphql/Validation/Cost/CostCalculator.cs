using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>
/// Field cost and type cost of one operation (the IBM cost directive draft's static analysis):
/// <list type="bullet">
/// <item>field cost = weight + argument weights + list size × field cost of the sub-selection, where
/// the weight is the field's @cost, else its type's @cost, else 1 for objects/interfaces/unions and 0
/// for scalars/enums;</item>
/// <item>type cost = list size × (the object type's @cost, else 1, plus the type cost of the
/// sub-selection); scalars and enums add their @cost or 0; the root type counts once.</item>
/// </list>
/// A list's size is its slicing argument's value, else @listSize(assumedSize:), else the configured
/// default; inner levels of nested lists use the assumed or default size. For abstract types the most
/// expensive possible object type counts. Introspection fields cost nothing (MaxIntrospectionDepth
/// bounds them). Each (selection set, object type) pair is computed once, so fragments spread many
/// times do not make the analysis itself expensive.
/// </summary>
internal sealed class CostCalculator
{
    private readonly GraphQLSchema _schema;
    private readonly CostModel _model;
    private readonly LimitsOptions _options;
    private readonly IReadOnlyDictionary<string, FragmentDefinitionNode> _fragments;
    private readonly IReadOnlyDictionary<string, object?>? _variables;
    private readonly Dictionary<string, ValueNode?> _variableDefaults = new(StringComparer.Ordinal);
    private readonly Dictionary<(SelectionSetNode, ObjectType, SizedFields?), Cost> _selectionCosts = new();
    private readonly HashSet<string> _fragmentsInProgress = new(StringComparer.Ordinal);
    private readonly HashSet<FieldNode> _reportedFields = [];

    public CostCalculator(
        GraphQLSchema schema,
        LimitsOptions options,
        IReadOnlyDictionary<string, FragmentDefinitionNode> fragments,
        OperationDefinitionNode operation,
        IReadOnlyDictionary<string, object?>? variables)
    {
        _schema = schema;
        _model = CostModel.For(schema);
        _options = options;
        _fragments = fragments;
        _variables = variables;
        foreach (var definition in operation.VariableDefinitions) _variableDefaults[definition.Variable.Name.Value] = definition.DefaultValue;
    }

    public List<GraphQLError> Errors { get; } = [];

    public readonly record struct Cost(double Field, double Type)
    {
        public static Cost operator +(Cost a, Cost b) => new(a.Field + b.Field, a.Type + b.Type);
    }

    /// <summary>The size a @listSize field passes down to its sized fields (connection edges, nodes).</summary>
    private sealed record SizedFields(ListSizeSettings Settings, double Size);

    public Cost OfOperation(OperationDefinitionNode operation)
    {
        var rootType = _schema.GetRootType(operation.Operation);
        return rootType is null ? default : OfComposite(operation.SelectionSet, rootType, null);
    }

    /// <summary>One value of a composite type: the most expensive possible object type, with its own type weight.</summary>
    private Cost OfComposite(SelectionSetNode selectionSet, NamedType type, SizedFields? sized)
    {
        if (type is ObjectType obj) return SelectionsOf(selectionSet, obj, sized) + new Cost(0, ObjectWeight(obj));
        Cost most = default;
        foreach (var possibleType in _schema.GetPossibleTypes(type))
        {
            var cost = SelectionsOf(selectionSet, possibleType, sized) + new Cost(0, ObjectWeight(possibleType));
            most = new Cost(Math.Max(most.Field, cost.Field), Math.Max(most.Type, cost.Type));
        }

        return most;
    }

    private double ObjectWeight(ObjectType type) => _model.TypeWeight(type) ?? 1;

    private Cost SelectionsOf(SelectionSetNode selectionSet, ObjectType type, SizedFields? sized)
    {
        var key = (selectionSet, type, sized);
        if (_selectionCosts.TryGetValue(key, out var known)) return known;
        RuntimeHelpers.EnsureSufficientExecutionStack();
        Cost total = default;
        foreach (var selection in selectionSet.Selections)
        {
            if (!IncludeConditions.MayBeIncluded(selection.Directives, _variables)) continue;
            switch (selection)
            {
                case FieldNode field:
                    total += OfField(field, type, sized);
                    break;
                case InlineFragmentNode inline:
                    if (inline.TypeCondition is null || Applies(inline.TypeCondition, type)) total += SelectionsOf(inline.SelectionSet, type, sized);
                    break;
                case FragmentSpreadNode spread:
                    string name = spread.Name.Value;
                    // A cycle (possible only when validation was switched off) adds nothing instead of looping.
                    if (!_fragments.TryGetValue(name, out var fragment) || !Applies(fragment.TypeCondition, type) || !_fragmentsInProgress.Add(name)) break;
                    total += SelectionsOf(fragment.SelectionSet, type, sized);
                    _fragmentsInProgress.Remove(name);
                    break;
            }
        }

        _selectionCosts[key] = total;
        return total;
    }

    private bool Applies(NamedTypeNode typeCondition, ObjectType type)
    {
        var conditionType = _schema.GetType(typeCondition.Name.Value);
        return conditionType is not null && (ReferenceEquals(conditionType, type) || _schema.IsPossibleType(conditionType, type));
    }

    private Cost OfField(FieldNode node, ObjectType parentType, SizedFields? sized)
    {
        string name = node.Name.Value;
        // The introspection roots answer from the schema without resolvers, but each answer is as large as the
        // schema: aliased two thousand times, one small request asked for 151 MB. __typename stays free.
        if (name == "__schema") return new Cost(_options.IntrospectionSchemaCost, 0);
        if (name == "__type") return new Cost(_options.IntrospectionTypeCost, 0);
        if (name.StartsWith("__", StringComparison.Ordinal)) return default;
        var definition = parentType.GetField(name);
        if (definition is null) return default;

        var namedType = definition.Type.GetNamedType();
        double weight = _model.FieldWeight(definition) ?? _model.TypeWeight(namedType) ?? (namedType.IsCompositeType ? 1 : 0);
        if (_model.HasInputWeights) weight += ArgumentsWeight(node, definition);

        var listSize = _model.ListSize(definition);
        double? slicedSize = listSize is null ? null : SliceSize(node, definition, parentType, listSize);
        var childSized = listSize is { SizedFields.Count: > 0 } ? new SizedFields(listSize, slicedSize!.Value) : null;

        double multiplier = 1;
        int listLevels = ListLevels(definition.Type);
        if (listLevels > 0)
        {
            double outerSize = listSize is { SizedFields.Count: 0 } ? slicedSize!.Value
                : sized is not null && sized.Settings.SizedFields.Contains(name) ? sized.Size
                : _options.DefaultListSize;
            double innerSize = listSize?.AssumedSize ?? _options.DefaultListSize;
            multiplier = outerSize * Math.Pow(innerSize, listLevels - 1);
        }

        Cost perItem = namedType.IsCompositeType
            ? node.SelectionSet is null ? default : OfComposite(node.SelectionSet, namedType, childSized)
            : new Cost(0, _model.TypeWeight(namedType) ?? 0);
        return new Cost(weight + multiplier * perItem.Field, multiplier * perItem.Type);
    }

    private static int ListLevels(GraphQLType type)
    {
        int levels = 0;
        for (var current = type; current is ListType or NonNullType; current = current is ListType list ? list.OfType : ((NonNullType)current).OfType)
        {
            if (current is ListType) levels++;
        }

        return levels;
    }

    /// <summary>The list size a field's slicing arguments give, checking requireOneSlicingArgument.</summary>
    private double SliceSize(FieldNode node, FieldDefinition definition, ObjectType parentType, ListSizeSettings settings)
    {
        double fallback = settings.AssumedSize ?? _options.DefaultListSize;
        if (settings.SlicingArguments.Count == 0) return fallback;
        int given = 0;
        double? largestGiven = null, largestDefault = null;
        foreach (var argumentName in settings.SlicingArguments)
        {
            var argument = FindArgument(node, argumentName);
            if (argument is null || IsAbsentVariable(argument.Value))
            {
                if (AsNumber(definition.GetArgument(argumentName)?.DefaultValue) is { } byDefault) largestDefault = Math.Max(largestDefault ?? 0, byDefault);
                continue;
            }

            var (isNull, number) = Evaluate(argument.Value);
            if (isNull) continue;
            given++;
            if (number is { } n) largestGiven = Math.Max(largestGiven ?? 0, n);
        }

        bool satisfied = given == 1 || (given == 0 && largestDefault is not null);
        if (settings.RequireOneSlicingArgument && _options.EnforceSlicingArguments && !satisfied && _reportedFields.Add(node))
        {
            Errors.Add(new GraphQLError(
                "Field \"" + parentType.Name + "." + definition.Name + "\" must be given exactly one of the slicing arguments "
                + string.Join(", ", settings.SlicingArguments.Select(a => "\"" + a + "\"")) + ".",
                [node.ErrorLocation],
                code: ErrorCodes.SlicingArgumentRequired));
        }

        if (largestGiven is { } size) return Math.Max(0, size);
        return given == 0 && largestDefault is { } defaultSize ? Math.Max(0, defaultSize) : fallback;
    }

    private static ArgumentNode? FindArgument(FieldNode node, string name)
    {
        foreach (var argument in node.Arguments)
        {
            if (argument.Name.Value == name) return argument;
        }

        return null;
    }

    /// <summary>At execution, a variable the request did not provide leaves the argument at its default.</summary>
    private bool IsAbsentVariable(ValueNode value) =>
        value is VariableNode variable && _variables is not null && !_variables.ContainsKey(variable.Name.Value);

    /// <summary>Is the value null, and its number when known (a variable's default stands in for it before execution).</summary>
    private (bool IsNull, double? Number) Evaluate(ValueNode value)
    {
        switch (value)
        {
            case NullValueNode:
                return (true, null);
            case VariableNode variable when _variables is not null:
                var runtimeValue = _variables.GetValueOrDefault(variable.Name.Value);
                return (runtimeValue is null, AsNumber(runtimeValue));
            case VariableNode variable:
                return _variableDefaults.GetValueOrDefault(variable.Name.Value) is { } defaultLiteral ? Evaluate(defaultLiteral) : (false, null);
            case IntValueNode literal:
                return (false, double.TryParse(literal.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out double parsed) ? parsed : null);
            default:
                return (false, null);
        }
    }

    private static double? AsNumber(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d when double.IsFinite(d) => d,
        _ => null,
    };

    private double ArgumentsWeight(FieldNode node, FieldDefinition definition)
    {
        double weight = 0;
        foreach (var argument in node.Arguments)
        {
            var argumentDefinition = definition.GetArgument(argument.Name.Value);
            if (argumentDefinition is null) continue;
            weight += (_model.InputWeight(argumentDefinition) ?? 0) + InputWeight(argument.Value, argumentDefinition.Type);
        }

        return weight;
    }

    /// <summary>The @cost weights of the input object fields given in a value, however deep.</summary>
    private double InputWeight(ValueNode value, GraphQLType type)
    {
        if (type.GetNamedType() is not InputObjectType inputType) return 0;
        switch (value)
        {
            case ListValueNode list:
                var itemType = type.Nullable is ListType listType ? listType.OfType : type;
                return list.Values.Sum(item => InputWeight(item, itemType));
            case ObjectValueNode obj:
                double weight = 0;
                foreach (var field in obj.Fields)
                {
                    if (inputType.GetField(field.Name.Value) is not { } fieldDefinition) continue;
                    weight += (_model.InputWeight(fieldDefinition) ?? 0) + InputWeight(field.Value, fieldDefinition.Type);
                }

                return weight;
            case VariableNode variable when _variables is not null:
                return InputWeight(_variables.GetValueOrDefault(variable.Name.Value), inputType);
            default:
                return 0;
        }
    }

    private double InputWeight(object? value, InputObjectType type)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object?> map:
                double weight = 0;
                foreach (var (key, fieldValue) in map)
                {
                    if (type.GetField(key) is not { } fieldDefinition) continue;
                    weight += (_model.InputWeight(fieldDefinition) ?? 0);
                    if (fieldDefinition.Type.GetNamedType() is InputObjectType nested) weight += InputWeight(fieldValue, nested);
                }

                return weight;
            case IEnumerable items and not string:
                double sum = 0;
                foreach (var item in items) sum += InputWeight(item, type);
                return sum;
            default:
                return 0;
        }
    }
}
