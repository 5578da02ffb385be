using System.Text;

namespace OrgActors.GraphQL.Language;

/// <summary>
/// Recursive-descent parser for the whole GraphQL language (executable and type-system definitions),
/// shaped after graphql-js so that error messages match. Every failure is a
/// <see cref="GraphQLSyntaxException"/>; limits in <see cref="ParserOptions"/> bound size, token count
/// and recursion depth.
/// </summary>
public sealed partial class Parser
{
    private readonly Lexer _lexer;
    private readonly int _maxNestingDepth;
    private int _depth;

    private Parser(string source, ParserOptions options)
    {
        _lexer = new Lexer(source, options.MaxTokenCount);
        _maxNestingDepth = options.MaxNestingDepth;
    }

    /// <summary>Parses a document; throws <see cref="GraphQLSyntaxException"/> on any error.</summary>
    public static DocumentNode Parse(string source, ParserOptions? options = null)
    {
        var parser = Create(source, options);
        return parser.ParseDocument();
    }

    /// <summary>Parses a document and says how many tokens it had (the parsed tree's size follows from them).</summary>
    internal static DocumentNode Parse(string source, ParserOptions? options, out int tokenCount)
    {
        var parser = Create(source, options);
        try
        {
            return parser.ParseDocument();
        }
        finally
        {
            tokenCount = parser._lexer.TokenCount;
        }
    }

