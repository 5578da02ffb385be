namespace OrgActors.GraphQL.Language;

/// <summary>
/// The only exception the lexer and parser throw for bad input, including exceeded limits.
/// The message follows graphql-js: "Syntax Error: Expected Name, found &lt;EOF&gt;.".
/// </summary>
public sealed class GraphQLSyntaxException : Exception
{
    public GraphQLSyntaxException(string description, int line, int column, int position)
        : base("Syntax Error: " + description)
    {
        Description = description;
        Line = line;
        Column = column;
        Position = position;
    }

    /// <summary>The message without the "Syntax Error: " prefix.</summary>
    public string Description { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>Offset in UTF-16 code units.</summary>
    public int Position { get; }

    public ErrorLocation Location => new(Line, Column);

    internal static GraphQLSyntaxException At(string body, int position, string description)
    {
        // Computed from scratch on the (rare) error path so block strings spanning lines are right.
        int line = 1, lineStart = 0;
        int end = Math.Min(position, body.Length);
        for (int i = 0; i < end; i++)
        {
            char c = body[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if (c == '\r')
            {
                if (i + 1 < end && body[i + 1] == '\n') i++;
                line++;
                lineStart = i + 1;
            }
        }

        return new GraphQLSyntaxException(description, line, position - lineStart + 1, position);
    }
}
