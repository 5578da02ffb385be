using OrgActors.GraphQL.Validation;
using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// Runs the conformance corpus: each case against its rule alone (expected messages and locations),
/// and the whole corpus through graphql-js 16 as a second witness, rule by rule and with all rules.
/// </summary>
public class ValidationConformanceTests
{
    public static TheoryData<int> CaseIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < ValidationCorpus.Cases.Count; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Case_reports_exactly_the_expected_errors(int index)
    {
        var testCase = ValidationCorpus.Cases[index];
        var actual = ValidationHarness.Validate([ValidationCorpus.Rules[testCase.Rule]], testCase.Document);
        Assert.True(
            testCase.Expected.SequenceEqual(actual),
            testCase + "\nexpected:\n  " + string.Join("\n  ", testCase.Expected) + "\nactual:\n  " + string.Join("\n  ", actual));
    }

    [Fact]
    public void Every_specified_rule_has_valid_and_invalid_cases()
    {
        foreach (var (name, _) in ValidationCorpus.Rules)
        {
            var cases = ValidationCorpus.Cases.Where(c => c.Rule == name).ToList();
            Assert.True(cases.Any(c => c.Expected.Length == 0), name + " has no valid case");
            Assert.True(cases.Any(c => c.Expected.Length > 0), name + " has no invalid case");
        }

        Assert.Equal(28, ValidationCorpus.Rules.Count);
    }

    [Fact]
    public void Graphql_js_reports_the_same_errors_rule_by_rule()
    {
        var cases = ValidationCorpus.Cases
            .Where(c => c.Divergence is null && !ValidationCorpus.RulesMissingInGraphqlJs16.Contains(c.Rule))
            .ToList();
        var reference = GraphqlJsValidation.Validate(ValidationHarness.Schema.ToSdl(), cases.Select(c => (c.Rule, c.Document)).ToList());
        var mismatches = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            var expected = reference[i];
            if (expected is null || !expected.SequenceEqual(cases[i].Expected))
            {
                mismatches.Add(cases[i] + "\n  graphql-js: " + (expected is null ? "threw" : string.Join(" | ", expected)) + "\n  corpus:     " + string.Join(" | ", cases[i].Expected));
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Graphql_js_reports_the_same_errors_with_all_rules_together()
    {
        // The order of errors across rules is part of the contract: same rule order, same walk.
        var rules = SpecifiedRules.All.Where(r => r is not KnownOperationTypesRule).ToList();
        var documents = ValidationCorpus.Cases
            .Where(c => c.Divergence is null && !c.Document.StartsWith("mutation", StringComparison.Ordinal) && !c.Document.Contains("\nmutation", StringComparison.Ordinal))
            .Select(c => c.Document)
            .Distinct()
            .ToList();
        var reference = GraphqlJsValidation.Validate(ValidationHarness.Schema.ToSdl(), documents.Select(d => ("specifiedRules", d)).ToList());
        var mismatches = new List<string>();
        for (int i = 0; i < documents.Count; i++)
        {
            var ours = ValidationHarness.Validate(rules, documents[i]);
            if (reference[i] is not { } expected || !expected.SequenceEqual(ours))
            {
                mismatches.Add(documents[i] + "\n  graphql-js: " + (reference[i] is null ? "threw" : string.Join(" | ", reference[i]!)) + "\n  ours:       " + string.Join(" | ", ours));
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }
}
