using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation;

/// <summary>Validates an executable document against a schema (graphql-js validate()).</summary>
public static class DocumentValidator
{
    /// <summary>graphql-js stops after 100 errors: enough to be useful, bounded for hostile documents.</summary>
    public const int DefaultMaxErrors = 100;

    /// <summary>
    /// Steps of the work that is not linear in the document (see <see cref="ValidationContext.Step"/>).
    /// A Relay-style page of 300 fragments, each selecting fields its neighbours select too, takes
    /// 200,000 to 300,000; a hostile 64 KB document could ask for millions (a chain of 1,850 fragments
    /// that each select <c>id</c>: 5 million, 160 MB and over a second). A million steps cost about
    /// 100-200 ms and 30-40 MB.
    /// </summary>
    public const long DefaultMaxSteps = 1_000_000;

    /// <summary>Runs the rules in one walk and returns their errors (empty when valid).</summary>
    public static IReadOnlyList<GraphQLError> Validate(
        GraphQLSchema schema,
        DocumentNode document,
        IReadOnlyList<ValidationRule>? rules = null,
        int maxErrors = DefaultMaxErrors,
        long maxSteps = DefaultMaxSteps)
    {
        rules ??= SpecifiedRules.All;
        var typeInfo = new TypeInfo(schema);
        var context = new ValidationContext(schema, document, typeInfo, maxErrors, maxSteps);
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
        catch (ValidationBudgetExceededException)
        {
            // The errors found so far stand; the rest of the document is not looked at.
            var errors = new List<GraphQLError>(context.Errors)
            {
                new(
                    "The document is too complex to validate: comparing its fields and fragments takes more than " + maxSteps + " steps.",
                    code: ErrorCodes.MaxValidationStepsExceeded,
                    extensions: new Dictionary<string, object?> { ["maxValidationSteps"] = maxSteps }),
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
