using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Directives must be defined and used only at their declared locations.</summary>
public sealed class KnownDirectivesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private DirectiveLocation? _location;
        private readonly Stack<DirectiveLocation?> _locations = new();

        public override void EnterOperationDefinition(OperationDefinitionNode node) => Push(node.Operation switch
        {
            OperationType.Mutation => DirectiveLocation.Mutation,
            OperationType.Subscription => DirectiveLocation.Subscription,
            _ => DirectiveLocation.Query,
        });

        public override void LeaveOperationDefinition(OperationDefinitionNode node) => Pop();

        public override void EnterVariableDefinition(VariableDefinitionNode node) => Push(DirectiveLocation.VariableDefinition);

        public override void LeaveVariableDefinition(VariableDefinitionNode node) => Pop();

        public override void EnterFragmentDefinition(FragmentDefinitionNode node) => Push(DirectiveLocation.FragmentDefinition);

        public override void LeaveFragmentDefinition(FragmentDefinitionNode node) => Pop();

        public override void EnterField(FieldNode node) => Push(DirectiveLocation.Field);

        public override void LeaveField(FieldNode node) => Pop();

        public override void EnterFragmentSpread(FragmentSpreadNode node) => Push(DirectiveLocation.FragmentSpread);

        public override void LeaveFragmentSpread(FragmentSpreadNode node) => Pop();

        public override void EnterInlineFragment(InlineFragmentNode node) => Push(DirectiveLocation.InlineFragment);

        public override void LeaveInlineFragment(InlineFragmentNode node) => Pop();

        // Directives in argument values cannot occur, so the innermost pushed location is the directive's location.
        public override void EnterDirective(DirectiveNode node)
        {
            string name = node.Name.Value;
            var definition = context.Schema.GetDirective(name);
            if (definition is null)
            {
                context.ReportError("Unknown directive \"@" + name + "\".", node);
                return;
            }

            if (_location is { } location && !definition.Locations.Contains(location))
            {
                context.ReportError("Directive \"@" + name + "\" may not be used on " + location.ToSdlName() + ".", node);
            }
        }

        private void Push(DirectiveLocation location)
        {
            _locations.Push(_location);
            _location = location;
        }

        private void Pop() => _location = _locations.Count > 0 ? _locations.Pop() : null;
    }
}
