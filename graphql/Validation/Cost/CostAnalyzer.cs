using System.Globalization;
using OrgActors.GraphQL.Language;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Validation.Cost;

/// <summary>What the analysis found: the costs, the depth, and the errors (slicing arguments, exceeded limits).</summary>
public sealed record CostAnalysis(double FieldCost, double TypeCost, int Depth, IReadOnlyList<GraphQLError> Errors)
{
    public bool IsWithinLimits => Errors.Count == 0;
}

/// <summary>
/// Computes an operation's depth, field cost and type cost without running anything, and checks them
/// against <see cref="LimitsOptions"/>. Give the coerced variable values when known (the executor
/// does, after coercing them); without them, a variable counts as its default value, or as unknown
/// (slicing arguments then fall back to @listSize's assumed size, @skip/@include to "included").
/// Nothing is cached across calls: the result may depend on the variables.
/// </summary>
public static class CostAnalyzer
{
    public static CostAnalysis Analyze(
        GraphQLSchema schema,
        DocumentNode document,
        OperationDefinitionNode operation,
        IReadOnlyDictionary<string, object?>? variables = null,
        LimitsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operation);
        options ??= LimitsOptions.Default;
        var fragments = new Dictionary<string, FragmentDefinitionNode>(StringComparer.Ordinal);
        foreach (var definition in document.Definitions)
        {
            if (definition is FragmentDefinitionNode fragment) fragments.TryAdd(fragment.Name.Value, fragment);
        }

        var errors = new List<GraphQLError>();
        var depthMeter = new OperationDepth(fragments, variables);
        var calculator = new CostCalculator(schema, options, fragments, operation, variables);
        int depth;
        CostCalculator.Cost cost;
        try
        {
            depth = depthMeter.Measure(operation.SelectionSet);
            cost = calculator.OfOperation(operation);
        }
        catch (InsufficientExecutionStackException)
        {
            // Only a document nesting fragments thousands deep gets here; it is far beyond any depth limit.
            errors.Add(new GraphQLError("The operation is nested too deeply to be analyzed.", GraphQLError.LocationsOf(operation), code: ErrorCodes.MaxDepthExceeded));
            return new CostAnalysis(double.PositiveInfinity, double.PositiveInfinity, int.MaxValue, errors);
        }

        errors.AddRange(calculator.Errors);
        if (options.MaxDepth is { } maxDepth && depth > maxDepth)
        {
            var deepField = depthMeter.FindFieldDeeperThan(operation.SelectionSet, maxDepth);
            errors.Add(new GraphQLError(
                "The operation has a depth of " + depth + ", which exceeds the maximum depth of " + maxDepth + ".",
                GraphQLError.LocationsOf(deepField ?? (SyntaxNode)operation),
                code: ErrorCodes.MaxDepthExceeded,
                extensions: new Dictionary<string, object?> { ["depth"] = depth, ["maxDepth"] = maxDepth }));
        }

        if (options.MaxFieldCost is { } maxFieldCost && cost.Field > maxFieldCost)
        {
            errors.Add(new GraphQLError(
                "The operation has a field cost of " + Format(cost.Field) + ", which exceeds the maximum field cost of " + Format(maxFieldCost) + ".",
                GraphQLError.LocationsOf(operation),
                code: ErrorCodes.MaxCostExceeded,
                extensions: new Dictionary<string, object?> { ["fieldCost"] = Reportable(cost.Field), ["maxFieldCost"] = maxFieldCost }));
        }

        if (options.MaxTypeCost is { } maxTypeCost && cost.Type > maxTypeCost)
        {
            errors.Add(new GraphQLError(
                "The operation has a type cost of " + Format(cost.Type) + ", which exceeds the maximum type cost of " + Format(maxTypeCost) + ".",
                GraphQLError.LocationsOf(operation),
                code: ErrorCodes.MaxTypeCostExceeded,
                extensions: new Dictionary<string, object?> { ["typeCost"] = Reportable(cost.Type), ["maxTypeCost"] = maxTypeCost }));
        }

        return new CostAnalysis(cost.Field, cost.Type, depth, errors);
    }

    /// <summary>A cost as JSON can carry it: astronomically large costs become double.MaxValue.</summary>
    public static double Reportable(double cost) => double.IsFinite(cost) ? cost : double.MaxValue;

    private static string Format(double value) => Reportable(value).ToString("0.##", CultureInfo.InvariantCulture);
}
