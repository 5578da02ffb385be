using Xunit;

namespace OrgActors.GraphQL.Tests;

public class SmokeTests
{
    [Fact]
    public void Runs_a_simple_query()
    {
        Assert.Equal("""{"data":{"dog":{"name":"Rex","barkVolume":true,"__typename":"Dog"}}}""",
            TestSchema.Run(TestSchema.Pets, "{ dog { name barkVolume __typename } }"));
    }
}
