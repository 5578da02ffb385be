namespace OrgActors.GraphQL.Execution;

/// <summary>
/// The position of a value in the response, as an immutable linked list from leaf to root
/// (one small allocation per field or list item, shared by all descendants).
/// </summary>
public sealed class ResultPath
{
    private ResultPath(ResultPath? parent, string? key, int index)
    {
        Parent = parent;
        Key = key;
        Index = index;
    }

    public ResultPath? Parent { get; }

    /// <summary>The response key, or null when this segment is a list index.</summary>
    public string? Key { get; }

    /// <summary>The list index when <see cref="Key"/> is null.</summary>
    public int Index { get; }

    public static ResultPath Field(ResultPath? parent, string key) => new(parent, key, -1);

    public static ResultPath ListItem(ResultPath parent, int index) => new(parent, null, index);

    /// <summary>Root-first segments: strings for fields, ints for list indices (the error "path").</summary>
    public IReadOnlyList<object> ToList()
    {
        int depth = 0;
        for (var p = this; p is not null; p = p.Parent) depth++;
        var segments = new object[depth];
        for (var p = this; p is not null; p = p.Parent) segments[--depth] = p.Key ?? (object)p.Index;
        return segments;
    }

    public override string ToString() => string.Join(".", ToList());
}
