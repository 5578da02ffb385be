using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Fields that share a response key must be mergeable: the same field with the same arguments
/// (unless their parents are distinct object types), compatible return shapes, and mergeable
/// sub-selections, across aliases, inline fragments and fragment spreads.
/// <para>
/// The comparison is the specification's FieldsInSetCanMerge done the way graphql-js does it: each
/// selection set's fields are gathered once (cached), and every (fields, fragment) and
/// (fragment, fragment) pair is compared at most once, so large documents with widely spread
/// fragments stay close to linear. The comparison itself is in <see cref="FieldConflictFinder"/>.
/// </para>
/// </summary>
public sealed class OverlappingFieldsCanBeMergedRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private readonly FieldConflictFinder _finder = new(context);

        public override void EnterSelectionSet(SelectionSetNode node)
        {
            var conflicts = _finder.FindConflictsWithinSelectionSet(context.TypeInfo.ParentType, node);
            foreach (var conflict in conflicts)
            {
                var nodes = new SyntaxNode?[conflict.Fields1.Count + conflict.Fields2.Count];
                for (int i = 0; i < conflict.Fields1.Count; i++) nodes[i] = conflict.Fields1[i];
                for (int i = 0; i < conflict.Fields2.Count; i++) nodes[conflict.Fields1.Count + i] = conflict.Fields2[i];
                context.ReportError(
                    "Fields \"" + conflict.ResponseName + "\" conflict because " + conflict.Reason.Describe()
                    + ". Use different aliases on the fields to fetch both if this was intentional.",
                    nodes);
            }
        }
    }
}
