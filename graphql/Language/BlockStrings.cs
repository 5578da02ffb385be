using System.Text;

namespace OrgActors.GraphQL.Language;

/// <summary>Block string value computation and printing, per the specification and graphql-js.</summary>
public static class BlockStrings
{
    /// <summary>
    /// The spec's BlockStringValue(): removes the common indentation of all lines but the first, then
    /// drops leading and trailing blank lines, and joins with "\n".
    /// </summary>
    public static string Dedent(IReadOnlyList<string> lines)
    {
        int commonIndent = int.MaxValue;
        int firstNonEmptyLine = -1;
        int lastNonEmptyLine = -1;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            int indent = LeadingWhitespace(line);
            if (indent == line.Length) continue;
            if (firstNonEmptyLine < 0) firstNonEmptyLine = i;
            lastNonEmptyLine = i;
            if (i != 0 && indent < commonIndent) commonIndent = indent;
        }

        if (firstNonEmptyLine < 0) return string.Empty;

        var result = new StringBuilder();
        for (int i = firstNonEmptyLine; i <= lastNonEmptyLine; i++)
        {
            if (i > firstNonEmptyLine) result.Append('\n');
            string line = lines[i];
            if (i == 0 || commonIndent == int.MaxValue) result.Append(line);
            else if (line.Length > commonIndent) result.Append(line, commonIndent, line.Length - commonIndent);
        }

        return result.ToString();
    }

    private static int LeadingWhitespace(string line)
    {
        int i = 0;
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t')) i++;
        return i;
    }

    /// <summary>graphql-js's isPrintableAsBlockString: can this value round-trip through a block string?</summary>
    public static bool IsPrintableAsBlockString(string value)
    {
        if (value.Length == 0) return true;
        bool isEmptyLine = true;
        bool hasIndent = false;
        bool hasCommonIndent = true;
        bool seenNonEmptyLine = false;
        foreach (char c in value)
        {
            switch (c)
            {
                case <= '\u0008' or '\u000B' or '\u000C' or (>= '\u000E' and <= '\u001F'):
                    return false; // non-printable characters
                case '\r':
                    return false; // \r would be normalised to \n
                case '\n':
                    if (isEmptyLine && !seenNonEmptyLine) return false; // leading blank line would be lost
                    seenNonEmptyLine = true;
                    isEmptyLine = true;
                    hasIndent = false;
                    break;
                case '\t' or ' ':
                    hasIndent |= isEmptyLine;
                    break;
                default:
                    hasCommonIndent &= hasIndent;
                    isEmptyLine = false;
                    break;
            }
        }

        if (isEmptyLine) return false; // trailing blank lines would be lost
        if (hasCommonIndent && seenNonEmptyLine) return false; // common indentation would be lost
        return true;
    }

    /// <summary>graphql-js's printBlockString.</summary>
    public static string Print(string value)
    {
        string escaped = value.Replace("\"\"\"", "\\\"\"\"", StringComparison.Ordinal);
        string[] lines = escaped.Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        bool isSingleLine = lines.Length == 1;
        bool forceLeadingNewLine = lines.Length > 1;
        for (int i = 1; i < lines.Length && forceLeadingNewLine; i++)
        {
            forceLeadingNewLine = lines[i].Length == 0 || lines[i][0] == ' ' || lines[i][0] == '\t';
        }

        bool hasTrailingTripleQuotes = escaped.EndsWith("\\\"\"\"", StringComparison.Ordinal);
        bool hasTrailingQuote = value.EndsWith('"') && !hasTrailingTripleQuotes;
        bool hasTrailingSlash = value.EndsWith('\\');
        bool forceTrailingNewline = hasTrailingQuote || hasTrailingSlash;
        bool printAsMultipleLines = !isSingleLine || value.Length > 70 || forceTrailingNewline
            || forceLeadingNewLine || hasTrailingTripleQuotes;

        var result = new StringBuilder("\"\"\"");
        bool skipLeadingNewLine = isSingleLine && value.Length > 0 && (value[0] == ' ' || value[0] == '\t');
        if ((printAsMultipleLines && !skipLeadingNewLine) || forceLeadingNewLine) result.Append('\n');
        result.Append(escaped);
        if (printAsMultipleLines || forceTrailingNewline) result.Append('\n');
        return result.Append("\"\"\"").ToString();
    }
}
