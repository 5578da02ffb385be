using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation;

/// <summary>Validates an executable document against a schema (graphql-js validate()).</summary>
public static class DocumentValidator
{
    /// <summary>graphql-js stops after 100 errors: enough to be useful, bounded for hostile documents.</summary>
    public const int DefaultMaxErrors = 100;

    /// <summary>Runs the rules in one walk and returns their errors (empty when valid).</summary>
    public static IReadOnlyList<GraphQLError> Validate(
        GraphQLSchema schema,
        DocumentNode document,
        IReadOnlyList<ValidationRule>? rules = null,
        int maxErrors = DefaultMaxErrors)
    {
        rules ??= SpecifiedRules.All;
        var typeInfo = new TypeInfo(schema);
        var context = new ValidationContext(schema, document, typeInfo, maxErrors);
        var visitors = new ValidationVisitor[rules.Count];
        for (int i = 0; i < rules.Count; i++) visitors[i] = rules[i].CreateVisitor(context);
        try
        {
            new AstWalker(typeInfo, visitors).Walk(document);
        }
        catch (ValidationAbortedException)
        {
            var errors = new List<GraphQLError>(context.Errors)
            {
                new("Too many validation errors, error limit reached. Validation aborted.", code: ErrorCodes.ValidationFailed),
            };
            return errors;
        }
        catch (InsufficientExecutionStackException)
        {
            // Rules that follow fragments recurse; a document built to nest them beyond the stack is rejected, not fatal.
            var errors = new List<GraphQLError>(context.Errors)
            {
                new("The document is nested too deeply to be validated.", code: ErrorCodes.ValidationFailed),
            };
            return errors;
        }

        return context.Errors;
    }
}
