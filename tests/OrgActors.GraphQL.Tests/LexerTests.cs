using OrgActors.GraphQL.Language;
using Xunit;

namespace OrgActors.GraphQL.Tests;

public class LexerTests
{
    private static Token Lex(string text)
    {
        var lexer = new Lexer(text);
        return lexer.Advance();
    }

    private static GraphQLSyntaxException LexError(string text) =>
        Assert.Throws<GraphQLSyntaxException>(() => Lex(text));

    [Fact]
    public void Skips_ignored_tokens_and_tracks_lines_and_columns()
    {
        var token = Lex("\uFEFF ,, \n\r\n  # comment\r  foo");
        Assert.Equal(TokenKind.Name, token.Kind);
        Assert.Equal("foo", token.Value);
        Assert.Equal(4, token.Line);
        Assert.Equal(3, token.Column);
    }

    [Theory]
    [InlineData("\"simple\"", "simple")]
    [InlineData("\" white space \"", " white space ")]
    [InlineData("\"quote \\\"\"", "quote \"")]
    [InlineData("\"escaped \\n\\r\\b\\t\\f\"", "escaped \n\r\b\t\f")]
    [InlineData("\"slashes \\\\ \\/\"", "slashes \\ /")]
    [InlineData("\"unicode \\u1234\\u5678\\u90AB\\uCDEF\"", "unicode \u1234\u5678\u90AB\uCDEF")]
    [InlineData("\"unicode \\u{1234}\\u{0}\"", "unicode \u1234\0")]
    [InlineData("\"\\u{1F600}\"", "\U0001F600")]
    [InlineData("\"\\uD83D\\uDE00\"", "\U0001F600")]
    [InlineData("\"\U0001F600 literal\"", "\U0001F600 literal")]
    public void Reads_strings(string text, string expected)
    {
        var token = Lex(text);
        Assert.Equal(TokenKind.String, token.Kind);
        Assert.Equal(expected, token.Value);
    }

    [Theory]
    [InlineData("\"", "Unterminated string.", 1, 2)]
    [InlineData("\"no end", "Unterminated string.", 1, 8)]
    [InlineData("\"multi\nline\"", "Unterminated string.", 1, 7)]
    [InlineData("\"bad \\z esc\"", "Invalid character escape sequence: \"\\z\".", 1, 6)]
    [InlineData("\"bad \\u1 esc\"", "Invalid Unicode escape sequence: \"\\u1 es\".", 1, 6)]
    [InlineData("\"bad \\uD83D esc\"", "Invalid Unicode escape sequence: \"\\uD83D\".", 1, 6)]
    [InlineData("\"bad \\uDE00\\uD83D\"", "Invalid Unicode escape sequence: \"\\uDE00\".", 1, 6)]
    [InlineData("\"bad \\u{110000}\"", "Invalid Unicode escape sequence: \"\\u{110000}\".", 1, 6)]
    [InlineData("\"bad \\u{D800}\"", "Invalid Unicode escape sequence: \"\\u{D800}\".", 1, 6)]
    public void Reports_string_errors(string text, string message, int line, int column)
    {
        var error = LexError(text);
        Assert.Equal("Syntax Error: " + message, error.Message);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("\"\"\"simple\"\"\"", "simple")]
    [InlineData("\"\"\" white space \"\"\"", " white space ")]
    [InlineData("\"\"\"contains \" quote\"\"\"", "contains \" quote")]
    [InlineData("\"\"\"contains \\\"\"\" triple quote\"\"\"", "contains \"\"\" triple quote")]
    [InlineData("\"\"\"multi\nline\"\"\"", "multi\nline")]
    [InlineData("\"\"\"multi\rline\r\nnormalized\"\"\"", "multi\nline\nnormalized")]
    [InlineData("\"\"\"unescaped \\n\\r\\b\\t\\f\\u1234\"\"\"", "unescaped \\n\\r\\b\\t\\f\\u1234")]
    [InlineData("\"\"\"\n\n        spans\n          multiple\n            lines\n\n        \"\"\"", "spans\n  multiple\n    lines")]
    [InlineData("\"\"\"  first line keeps indent\n    second\"\"\"", "  first line keeps indent\nsecond")]
    public void Reads_block_strings_with_the_spec_indentation_algorithm(string text, string expected)
    {
        var token = Lex(text);
        Assert.Equal(TokenKind.BlockString, token.Kind);
        Assert.Equal(expected, token.Value);
    }