    /// <summary>Parses a single value literal such as <c>{a: [1, 2]}</c> (graphql-js parseValue).</summary>
    public static ValueNode ParseValue(string source, ParserOptions? options = null)
    {
        var parser = Create(source, options);
        parser.ExpectToken(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(isConst: false);
        parser.ExpectToken(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a constant value literal (no variables).</summary>
    public static ValueNode ParseConstValue(string source, ParserOptions? options = null)
    {
        var parser = Create(source, options);
        parser.ExpectToken(TokenKind.StartOfFile);
        var value = parser.ParseValueLiteral(isConst: true);
        parser.ExpectToken(TokenKind.EndOfFile);
        return value;
    }

    /// <summary>Parses a type reference such as <c>[String!]!</c> (graphql-js parseType).</summary>
    public static TypeNode ParseType(string source, ParserOptions? options = null)
    {
        var parser = Create(source, options);
        parser.ExpectToken(TokenKind.StartOfFile);
        var type = parser.ParseTypeReference();
        parser.ExpectToken(TokenKind.EndOfFile);
        return type;
    }

    private static Parser Create(string source, ParserOptions? options)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= ParserOptions.Default;
        // UTF-8 never takes fewer bytes than UTF-16 code units, and at most three per unit.
        if (source.Length > options.MaxDocumentSizeBytes
            || ((long)source.Length * 3 > options.MaxDocumentSizeBytes
                && Encoding.UTF8.GetByteCount(source) > options.MaxDocumentSizeBytes))
        {
            throw new GraphQLSyntaxException(
                "Document is larger than " + options.MaxDocumentSizeBytes + " bytes. Parsing aborted.", 1, 1, 0);
        }

        return new Parser(source, options);
    }

    private Token Current => _lexer.Token;

    // ---- Document ---------------------------------------------------------------------------

    private DocumentNode ParseDocument()
    {
        var start = Current;
        var definitions = Many(TokenKind.StartOfFile, ParseDefinition, TokenKind.EndOfFile);
        return new DocumentNode(definitions, Loc(start));
    }

    private DefinitionNode ParseDefinition()
    {
        if (Peek(TokenKind.BraceL)) return ParseOperationDefinition();

        bool hasDescription = PeekDescription();
        var keywordToken = hasDescription ? _lexer.Lookahead() : Current;

        if (keywordToken.Kind == TokenKind.Name)
        {
            switch (keywordToken.Value)
            {
                case "schema": return ParseSchemaDefinition();
                case "scalar": return ParseScalarTypeDefinition();
                case "type": return ParseObjectTypeDefinition();
                case "interface": return ParseInterfaceTypeDefinition();
                case "union": return ParseUnionTypeDefinition();
                case "enum": return ParseEnumTypeDefinition();
                case "input": return ParseInputObjectTypeDefinition();
                case "directive": return ParseDirectiveDefinition();
                case "query":
                case "mutation":
                case "subscription":
                    return ParseOperationDefinition();
                case "fragment":
                    return ParseFragmentDefinition();
                case "extend":
                    if (hasDescription)
                    {
                        throw Error(Current.Start,
                            "Unexpected description, descriptions are not supported on type extensions.");
                    }

                    return ParseTypeSystemExtension();
            }
        }

        if (hasDescription && keywordToken.Kind == TokenKind.BraceL)
        {
            throw Error(Current.Start, "Unexpected description, descriptions are not supported on shorthand queries.");
        }

        throw Unexpected(keywordToken);
    }

    // ---- Operations ---------------------------------------------------------------------------

    private OperationDefinitionNode ParseOperationDefinition()
    {
        var start = Current;
        if (Peek(TokenKind.BraceL))
        {
            var shorthand = ParseSelectionSet();
            return new OperationDefinitionNode(OperationType.Query, null, [], [], shorthand, null, Loc(start));
        }

        var description = ParseDescription();
        var operation = ParseOperationType();
        NameNode? name = Peek(TokenKind.Name) ? ParseName() : null;
        var variableDefinitions = OptionalMany(TokenKind.ParenL, ParseVariableDefinition, TokenKind.ParenR);
        var directives = ParseDirectives(isConst: false);
        var selectionSet = ParseSelectionSet();
        return new OperationDefinitionNode(operation, name, variableDefinitions, directives, selectionSet, description, Loc(start));
    }

    private OperationType ParseOperationType()
    {
        var token = ExpectToken(TokenKind.Name);
        return token.Value switch
        {
            "query" => OperationType.Query,
            "mutation" => OperationType.Mutation,
            "subscription" => OperationType.Subscription,
            _ => throw Unexpected(token),
        };
    }

    private VariableDefinitionNode ParseVariableDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        var variable = ParseVariable();
        ExpectToken(TokenKind.Colon);
        var type = ParseTypeReference();
        ValueNode? defaultValue = ExpectOptionalToken(TokenKind.Equals) ? ParseValueLiteral(isConst: true) : null;
        var directives = ParseDirectives(isConst: true);
        return new VariableDefinitionNode(variable, type, defaultValue, directives, description, Loc(start));
    }

    private VariableNode ParseVariable()
    {
        var start = Current;
        ExpectToken(TokenKind.Dollar);
        return new VariableNode(ParseName(), Loc(start));
    }

    private SelectionSetNode ParseSelectionSet()
    {
        var start = Current;
        EnterNesting();
        var selections = Many(TokenKind.BraceL, ParseSelection, TokenKind.BraceR);
        _depth--;
        return new SelectionSetNode(selections, Loc(start));
    }

    private SelectionNode ParseSelection() => Peek(TokenKind.Spread) ? ParseFragment() : ParseField();

    private FieldNode ParseField()
    {
        var start = Current;
        var nameOrAlias = ParseName();
        NameNode? alias = null;
        NameNode name;
        if (ExpectOptionalToken(TokenKind.Colon))
        {
            alias = nameOrAlias;
            name = ParseName();
        }
        else
        {
            name = nameOrAlias;
        }

        var arguments = ParseArguments(isConst: false);
        var directives = ParseDirectives(isConst: false);
        var selectionSet = Peek(TokenKind.BraceL) ? ParseSelectionSet() : null;
        return new FieldNode(alias, name, arguments, directives, selectionSet, Loc(start));
    }

    private IReadOnlyList<ArgumentNode> ParseArguments(bool isConst) =>
        OptionalMany<ArgumentNode>(TokenKind.ParenL, isConst ? ParseConstArgument : ParseArgument, TokenKind.ParenR);

    private ArgumentNode ParseArgument() => ParseArgumentCore(isConst: false);

    private ArgumentNode ParseConstArgument() => ParseArgumentCore(isConst: true);

    private ArgumentNode ParseArgumentCore(bool isConst)
    {
        var start = Current;
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        return new ArgumentNode(name, ParseValueLiteral(isConst), Loc(start));
    }

    private SelectionNode ParseFragment()
    {
        var start = Current;
        ExpectToken(TokenKind.Spread);
        bool hasTypeCondition = ExpectOptionalKeyword("on");
        if (!hasTypeCondition && Peek(TokenKind.Name))
        {
            var name = ParseFragmentName();
            return new FragmentSpreadNode(name, ParseDirectives(isConst: false), Loc(start));
        }

        var typeCondition = hasTypeCondition ? ParseNamedType() : null;
        var directives = ParseDirectives(isConst: false);
        var selectionSet = ParseSelectionSet();
        return new InlineFragmentNode(typeCondition, directives, selectionSet, Loc(start));
    }

    private FragmentDefinitionNode ParseFragmentDefinition()
    {
        var start = Current;
        var description = ParseDescription();
        ExpectKeyword("fragment");
        var name = ParseFragmentName();
        ExpectKeyword("on");
        var typeCondition = ParseNamedType();
        var directives = ParseDirectives(isConst: false);
        var selectionSet = ParseSelectionSet();
        return new FragmentDefinitionNode(name, typeCondition, directives, selectionSet, description, Loc(start));
    }

    private NameNode ParseFragmentName()
    {
        if (Current.Kind == TokenKind.Name && Current.Value == "on") throw Unexpected(Current);
        return ParseName();
    }

    // ---- Values -------------------------------------------------------------------------------

    private ValueNode ParseValueLiteral(bool isConst)
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.BracketL:
                return ParseList(isConst);
            case TokenKind.BraceL:
                return ParseObject(isConst);
            case TokenKind.Int:
                Advance();
                return new IntValueNode(token.Value!, Loc(token));
            case TokenKind.Float:
                Advance();
                return new FloatValueNode(token.Value!, Loc(token));
            case TokenKind.String:
            case TokenKind.BlockString:
                return ParseStringLiteral();
            case TokenKind.Name:
                Advance();
                return token.Value switch
                {
                    "true" => new BooleanValueNode(true, Loc(token)),
                    "false" => new BooleanValueNode(false, Loc(token)),
                    "null" => new NullValueNode(Loc(token)),
                    _ => new EnumValueNode(token.Value!, Loc(token)),
                };
            case TokenKind.Dollar:
                if (isConst)
                {
                    ExpectToken(TokenKind.Dollar);
                    if (Current.Kind == TokenKind.Name)
                    {
                        throw Error(token.Start, "Unexpected variable \"$" + Current.Value + "\" in constant value.");
                    }

                    throw Unexpected(token);
                }

                return ParseVariable();
            default:
                throw Unexpected(token);
        }
    }

    private ValueNode ParseList(bool isConst)
    {
        var start = Current;
        EnterNesting();
        var values = Any<ValueNode>(TokenKind.BracketL, isConst ? ParseConstValueItem : ParseValueItem, TokenKind.BracketR);
        _depth--;
        return new ListValueNode(values, Loc(start));
    }

    private ValueNode ParseValueItem() => ParseValueLiteral(isConst: false);

    private ValueNode ParseConstValueItem() => ParseValueLiteral(isConst: true);

    private ValueNode ParseObject(bool isConst)
    {
        var start = Current;
        EnterNesting();
        var fields = Any<ObjectFieldNode>(TokenKind.BraceL, isConst ? ParseConstObjectField : ParseObjectField, TokenKind.BraceR);
        _depth--;
        return new ObjectValueNode(fields, Loc(start));
    }

    private ObjectFieldNode ParseObjectField() => ParseObjectFieldCore(isConst: false);

    private ObjectFieldNode ParseConstObjectField() => ParseObjectFieldCore(isConst: true);

    private ObjectFieldNode ParseObjectFieldCore(bool isConst)
    {
        var start = Current;
        var name = ParseName();
        ExpectToken(TokenKind.Colon);
        return new ObjectFieldNode(name, ParseValueLiteral(isConst), Loc(start));
    }

    private StringValueNode ParseStringLiteral()
    {
        var token = Current;
        Advance();
        return new StringValueNode(token.Value!, token.Kind == TokenKind.BlockString, Loc(token));
    }

    // ---- Directives and types -----------------------------------------------------------------

    private IReadOnlyList<DirectiveNode> ParseDirectives(bool isConst)
    {
        if (!Peek(TokenKind.At)) return [];
        var directives = new List<DirectiveNode>();
        while (Peek(TokenKind.At)) directives.Add(ParseDirective(isConst));
        return directives.ToArray();
    }

    private DirectiveNode ParseDirective(bool isConst)
    {
        var start = Current;
        ExpectToken(TokenKind.At);
        var name = ParseName();
        return new DirectiveNode(name, ParseArguments(isConst), Loc(start));
    }

    private TypeNode ParseTypeReference()
    {
        var start = Current;
        TypeNode type;
        if (ExpectOptionalToken(TokenKind.BracketL))
        {
            EnterNesting();
            var inner = ParseTypeReference();
            _depth--;
            ExpectToken(TokenKind.BracketR);
            type = new ListTypeNode(inner, Loc(start));
        }
        else
        {
            type = ParseNamedType();
        }

        return ExpectOptionalToken(TokenKind.Bang) ? new NonNullTypeNode(type, Loc(start)) : type;
    }

    private NamedTypeNode ParseNamedType()
    {
        var start = Current;
        return new NamedTypeNode(ParseName(), Loc(start));
    }

    private NameNode ParseName()
    {
        var token = ExpectToken(TokenKind.Name);
        return new NameNode(token.Value!, token.Location);
    }

    // ---- Token helpers ------------------------------------------------------------------------

    private void EnterNesting()
    {
        if (++_depth > _maxNestingDepth)
        {
            throw Error(Current.Start, "Document exceeds the maximum nesting depth of " + _maxNestingDepth + ".");
        }
    }

    private void Advance() => _lexer.Advance();

    private bool Peek(TokenKind kind) => Current.Kind == kind;

    private Token ExpectToken(TokenKind kind)
    {
        var token = Current;
        if (token.Kind == kind)
        {
            Advance();
            return token;
        }

        throw Error(token.Start, "Expected " + TokenKindText.Describe(kind) + ", found " + token.Describe() + ".");
    }

    private bool ExpectOptionalToken(TokenKind kind)
    {
        if (Current.Kind != kind) return false;
        Advance();
        return true;
    }

    private void ExpectKeyword(string value)
    {
        var token = Current;
        if (token.Kind == TokenKind.Name && token.Value == value)
        {
            Advance();
            return;
        }

        throw Error(token.Start, "Expected \"" + value + "\", found " + token.Describe() + ".");
    }

    private bool ExpectOptionalKeyword(string value)
    {
        var token = Current;
        if (token.Kind != TokenKind.Name || token.Value != value) return false;
        Advance();
        return true;
    }

    private GraphQLSyntaxException Unexpected(Token token) => Error(token.Start, "Unexpected " + token.Describe() + ".");

    private GraphQLSyntaxException Error(int position, string description) =>
        GraphQLSyntaxException.At(_lexer.Body, position, description);

    /// <summary>Zero or more items between open and close tokens.</summary>
    private T[] Any<T>(TokenKind open, Func<T> parseItem, TokenKind close)
    {
        ExpectToken(open);
        if (ExpectOptionalToken(close)) return [];
        var items = new List<T>();
        do
        {
            items.Add(parseItem());
        }
        while (!ExpectOptionalToken(close));
        return items.ToArray();
    }

    /// <summary>One or more items when the open token is present, otherwise none.</summary>
    private T[] OptionalMany<T>(TokenKind open, Func<T> parseItem, TokenKind close) =>
        Peek(open) ? Many(open, parseItem, close) : [];

    /// <summary>One or more items between open and close tokens.</summary>
    private T[] Many<T>(TokenKind open, Func<T> parseItem, TokenKind close)
    {
        ExpectToken(open);
        var items = new List<T>();
        do
        {
            items.Add(parseItem());
        }
        while (!ExpectOptionalToken(close));
        return items.ToArray();
    }

    /// <summary>One or more items separated by a delimiter; a leading delimiter is allowed.</summary>
    private T[] DelimitedMany<T>(TokenKind delimiter, Func<T> parseItem)
    {
        ExpectOptionalToken(delimiter);
        var items = new List<T>();
        do
        {
            items.Add(parseItem());
        }
        while (ExpectOptionalToken(delimiter));
        return items.ToArray();
    }

    private SourceLocation Loc(Token start) =>
        new(start.Start, Math.Max(_lexer.LastToken.End, start.End), start.Line, start.Column);
}
