using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>An input object literal may give each field only once.</summary>
public sealed class UniqueInputFieldNamesRule : ValidationRule
{
    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context);

    private sealed class Visitor(ValidationContext context) : ValidationVisitor
    {
        // One scope per object literal being walked; nested literals have their own names.
        private readonly Stack<Dictionary<string, NameNode>> _scopes = new();

        public override void EnterValue(ValueNode node)
        {
            if (node is ObjectValueNode) _scopes.Push(new Dictionary<string, NameNode>(StringComparer.Ordinal));
        }

        public override void LeaveValue(ValueNode node)
        {
            if (node is ObjectValueNode && _scopes.Count > 0) _scopes.Pop();
        }

        public override void EnterObjectField(ObjectFieldNode node)
        {
            if (_scopes.Count == 0) return;
            var known = _scopes.Peek();
            var name = node.Name;
            if (known.TryGetValue(name.Value, out var first))
            {
                context.ReportError("There can be only one input field named \"" + name.Value + "\".", first, name);
            }
            else
            {
                known[name.Value] = name;
            }
        }
    }
}
