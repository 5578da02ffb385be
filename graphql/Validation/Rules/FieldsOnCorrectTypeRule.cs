using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Selected fields must be defined on the parent type (with graphql-js's suggestions).</summary>
public sealed class FieldsOnCorrectTypeRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterField(FieldNode node)
        {
            var parentType = context.TypeInfo.ParentType;
            if (parentType is null || context.TypeInfo.FieldDefinition is not null) return;
            string fieldName = node.Name.Value;
            string suggestion = Suggestions.DidYouMean(SuggestedTypeNames(context.Schema, parentType, fieldName), "to use an inline fragment on");
            if (suggestion.Length == 0) suggestion = Suggestions.DidYouMean(SuggestedFieldNames(parentType, fieldName));
            context.ReportError("Cannot query field \"" + fieldName + "\" on type \"" + parentType.Name + "\"." + suggestion, node);
        }

        /// <summary>For abstract types: the possible types (and their interfaces) that have the field, most used first.</summary>
        private static IReadOnlyList<string> SuggestedTypeNames(GraphQLSchema schema, NamedType type, string fieldName)
        {
            if (!type.IsAbstractType) return [];
            var suggested = new List<NamedType>();
            var usageCount = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var possibleType in schema.GetPossibleTypes(type))
            {
                if (possibleType.GetField(fieldName) is null) continue;
                if (!suggested.Contains(possibleType)) suggested.Add(possibleType);
                usageCount[possibleType.Name] = 1;
                foreach (var iface in possibleType.Interfaces)
                {
                    if (iface.GetField(fieldName) is null) continue;
                    if (!suggested.Contains(iface)) suggested.Add(iface);
                    usageCount[iface.Name] = usageCount.GetValueOrDefault(iface.Name) + 1;
                }
            }

            suggested.Sort((a, b) =>
            {
                int diff = usageCount[b.Name] - usageCount[a.Name];
                if (diff != 0) return diff;
                if (a is InterfaceType && schema.IsSubType(a, b)) return -1;
                if (b is InterfaceType && schema.IsSubType(b, a)) return 1;
                return Suggestions.NaturalCompare(a.Name, b.Name);
            });
            return suggested.Select(t => t.Name).ToList();
        }

        private static IReadOnlyList<string> SuggestedFieldNames(NamedType type, string fieldName) =>
            type is ComplexType complex ? Suggestions.List(fieldName, complex.Fields.Select(f => f.Name)) : [];
    }
}
