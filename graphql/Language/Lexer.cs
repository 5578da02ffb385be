using System.Globalization;
using System.Text;

namespace OrgActors.GraphQL.Language;

/// <summary>
/// Turns GraphQL source text into tokens, following the specification's lexical grammar and
/// graphql-js's error wording. Ignored tokens (BOM, white space, line terminators, commas, comments)
/// are skipped. The token-count limit is enforced here so that the parser never sees more.
/// </summary>
public sealed class Lexer
{
    private readonly string _body;
    private readonly int _maxTokenCount;
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private int _tokenCount;

    /// <summary>Tokens read so far (the document cache estimates an entry's size from them).</summary>
    internal int TokenCount => _tokenCount;
    private Token _lookahead;
    private bool _hasLookahead;

    public Lexer(string body, int maxTokenCount = ParserOptions.DefaultMaxTokenCount)
    {
        _body = body;
        _maxTokenCount = maxTokenCount;
        Token = new Token(TokenKind.StartOfFile, 0, 0, 1, 1, null);
        LastToken = Token;
    }

    /// <summary>The current token.</summary>
    public Token Token { get; private set; }

    /// <summary>The previously current token (its end closes the location of a finished node).</summary>
    public Token LastToken { get; private set; }

    public string Body => _body;

    /// <summary>Moves to the next token and returns it.</summary>
    public Token Advance()
    {
        LastToken = Token;
        if (_hasLookahead)
        {
            Token = _lookahead;
            _hasLookahead = false;
        }
        else
        {
            Token = ReadToken();
        }

        return Token;
    }

    /// <summary>The token after the current one, without moving.</summary>
    public Token Lookahead()
    {
        if (Token.Kind == TokenKind.EndOfFile) return Token;
        if (!_hasLookahead)
        {
            _lookahead = ReadToken();
            _hasLookahead = true;
        }

        return _lookahead;
    }

    private Token ReadToken()
    {
        string body = _body;
        int length = body.Length;
        while (_position < length)
        {
            char c = body[_position];
            switch (c)
            {
                case '\uFEFF':
                case '\t':
                case ' ':
                case ',':
                    _position++;
                    continue;
                case '\n':
                    _position++;
                    _line++;
                    _lineStart = _position;
                    continue;
                case '\r':
                    _position += _position + 1 < length && body[_position + 1] == '\n' ? 2 : 1;
                    _line++;
                    _lineStart = _position;
                    continue;
                case '#':
                    SkipComment();
                    continue;
                case '!': return Punctuator(TokenKind.Bang, 1);
                case '$': return Punctuator(TokenKind.Dollar, 1);
                case '&': return Punctuator(TokenKind.Amp, 1);
                case '(': return Punctuator(TokenKind.ParenL, 1);
                case ')': return Punctuator(TokenKind.ParenR, 1);
                case ':': return Punctuator(TokenKind.Colon, 1);
                case '=': return Punctuator(TokenKind.Equals, 1);
                case '@': return Punctuator(TokenKind.At, 1);
                case '[': return Punctuator(TokenKind.BracketL, 1);
                case ']': return Punctuator(TokenKind.BracketR, 1);
                case '{': return Punctuator(TokenKind.BraceL, 1);
                case '|': return Punctuator(TokenKind.Pipe, 1);
                case '}': return Punctuator(TokenKind.BraceR, 1);
                case '.':
                    if (At(_position + 1) == '.' && At(_position + 2) == '.') return Punctuator(TokenKind.Spread, 3);
                    break;
                case '"':
                    if (At(_position + 1) == '"' && At(_position + 2) == '"') return ReadBlockString();
                    return ReadString();
            }

            if (IsDigit(c) || c == '-') return ReadNumber();
            if (IsNameStart(c)) return ReadName();

            string message = c == '\''
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : IsUnicodeScalar(c) || IsSurrogatePairAt(_position)
                    ? "Unexpected character: " + PrintCodePointAt(_position) + "."
                    : "Invalid character: " + PrintCodePointAt(_position) + ".";
            throw Error(_position, message);
        }

        return new Token(TokenKind.EndOfFile, length, length, _line, 1 + length - _lineStart, null);
    }

    private Token Punctuator(TokenKind kind, int size) => Create(kind, _position, _position + size, null);

    private Token Create(TokenKind kind, int start, int end, string? value)
    {
        if (++_tokenCount > _maxTokenCount)
        {
            throw Error(start, "Document contains more than " + _maxTokenCount.ToString(CultureInfo.InvariantCulture)
                + " tokens. Parsing aborted.");
        }

        var token = new Token(kind, start, end, _line, 1 + start - _lineStart, value);
        _position = end;
        return token;
    }

