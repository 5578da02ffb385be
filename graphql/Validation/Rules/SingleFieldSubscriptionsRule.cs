using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// A subscription selects exactly one root field, and not an introspection field. Root fields are
/// collected as execution would (fragments followed, type conditions and literal @skip/@include
/// applied); a condition on a variable counts as included, since variables are unknown here.
/// </summary>
public sealed class SingleFieldSubscriptionsRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        public override void EnterOperationDefinition(OperationDefinitionNode node)
        {
            if (node.Operation != OperationType.Subscription) return;
            var subscriptionType = context.Schema.SubscriptionType;
            if (subscriptionType is null) return;

            var fieldsByResponseKey = new List<(string Key, List<FieldNode> Nodes)>();
            var indexByKey = new Dictionary<string, int>(StringComparer.Ordinal);
            Collect(subscriptionType, node.SelectionSet, fieldsByResponseKey, indexByKey, new HashSet<string>(StringComparer.Ordinal));

            string subject = node.Name is { } name ? "Subscription \"" + name.Value + "\"" : "Anonymous Subscription";
            if (fieldsByResponseKey.Count > 1)
            {
                var extraFields = fieldsByResponseKey.Skip(1).SelectMany(f => f.Nodes).Cast<SyntaxNode?>().ToArray();
                context.ReportError(subject + " must select only one top level field.", extraFields);
            }

            foreach (var (_, nodes) in fieldsByResponseKey)
            {
                if (nodes[0].Name.Value.StartsWith("__", StringComparison.Ordinal))
                {
                    context.ReportError(subject + " must not select an introspection top level field.", nodes.Cast<SyntaxNode?>().ToArray());
                }
            }
        }

        private void Collect(
            ObjectType rootType,
            SelectionSetNode selectionSet,
            List<(string Key, List<FieldNode> Nodes)> fields,
            Dictionary<string, int> indexByKey,
            HashSet<string> visitedFragments)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            foreach (var selection in selectionSet.Selections)
            {
                if (!MayBeIncluded(selection.Directives)) continue;
                switch (selection)
                {
                    case FieldNode field:
                        string key = field.ResponseKey;
                        if (indexByKey.TryGetValue(key, out int index))
                        {
                            fields[index].Nodes.Add(field);
                        }
                        else
                        {
                            indexByKey[key] = fields.Count;
                            fields.Add((key, [field]));
                        }

                        break;
                    case InlineFragmentNode inline:
                        if (inline.TypeCondition is null || Applies(rootType, inline.TypeCondition))
                        {
                            Collect(rootType, inline.SelectionSet, fields, indexByKey, visitedFragments);
                        }

                        break;
                    case FragmentSpreadNode spread:
                        if (!visitedFragments.Add(spread.Name.Value)) break;
                        var fragment = context.GetFragment(spread.Name.Value);
                        if (fragment is not null && Applies(rootType, fragment.TypeCondition))
                        {
                            Collect(rootType, fragment.SelectionSet, fields, indexByKey, visitedFragments);
                        }

                        break;
                }
            }
        }

        private bool Applies(ObjectType rootType, NamedTypeNode typeCondition)
        {
            var conditionType = context.Schema.GetType(typeCondition.Name.Value);
            return conditionType is not null
                && (ReferenceEquals(conditionType, rootType) || (conditionType.IsAbstractType && context.Schema.IsPossibleType(conditionType, rootType)));
        }

        private static bool MayBeIncluded(IReadOnlyList<DirectiveNode> directives)
        {
            foreach (var directive in directives)
            {
                string name = directive.Name.Value;
                if (name is not ("skip" or "include")) continue;
                foreach (var argument in directive.Arguments)
                {
                    if (argument.Name.Value != "if" || argument.Value is not BooleanValueNode condition) continue;
                    if (name == "skip" && condition.Value) return false;
                    if (name == "include" && !condition.Value) return false;
                }
            }

            return true;
        }
    }
}
