using System.Runtime.CompilerServices;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>
/// The @cost weights and @listSize settings of a schema, read once from its applied directives and
/// kept for the schema's lifetime (schemas are immutable).
/// </summary>
internal sealed class CostModel
{
    private static readonly ConditionalWeakTable<GraphQLSchema, CostModel> Models = new();

    private readonly Dictionary<FieldDefinition, double> _fieldWeights = new();
    private readonly Dictionary<FieldDefinition, ListSizeSettings> _listSizes = new();
    private readonly Dictionary<NamedType, double> _typeWeights = new();
    private readonly Dictionary<InputValueDefinition, double> _inputWeights = new();

    private CostModel(GraphQLSchema schema)
    {
        foreach (var type in schema.Types)
        {
            if (Weight(type.AppliedDirectives) is { } typeWeight) _typeWeights[type] = typeWeight;
            switch (type)
            {
                case ComplexType complex:
                    foreach (var field in complex.Fields)
                    {
                        if (Weight(field.AppliedDirectives) is { } fieldWeight) _fieldWeights[field] = fieldWeight;
                        var listSize = field.AppliedDirectives.FirstOrDefault(d => d.Name == CostDirectives.ListSizeName);
                        if (listSize is not null) _listSizes[field] = ListSizeSettings.From(listSize);
                        foreach (var argument in field.Arguments) AddInputWeight(argument);
                    }

                    break;
                case InputObjectType input:
                    foreach (var field in input.Fields) AddInputWeight(field);
                    break;
            }
        }

        // An object field without its own settings takes those of the interface field it implements.
        foreach (var type in schema.Types)
        {
            if (type is not ObjectType obj || obj.Interfaces.Count == 0) continue;
            foreach (var field in obj.Fields)
            {
                foreach (var iface in obj.Interfaces)
                {
                    if (iface.GetField(field.Name) is not { } inherited) continue;
                    if (!_fieldWeights.ContainsKey(field) && _fieldWeights.TryGetValue(inherited, out double weight)) _fieldWeights[field] = weight;
                    if (!_listSizes.ContainsKey(field) && _listSizes.TryGetValue(inherited, out var listSize)) _listSizes[field] = listSize;
                }
            }
        }

        HasInputWeights = _inputWeights.Count > 0;
    }

    /// <summary>False for most schemas: argument values then need not be inspected at all.</summary>
    public bool HasInputWeights { get; }

    public static CostModel For(GraphQLSchema schema) => Models.GetValue(schema, static s => new CostModel(s));

    public double? FieldWeight(FieldDefinition field) => _fieldWeights.TryGetValue(field, out double weight) ? weight : null;

    public ListSizeSettings? ListSize(FieldDefinition field) => _listSizes.GetValueOrDefault(field);

    public double? TypeWeight(NamedType type) => _typeWeights.TryGetValue(type, out double weight) ? weight : null;

    public double? InputWeight(InputValueDefinition inputValue) => _inputWeights.TryGetValue(inputValue, out double weight) ? weight : null;

    private void AddInputWeight(InputValueDefinition inputValue)
    {
        if (Weight(inputValue.AppliedDirectives) is { } weight) _inputWeights[inputValue] = weight;
    }

    private static double? Weight(IReadOnlyList<AppliedDirective> directives)
    {
        foreach (var directive in directives)
        {
            if (directive.Name == CostDirectives.CostName) return CostDirectives.ParseWeight(directive.Arguments.GetValueOrDefault("weight"));
        }

        return null;
    }
}
