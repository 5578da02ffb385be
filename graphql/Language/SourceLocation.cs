namespace OrgActors.GraphQL.Language;

/// <summary>Where a syntax node or token sits in the source text.</summary>
/// <param name="Start">Offset (UTF-16 code units) of the first character.</param>
/// <param name="End">Offset just past the last character.</param>
/// <param name="Line">1-based line of <paramref name="Start"/>.</param>
/// <param name="Column">1-based column of <paramref name="Start"/>, counted in UTF-16 code units like graphql-js.</param>
public readonly record struct SourceLocation(int Start, int End, int Line, int Column)
{
    public static readonly SourceLocation None = new(0, 0, 0, 0);
}

/// <summary>A line/column pair as it appears in the "locations" entry of a GraphQL error.</summary>
public readonly record struct ErrorLocation(int Line, int Column);