    [Fact]
    public void Block_strings_advance_the_line_count()
    {
        var lexer = new Lexer("\"\"\"a\nb\nc\"\"\" next");
        lexer.Advance();
        var next = lexer.Advance();
        Assert.Equal((3, 6), (next.Line, next.Column));
    }

    [Theory]
    [InlineData("4", TokenKind.Int, "4")]
    [InlineData("-4", TokenKind.Int, "-4")]
    [InlineData("0", TokenKind.Int, "0")]
    [InlineData("4.123", TokenKind.Float, "4.123")]
    [InlineData("-0.123", TokenKind.Float, "-0.123")]
    [InlineData("123e4", TokenKind.Float, "123e4")]
    [InlineData("1.5E-10", TokenKind.Float, "1.5E-10")]
    public void Reads_numbers(string text, TokenKind kind, string value)
    {
        var token = Lex(text);
        Assert.Equal((kind, value), (token.Kind, token.Value));
    }

    [Theory]
    [InlineData("00", "Invalid number, unexpected digit after 0: \"0\".", 2)]
    [InlineData("+1", "Unexpected character: \"+\".", 1)]
    [InlineData("1.", "Invalid number, expected digit but got: <EOF>.", 3)]
    [InlineData(".123", "Unexpected character: \".\".", 1)]
    [InlineData("1.A", "Invalid number, expected digit but got: \"A\".", 3)]
    [InlineData("-A", "Invalid number, expected digit but got: \"A\".", 2)]
    [InlineData("1.0e", "Invalid number, expected digit but got: <EOF>.", 5)]
    [InlineData("1.2.3", "Invalid number, expected digit but got: \".\".", 4)]
    [InlineData("0xF1", "Invalid number, expected digit but got: \"x\".", 2)]
    [InlineData("123abc", "Invalid number, expected digit but got: \"a\".", 4)]
    public void Reports_number_errors(string text, string message, int column)
    {
        var error = LexError(text);
        Assert.Equal("Syntax Error: " + message, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("..", "Unexpected character: \".\".")]
    [InlineData("~", "Unexpected character: \"~\".")]
    [InlineData("\u0007", "Unexpected character: U+0007.")]
    [InlineData("\u203B", "Unexpected character: U+203B.")]
    [InlineData("'", "Unexpected single quote character ('), did you mean to use a double quote (\")?")]
    [InlineData("\uD83D\uDE00", "Unexpected character: U+1F600.")]
    public void Reports_unexpected_characters(string text, string message) =>
        Assert.Equal("Syntax Error: " + message, LexError(text).Message);

    [Fact]
    public void Rejects_lone_surrogates()
    {
        string lone = ((char)0xD800).ToString();
        Assert.Equal("Syntax Error: Invalid character within String: U+D800.", LexError("\"lone " + lone + " surrogate\"").Message);
        Assert.Equal("Syntax Error: Invalid character: U+DE00.", LexError(((char)0xDE00).ToString()).Message);
    }

    [Fact]
    public void Reads_every_punctuator()
    {
        var lexer = new Lexer("! $ & ( ) ... : = @ [ ] { | }");
        var kinds = new List<TokenKind>();
        for (var token = lexer.Advance(); token.Kind != TokenKind.EndOfFile; token = lexer.Advance()) kinds.Add(token.Kind);
        Assert.Equal(
            [TokenKind.Bang, TokenKind.Dollar, TokenKind.Amp, TokenKind.ParenL, TokenKind.ParenR, TokenKind.Spread, TokenKind.Colon,
             TokenKind.Equals, TokenKind.At, TokenKind.BracketL, TokenKind.BracketR, TokenKind.BraceL, TokenKind.Pipe, TokenKind.BraceR],
            kinds);
    }
}
