using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Utilities;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>Arguments must be defined by the field or directive they are given to.</summary>
public sealed class KnownArgumentNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        private bool _inDirective;

        public override void EnterDirective(DirectiveNode node)
        {
            _inDirective = true;
            var definition = context.Schema.GetDirective(node.Name.Value);
            if (definition is null) return;
            var known = definition.Arguments.Select(a => a.Name).ToList();
            foreach (var argument in node.Arguments)
            {
                string name = argument.Name.Value;
                if (known.Contains(name)) continue;
                context.ReportError(
                    "Unknown argument \"" + name + "\" on directive \"@" + node.Name.Value + "\"." + Suggestions.DidYouMean(Suggestions.List(name, known)),
                    argument);
            }
        }

        public override void LeaveDirective(DirectiveNode node) => _inDirective = false;

        public override void EnterArgument(ArgumentNode node)
        {
            if (_inDirective || context.TypeInfo.Argument is not null) return;
            var fieldDefinition = context.TypeInfo.FieldDefinition;
            var parentType = context.TypeInfo.ParentType;
            if (fieldDefinition is null || parentType is null) return;
            string name = node.Name.Value;
            var suggestions = Suggestions.List(name, fieldDefinition.Arguments.Select(a => a.Name));
            context.ReportError(
                "Unknown argument \"" + name + "\" on field \"" + parentType.Name + "." + fieldDefinition.Name + "\"." + Suggestions.DidYouMean(suggestions),
                node);
        }
    }
}
