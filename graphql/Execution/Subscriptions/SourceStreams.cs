using System.Runtime.CompilerServices;
using OrgActors.GraphQL.Types;

namespace OrgActors.GraphQL.Execution;

/// <summary>Adapters between typed source streams and the engine's <c>IAsyncEnumerable&lt;object?&gt;</c>.</summary>
internal static class SourceStreams
{
    /// <summary>The resolver of a subscription field declared without one: the field's value is the event.</summary>
    public static readonly FieldResolver EventAsValue = context => new ValueTask<object?>(context.Parent);

    /// <summary>
    /// Reference-typed streams are already streams of objects (covariance); value-typed ones are boxed
    /// one event at a time. A null stream stays null so the executor can report it.
    /// </summary>
    public static IAsyncEnumerable<object?> AsObjects<T>(IAsyncEnumerable<T> source)
    {
        if (source is null) return null!;
        if (source is IAsyncEnumerable<object?> objects) return objects;
        return Box(source);
    }

    private static async IAsyncEnumerable<object?> Box<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false)) yield return item;
    }
}
