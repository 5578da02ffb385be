using OrgActors.GraphQL.Validation.Rules;

namespace OrgActors.GraphQL.Tests;

/// <summary>
/// Random documents that repeat one response name many times (so the grouped comparison in
/// FieldPairComparer is used), checked against graphql-js: same conflicts, same order, same locations.
/// </summary>
public class OverlappingFieldsPropertyTests
{
    private static readonly string[] Selections =
    [
        "x: name", "x: name", "x: name", "x: name(surname: true)", "x: nickname",
        "... on Dog { x: barkVolume }", "... on Cat { x: meowsVolume }", "... on Dog { x: name }", "... on Cat { x: nickname }",
        "... on Dog { x: mother { name } }", "... on Dog { x: mother { name } }", "... on Dog { x: mother { barks } }",
        "... on Cat { x: furColor }", "y: name", "...F", "...G",
    ];

    /// <summary>Selections that merge with each other: documents made of these alone are valid.</summary>
    private static readonly string[] Compatible =
    [
        "x: name", "x: name", "... on Dog { x: name }", "... on Cat { x: name }", "... on Dog { y: barkVolume }",
        "... on Cat { y: meowsVolume }", "...F", "z: __typename", "... on Dog { m: mother { name } }", "... on Dog { m: mother { barks } }",
    ];

    private static string RandomDocument(Random random)
    {
        int count = random.Next(10, 40);
        var vocabulary = random.Next(2) == 0 ? Compatible : Selections;
        var picks = Enumerable.Range(0, count).Select(_ => vocabulary[random.Next(vocabulary.Length)]);
        return "{ pet { " + string.Join(" ", picks) + " } }\nfragment F on Pet { x: name }\nfragment G on Dog { x: nickname y: name }";
    }

    [Fact]
    public void Graphql_js_agrees_on_random_documents_with_many_repeated_fields()
    {
        var random = new Random(20250101);
        var documents = Enumerable.Range(0, 150).Select(_ => RandomDocument(random)).ToList();
        var rule = nameof(OverlappingFieldsCanBeMergedRule);
        var reference = GraphqlJsValidation.Validate(ValidationHarness.Schema.ToSdl(), documents.Select(d => (rule, d)).ToList());
        int withConflicts = 0;
        for (int i = 0; i < documents.Count; i++)
        {
            var ours = ValidationHarness.Validate([new OverlappingFieldsCanBeMergedRule()], documents[i]);
            Assert.True(reference[i] is not null && reference[i]!.SequenceEqual(ours), documents[i] + "\ngraphql-js: " + string.Join("\n  ", reference[i] ?? ["threw"]) + "\nours: " + string.Join("\n  ", ours));
            if (ours.Count > 0) withConflicts++;
        }

        // The generator must produce both kinds of documents for the comparison to mean something.
        Assert.InRange(withConflicts, 10, documents.Count - 10);
    }
}