    private void SkipComment()
    {
        int position = _position + 1;
        while (position < _body.Length)
        {
            char c = _body[position];
            if (c == '\n' || c == '\r') break;
            if (IsUnicodeScalar(c)) position++;
            else if (IsSurrogatePairAt(position)) position += 2;
            else break;
        }

        _position = position;
    }

    private Token ReadName()
    {
        int start = _position;
        int position = start + 1;
        while (position < _body.Length && IsNameContinue(_body[position])) position++;
        return Create(TokenKind.Name, start, position, _body.Substring(start, position - start));
    }

    private Token ReadNumber()
    {
        int start = _position;
        int position = start;
        bool isFloat = false;
        if (At(position) == '-') position++;

        if (At(position) == '0')
        {
            position++;
            if (IsDigit(At(position)))
            {
                throw Error(position, "Invalid number, unexpected digit after 0: " + PrintCodePointAt(position) + ".");
            }
        }
        else
        {
            position = ReadDigits(position);
        }

        if (At(position) == '.')
        {
            isFloat = true;
            position = ReadDigits(position + 1);
        }

        if (At(position) is 'e' or 'E')
        {
            isFloat = true;
            position++;
            if (At(position) is '+' or '-') position++;
            position = ReadDigits(position);
        }

        // Numbers cannot be followed by "." or a name start: "1.2.3" and "0xF" are errors.
        if (At(position) == '.' || IsNameStart(At(position)))
        {
            throw Error(position, "Invalid number, expected digit but got: " + PrintCodePointAt(position) + ".");
        }

        return Create(isFloat ? TokenKind.Float : TokenKind.Int, start, position, _body.Substring(start, position - start));
    }

    private int ReadDigits(int position)
    {
        if (!IsDigit(At(position)))
        {
            throw Error(position, "Invalid number, expected digit but got: " + PrintCodePointAt(position) + ".");
        }

        position++;
        while (IsDigit(At(position))) position++;
        return position;
    }

    private Token ReadString()
    {
        string body = _body;
        int start = _position;
        int position = start + 1;
        int chunkStart = position;
        StringBuilder? value = null;

        while (position < body.Length)
        {
            char c = body[position];
            if (c == '"')
            {
                string text = value is null
                    ? body.Substring(chunkStart, position - chunkStart)
                    : value.Append(body, chunkStart, position - chunkStart).ToString();
                return Create(TokenKind.String, start, position + 1, text);
            }

            if (c == '\\')
            {
                value ??= new StringBuilder();
                value.Append(body, chunkStart, position - chunkStart);
                position += AppendEscape(value, position);
                chunkStart = position;
                continue;
            }

            if (c == '\n' || c == '\r') break;

            if (IsUnicodeScalar(c)) position++;
            else if (IsSurrogatePairAt(position)) position += 2;
            else throw Error(position, "Invalid character within String: " + PrintCodePointAt(position) + ".");
        }

        throw Error(position, "Unterminated string.");
    }

    /// <summary>Decodes the escape sequence at <paramref name="position"/> and returns its length.</summary>
    private int AppendEscape(StringBuilder value, int position)
    {
        char next = At(position + 1);
        switch (next)
        {
            case '"': value.Append('"'); return 2;
            case '\\': value.Append('\\'); return 2;
            case '/': value.Append('/'); return 2;
            case 'b': value.Append('\b'); return 2;
            case 'f': value.Append('\f'); return 2;
            case 'n': value.Append('\n'); return 2;
            case 'r': value.Append('\r'); return 2;
            case 't': value.Append('\t'); return 2;
            case 'u':
                return At(position + 2) == '{'
                    ? AppendVariableWidthUnicode(value, position)
                    : AppendFixedWidthUnicode(value, position);
            default:
                throw Error(position, "Invalid character escape sequence: \"" + Slice(position, 2) + "\".");
        }
    }

    private int AppendVariableWidthUnicode(StringBuilder value, int position)
    {
        int point = 0;
        int size = 3;
        // Cannot be longer than 12 characters: \u{00000000}.
        while (size < 12)
        {
            char c = At(position + size++);
            if (c == '}')
            {
                // At least \u{0}, and the value must be a Unicode scalar value.
                if (size < 5 || !IsUnicodeScalarValue(point)) break;
                value.Append(char.ConvertFromUtf32(point));
                return size;
            }

            int digit = HexDigit(c);
            if (digit < 0) break;
            point = (point << 4) | digit;
            if (point < 0) break;
        }

        throw Error(position, "Invalid Unicode escape sequence: \"" + Slice(position, size) + "\".");
    }

