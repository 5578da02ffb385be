using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// A variable used somewhere, with the input type expected at that position, the argument or input
/// field whose default applies there, and the input type enclosing the position (an input object
/// when the variable is the value of one of its fields).
/// </summary>
public sealed record VariableUsage(VariableNode Node, GraphQLType? Type, InputValueDefinition? DefaultValueOwner, GraphQLType? ParentType = null);

/// <summary>What rules see: schema, document, current type information, helpers, and error reporting.</summary>
public sealed class ValidationContext
{
    private readonly List<GraphQLError> _errors = [];
    private readonly int _maxErrors;
    private readonly long _maxSteps;
    private long _steps;
    private Dictionary<string, FragmentDefinitionNode>? _fragments;
    private readonly Dictionary<SelectionSetNode, IReadOnlyList<FragmentSpreadNode>> _spreads = new();
    private readonly Dictionary<OperationDefinitionNode, IReadOnlyList<FragmentDefinitionNode>> _recursiveFragments = new();
    private readonly Dictionary<SyntaxNode, IReadOnlyList<VariableUsage>> _variableUsages = new();

    internal ValidationContext(GraphQLSchema schema, DocumentNode document, TypeInfo typeInfo, int maxErrors, long maxSteps)
    {
        Schema = schema;
        Document = document;
        TypeInfo = typeInfo;
        _maxErrors = maxErrors;
        _maxSteps = maxSteps;
    }

    public GraphQLSchema Schema { get; }

    public DocumentNode Document { get; }

    public TypeInfo TypeInfo { get; }

    public IReadOnlyList<GraphQLError> Errors => _errors;

    internal bool ErrorLimitReached => _errors.Count >= _maxErrors;

    /// <summary>The error limit: rules may stop collecting once they have more errors than this to report.</summary>
    internal int MaxErrors => _maxErrors;

    /// <summary>The step budget: validation of the document ends with MAX_VALIDATION_STEPS_EXCEEDED beyond it.</summary>
    internal long MaxSteps => _maxSteps;

    /// <summary>Steps charged so far (see <see cref="Step"/>).</summary>
    internal long Steps => _steps;

    /// <summary>
    /// Charges work whose amount depends on how the document combines its parts rather than on its
    /// length (pairs of fields or fragments compared, fragments followed per operation): the rest of
    /// validation is linear in the document, this part is not, so it is what the budget bounds.
    /// </summary>
    internal void Step(long count = 1)
    {
        _steps += count;
        if (_steps > _maxSteps) throw new ValidationBudgetExceededException();
    }

    /// <summary>Reports a validation error located at the given nodes (in order).</summary>
    public void ReportError(string message, params SyntaxNode?[] nodes)
    {
        if (_errors.Count >= _maxErrors) throw new ValidationAbortedException();
        _errors.Add(new GraphQLError(message, GraphQLError.LocationsOf(nodes), code: ErrorCodes.ValidationFailed));
    }

    /// <summary>Reports a prepared error (for rules whose errors carry their own code or extensions).</summary>
    public void ReportError(GraphQLError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (_errors.Count >= _maxErrors) throw new ValidationAbortedException();
        _errors.Add(error);
    }

    public FragmentDefinitionNode? GetFragment(string name)
    {
        if (_fragments is null)
        {
            _fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
            foreach (var definition in Document.Definitions)
            {
                if (definition is FragmentDefinitionNode fragment) _fragments.TryAdd(fragment.Name.Value, fragment);
            }
        }

        return _fragments.GetValueOrDefault(name);
    }

    /// <summary>Fragment spreads directly in a selection set (including nested fields and inline fragments).</summary>
    public IReadOnlyList<FragmentSpreadNode> GetFragmentSpreads(SelectionSetNode node)
    {
        if (_spreads.TryGetValue(node, out var cached)) return cached;
        var spreads = new List<FragmentSpreadNode>();
        var setsToVisit = new Stack<SelectionSetNode>();
        setsToVisit.Push(node);
        while (setsToVisit.Count > 0)
        {
            foreach (var selection in setsToVisit.Pop().Selections)
            {
                switch (selection)
                {
                    case FragmentSpreadNode spread: spreads.Add(spread); break;
                    case FieldNode { SelectionSet: { } set }: setsToVisit.Push(set); break;
                    case InlineFragmentNode inline: setsToVisit.Push(inline.SelectionSet); break;
                }
            }
        }

        _spreads[node] = spreads;
        return spreads;
    }

    /// <summary>Every fragment an operation uses, directly or through other fragments.</summary>
    public IReadOnlyList<FragmentDefinitionNode> GetRecursivelyReferencedFragments(OperationDefinitionNode operation)
    {
        if (_recursiveFragments.TryGetValue(operation, out var cached)) return cached;
        var fragments = new List<FragmentDefinitionNode>();
        var collected = new HashSet<string>(StringComparer.Ordinal);
        var setsToVisit = new Stack<SelectionSetNode>();
        setsToVisit.Push(operation.SelectionSet);
        while (setsToVisit.Count > 0)
        {
            foreach (var spread in GetFragmentSpreads(setsToVisit.Pop()))
            {
                Step();
                string name = spread.Name.Value;
                if (!collected.Add(name)) continue;
                var fragment = GetFragment(name);
                if (fragment is null) continue;
                fragments.Add(fragment);
                setsToVisit.Push(fragment.SelectionSet);
            }
        }

        _recursiveFragments[operation] = fragments;
        return fragments;
    }

    /// <summary>Variables used in an operation or fragment (not in its variable definitions), with expected types.</summary>
    public IReadOnlyList<VariableUsage> GetVariableUsages(ExecutableDefinitionNode node)
    {
        if (_variableUsages.TryGetValue(node, out var cached)) return cached;
        var collector = new VariableUsageCollector();
        var typeInfo = new TypeInfo(Schema);
        collector.TypeInfo = typeInfo;
        var walker = new AstWalker(typeInfo, [collector]);
        // Walk the definition minus its variable definitions: enter it for type info, then its parts.
        typeInfo.Enter(node);
        foreach (var directive in node.Directives) walker.Walk(directive);
        walker.Walk(node.SelectionSet);
        typeInfo.Leave(node);
        _variableUsages[node] = collector.Usages;
        return collector.Usages;
    }

    /// <summary>Variables used by an operation and all fragments it references.</summary>
    public IReadOnlyList<VariableUsage> GetRecursiveVariableUsages(OperationDefinitionNode operation)
    {
        var usages = new List<VariableUsage>(GetVariableUsages(operation));
        foreach (var fragment in GetRecursivelyReferencedFragments(operation))
        {
            var fragmentUsages = GetVariableUsages(fragment);
            Step(fragmentUsages.Count);
            usages.AddRange(fragmentUsages);
        }

        return usages;
    }

    private sealed class VariableUsageCollector : ValidationVisitor
    {
        public TypeInfo TypeInfo { get; set; } = null!;

        public List<VariableUsage> Usages { get; } = [];

        public override void EnterValue(ValueNode node)
        {
            if (node is VariableNode variable) Usages.Add(new VariableUsage(variable, TypeInfo.InputType, TypeInfo.DefaultValueOwner, TypeInfo.ParentInputType));
        }
    }
}

/// <summary>Stops the walk once the error limit is reached.</summary>
internal sealed class ValidationAbortedException : Exception;

/// <summary>Stops the walk once the document has used its step budget.</summary>
internal sealed class ValidationBudgetExceededException : Exception;
