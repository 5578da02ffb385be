using OrgActors.GraphQL.Server;

namespace OrgActors.GraphQL.Tests;

/// <summary>The executor's document cache: bounded by its entries' estimated memory, evicting what is not reused.</summary>
public class DocumentCacheTests
{
    [Fact]
    public void Large_documents_are_cached_up_to_the_memory_budget_not_the_entry_count()
    {
        // The audit's shape: 62 KB of aliases, just under the 64 KiB cut-off, held ~1.5 MB each once parsed.
        var executor = new GraphQLExecutor(TestSchema.Pets);
        const int documents = 40;
        for (int k = 0; k < documents; k++)
        {
            string query = "#" + k + "\n{ " + string.Join(" ", Enumerable.Range(0, 3700).Select(i => "a" + i + ":__typename")) + " }";
            Assert.True(executor.Prepare(query).IsValid);
        }

        var (count, sizeBytes) = executor.CachedDocuments;
        Assert.InRange(sizeBytes, 1, GraphQLExecutorOptions.DefaultMaxCachedDocumentBytes);
        Assert.InRange(count, 1, documents - 1);
    }

    [Fact]
    public void A_flood_of_distinct_documents_does_not_evict_a_document_used_again()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets, new GraphQLExecutorOptions { MaxCachedDocuments = 10 });
        const string hot = "{ dog { name } }";
        var prepared = executor.Prepare(hot);
        Assert.Same(prepared, executor.Prepare(hot));

        for (int k = 0; k < 200; k++) executor.Prepare("{ dog { name } } #" + k);

        Assert.Same(prepared, executor.Prepare(hot));
        Assert.InRange(executor.CachedDocuments.Count, 1, 10);
    }

    [Fact]
    public void Documents_used_once_are_evicted_least_recently_used_first()
    {
        var executor = new GraphQLExecutor(TestSchema.Pets, new GraphQLExecutorOptions { MaxCachedDocuments = 10 });
        var first = executor.Prepare("{ dog { name } } #0");
        for (int k = 1; k < 10; k++) executor.Prepare("{ dog { name } } #" + k);

        // The eleventh evicts down to nine: the two least recently added of those used once.
        executor.Prepare("{ dog { name } } #10");
        Assert.Equal(9, executor.CachedDocuments.Count);
        Assert.NotSame(first, executor.Prepare("{ dog { name } } #0"));
        Assert.Same(executor.Prepare("{ dog { name } } #10"), executor.Prepare("{ dog { name } } #10"));
    }
}
