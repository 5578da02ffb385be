using OrgActors.GraphQL.Execution;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;
using OrgActors.GraphQL.Validation.Cost;

namespace OrgActors.GraphQL.Server;

/// <summary>
/// Applies <see cref="LimitsOptions"/> to one request: its <see cref="Check"/> is the executor's
/// <see cref="OperationGuard"/>, so the analysis sees the coerced variables and runs before any
/// resolver; the analysis can then be added to the response's extensions. One instance per request.
/// </summary>
internal sealed class RequestLimits(GraphQLSchema schema, DocumentNode document, LimitsOptions options)
{
    private CostAnalysis? _analysis;

    public IReadOnlyList<GraphQLError>? Check(OperationDefinitionNode operation, IReadOnlyDictionary<string, object?> variables)
    {
        _analysis = CostAnalyzer.Analyze(schema, document, operation, variables, options);
        return _analysis.Errors;
    }

    /// <summary>Adds <c>"cost": {"fieldCost", "typeCost", "depth"}</c> to the result's extensions when asked to.</summary>
    public ValueTask<ExecutionResult> Report(ValueTask<ExecutionResult> execution)
    {
        if (!options.ReportCost) return execution;
        return execution.IsCompletedSuccessfully ? new ValueTask<ExecutionResult>(AddReport(execution.Result)) : AwaitAndReport(execution);
    }

    private async ValueTask<ExecutionResult> AwaitAndReport(ValueTask<ExecutionResult> execution) => AddReport(await execution.ConfigureAwait(false));

    private ExecutionResult AddReport(ExecutionResult result)
    {
        if (_analysis is not { } analysis) return result;
        var extensions = result.Extensions is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal)
            : new Dictionary<string, object?>(result.Extensions, StringComparer.Ordinal);
        extensions["cost"] = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["fieldCost"] = CostAnalyzer.Reportable(analysis.FieldCost),
            ["typeCost"] = CostAnalyzer.Reportable(analysis.TypeCost),
            ["depth"] = analysis.Depth,
        };
        return new ExecutionResult(result.Data, result.HasData, result.Errors, extensions);
    }
}