    private int AppendFixedWidthUnicode(StringBuilder value, int position)
    {
        int code = Read16BitHex(position + 2);
        if (IsUnicodeScalarValue(code))
        {
            value.Append((char)code);
            return 6;
        }

        // JSON-style surrogate pairs are allowed, but only when they form a valid pair.
        if (code is >= 0xD800 and <= 0xDBFF && At(position + 6) == '\\' && At(position + 7) == 'u')
        {
            int trailing = Read16BitHex(position + 8);
            if (trailing is >= 0xDC00 and <= 0xDFFF)
            {
                value.Append((char)code).Append((char)trailing);
                return 12;
            }
        }

        throw Error(position, "Invalid Unicode escape sequence: \"" + Slice(position, 6) + "\".");
    }

    private int Read16BitHex(int position)
    {
        int result = 0;
        for (int i = 0; i < 4; i++)
        {
            int digit = HexDigit(At(position + i));
            if (digit < 0) return -1;
            result = (result << 4) | digit;
        }

        return result;
    }

    private Token ReadBlockString()
    {
        string body = _body;
        int start = _position;
        int position = start + 3;
        int chunkStart = position;
        int line = _line;
        int lineStart = _lineStart;
        var currentLine = new StringBuilder();
        var lines = new List<string>();

        while (position < body.Length)
        {
            char c = body[position];
            if (c == '"' && At(position + 1) == '"' && At(position + 2) == '"')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                lines.Add(currentLine.ToString());
                string value = BlockStrings.Dedent(lines);
                // The token starts on the opening line; the lexer resumes on the closing line.
                var token = Create(TokenKind.BlockString, start, position + 3, value);
                _line = line;
                _lineStart = lineStart;
                return token;
            }

            if (c == '\\' && At(position + 1) == '"' && At(position + 2) == '"' && At(position + 3) == '"')
            {
                currentLine.Append(body, chunkStart, position - chunkStart).Append("\"\"\"");
                position += 4;
                chunkStart = position;
                continue;
            }

            if (c == '\n' || c == '\r')
            {
                currentLine.Append(body, chunkStart, position - chunkStart);
                lines.Add(currentLine.ToString());
                currentLine.Clear();
                position += c == '\r' && At(position + 1) == '\n' ? 2 : 1;
                chunkStart = position;
                line++;
                lineStart = position;
                continue;
            }

            if (IsUnicodeScalar(c)) position++;
            else if (IsSurrogatePairAt(position)) position += 2;
            else throw Error(position, "Invalid character within String: " + PrintCodePointAt(position) + ".");
        }

        throw Error(position, "Unterminated string.");
    }

    private char At(int position) => position < _body.Length ? _body[position] : '\0';

    private string Slice(int position, int length) =>
        _body.Substring(position, Math.Min(length, _body.Length - position));

    /// <summary>graphql-js's printCodePointAt: a quoted printable ASCII character, or U+XXXX.</summary>
    private string PrintCodePointAt(int position)
    {
        if (position >= _body.Length) return "<EOF>";
        char c = _body[position];
        if (c >= 0x20 && c <= 0x7E) return c == '"' ? "'\"'" : "\"" + c + "\"";
        int code = IsSurrogatePairAt(position) ? char.ConvertToUtf32(c, _body[position + 1]) : c;
        return "U+" + code.ToString("X4", CultureInfo.InvariantCulture);
    }

    private bool IsSurrogatePairAt(int position) =>
        position + 1 < _body.Length && char.IsHighSurrogate(_body[position]) && char.IsLowSurrogate(_body[position + 1]);

    private GraphQLSyntaxException Error(int position, string description) =>
        GraphQLSyntaxException.At(_body, position, description);

    internal static bool IsDigit(char c) => c is >= '0' and <= '9';

    internal static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    internal static bool IsNameContinue(char c) => IsNameStart(c) || IsDigit(c);

    /// <summary>A single UTF-16 unit that is a whole Unicode scalar value (not a surrogate).</summary>
    private static bool IsUnicodeScalar(char c) => c < 0xD800 || c > 0xDFFF;

    private static bool IsUnicodeScalarValue(int code) => code is >= 0 and <= 0xD7FF or >= 0xE000 and <= 0x10FFFF;

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
