using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Validation;

/// <summary>The rules run by default, in graphql-js's specifiedRules order.</summary>
public static class SpecifiedRules
{
    public static readonly IReadOnlyList<ValidationRule> All =
    [
        new ExecutableDefinitionsRule(),
        new UniqueOperationNamesRule(),
        new LoneAnonymousOperationRule(),
        new KnownTypeNamesRule(),
        new VariablesAreInputTypesRule(),
        new ScalarLeafsRule(),
        new FieldsOnCorrectTypeRule(),
        new KnownFragmentNamesRule(),
        new NoUnusedFragmentsRule(),
        new NoFragmentCyclesRule(),
        new UniqueVariableNamesRule(),
        new NoUndefinedVariablesRule(),
        new NoUnusedVariablesRule(),
        new KnownDirectivesRule(),
        new UniqueDirectivesPerLocationRule(),
        new KnownArgumentNamesRule(),
        new UniqueArgumentNamesRule(),
        new ProvidedRequiredArgumentsRule(),
    ];
}
