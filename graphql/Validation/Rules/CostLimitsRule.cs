using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Validation.Cost;

namespace OrgActors.GraphQL.Validation.Rules;

/// <summary>
/// Depth and cost limits as a validation rule, for callers of <see cref="DocumentValidator"/> that
/// want them without variables: a variable then counts as its default value, else as unknown. Not in
/// <see cref="SpecifiedRules"/>: <see cref="Server.GraphQLExecutor"/> checks the limits itself once
/// the variables are known (<see cref="Server.GraphQLExecutorOptions.Limits"/>).
/// </summary>
public sealed class CostLimitsRule(LimitsOptions options) : ValidationRule
{
    public LimitsOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    public override ValidationVisitor CreateVisitor(ValidationContext context) => new Visitor(context, Options);

    private sealed class Visitor(ValidationContext context, LimitsOptions options) : ValidationVisitor
    {
        public override void LeaveOperationDefinition(OperationDefinitionNode node)
        {
            foreach (var error in CostAnalyzer.Analyze(context.Schema, context.Document, node, null, options).Errors) context.ReportError(error);
        }
    }
}
