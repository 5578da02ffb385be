namespace OrgActors.GraphQL.Language;

/// <summary>One lexical token. <see cref="Value"/> is set for names, numbers and (decoded) strings.</summary>
public readonly record struct Token(TokenKind Kind, int Start, int End, int Line, int Column, string? Value)
{
    public SourceLocation Location => new(Start, End, Line, Column);

    /// <summary>graphql-js's getTokenDesc: the kind, then the value in quotes when there is one.</summary>
    public string Describe() =>
        Value is null ? TokenKindText.Describe(Kind) : TokenKindText.Describe(Kind) + " \"" + Value + "\"";
}
