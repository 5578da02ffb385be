using OrgActors.GraphQL.Language;

namespace OrgActors.GraphQL.Validation;

/// <summary>
/// Callbacks for the nodes of an executable document, called in document order during one walk.
/// Override only what a rule needs; <see cref="ValidationContext.TypeInfo"/> is up to date in each call.
/// </summary>
public abstract class ValidationVisitor
{
    public virtual void EnterDocument(DocumentNode node) { }

    public virtual void LeaveDocument(DocumentNode node) { }

    public virtual void EnterOperationDefinition(OperationDefinitionNode node) { }

    public virtual void LeaveOperationDefinition(OperationDefinitionNode node) { }

    public virtual void EnterVariableDefinition(VariableDefinitionNode node) { }

    public virtual void LeaveVariableDefinition(VariableDefinitionNode node) { }

    public virtual void EnterFragmentDefinition(FragmentDefinitionNode node) { }

    public virtual void LeaveFragmentDefinition(FragmentDefinitionNode node) { }

    public virtual void EnterSelectionSet(SelectionSetNode node) { }

    public virtual void LeaveSelectionSet(SelectionSetNode node) { }

    public virtual void EnterField(FieldNode node) { }

    public virtual void LeaveField(FieldNode node) { }

    public virtual void EnterFragmentSpread(FragmentSpreadNode node) { }

    public virtual void LeaveFragmentSpread(FragmentSpreadNode node) { }

    public virtual void EnterInlineFragment(InlineFragmentNode node) { }

    public virtual void LeaveInlineFragment(InlineFragmentNode node) { }

    public virtual void EnterArgument(ArgumentNode node) { }

    public virtual void LeaveArgument(ArgumentNode node) { }

    public virtual void EnterDirective(DirectiveNode node) { }

    public virtual void LeaveDirective(DirectiveNode node) { }

    /// <summary>Every value node: variables, scalars, enums, null, lists and objects.</summary>
    public virtual void EnterValue(ValueNode node) { }

    public virtual void LeaveValue(ValueNode node) { }

    public virtual void EnterObjectField(ObjectFieldNode node) { }

    public virtual void LeaveObjectField(ObjectFieldNode node) { }

    /// <summary>Type references in variable definitions and type conditions.</summary>
    public virtual void EnterNamedType(NamedTypeNode node) { }
}

/// <summary>
/// One validation rule. <see cref="CreateVisitor"/> is called once per validated document, so any
/// per-document state lives in the returned visitor and rule instances can be shared.
/// Adding a rule = one class deriving from this, plus an entry in <see cref="SpecifiedRules"/>.
/// </summary>
public abstract class ValidationRule
{
    public abstract ValidationVisitor CreateVisitor(ValidationContext context);
}
